"""Emails for each step of a conversation, sent after commit through the Celery app.

`notify(conversation, event)` is called by the services inside their transaction; the
email task is queued only once the transaction commits, so a rolled-back change sends
nothing. If the broker cannot be reached the failure is logged and the request goes on.
"""

import logging
from enum import StrEnum

from django.db import transaction

logger = logging.getLogger(__name__)


class Event(StrEnum):
    STARTED = "started"  # a manager started a conversation: to the employee
    REQUESTED = "requested"  # a nomination or request: to the host
    BOOKED = "booked"  # to both, with a calendar invite
    REBOOKED = "rebooked"  # to both, with an updated invite
    DECLINED = "declined"  # to the employee, with the reason
    CANCELLED = "cancelled"  # to both; a cancellation for calendars if it was booked
    PREPARATION_SHARED = "preparation_shared"  # to the host
    READY_FOR_SIGN_OFF = "ready_for_sign_off"  # the host signed off: to the employee
    SIGNED_OFF = "signed_off"  # both signed: to the host


def notify(conversation, event: Event, **extra) -> None:
    """Queue the emails for `event` once the current transaction commits."""
    transaction.on_commit(lambda: _enqueue(conversation.pk, str(event), extra))


def _enqueue(conversation_id: int, event: str, extra: dict) -> None:
    from .tasks import send_conversation_email

    try:
        send_conversation_email.delay(conversation_id, event, extra)
    except Exception:
        # The change itself is saved; a broker outage must not turn it into an error page.
        logger.exception("Could not queue the %s email for conversation %s", event, conversation_id)
