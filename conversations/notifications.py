"""Emails for each step of a conversation, written to the outbox and sent after commit.

`notify(conversation, event)` is called by the services inside their transaction. It
writes one Notice row per recipient in that transaction (so a rolled-back change
sends nothing, and a committed one is never forgotten), then, once the transaction
commits, asks Celery to send them. If the broker cannot be reached the request goes on
and the next reminder scan (`send_reminders`, or the beat task) sends them instead.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from people.models import Employee

from .events import BY_SEQUENCE, RECIPIENTS, Event
from .models import Notice
from .outbox import SEND_CHUNK
from .tasks import notices_send_task

logger = logging.getLogger(__name__)


def notify(conversation, event: Event, **extra) -> None:
    """Write the notices for `event`, one per recipient, and send them once the transaction commits."""
    people = {"employee": conversation.employee, "host": conversation.host}
    occurrence = conversation.calendar_sequence if event in BY_SEQUENCE else 0
    notice_ids = []
    for role in RECIPIENTS[event]:
        notice, _ = Notice.objects.get_or_create(
            conversation=conversation,
            kind=str(event),
            recipient=people[role],
            occurrence=occurrence,
            defaults={"extra": extra, "next_attempt_at": timezone.now()},
        )
        notice_ids.append(notice.pk)
    transaction.on_commit(lambda: notices_enqueue(notice_ids))


def notify_each(conversation_ids: list[int], event: Event, *, recipient_of: dict[int, int]) -> int:
    """Write one `event` notice per conversation, to `recipient_of[conversation id]`, in bulk (for a
    change made to many at once, such as the staff import's), and send them once the transaction
    commits. Each is a new occurrence (the n-th `event` of that conversation). Returns how many."""
    if not conversation_ids:
        return 0
    now = timezone.now()
    before = dict(
        Notice.objects.filter(conversation_id__in=conversation_ids, kind=str(event))
        .values("conversation_id")
        .annotate(count=Count("pk"))
        .values_list("conversation_id", "count")
    )
    notices = Notice.objects.bulk_create(
        [
            Notice(
                conversation_id=pk,
                kind=str(event),
                recipient_id=recipient_of[pk],
                occurrence=before.get(pk, 0),
                next_attempt_at=now,
            )
            for pk in conversation_ids
        ],
        batch_size=2000,
    )
    notice_ids = [notice.pk for notice in notices]
    transaction.on_commit(lambda: notices_enqueue(notice_ids))
    return len(notices)


def password_reset_notify(*, employee: Employee) -> bool:
    """Write the password reset email for `employee` to the outbox and send it once the
    transaction commits; the link is made when it is sent. At most PASSWORD_RESET_PER_ACCOUNT
    in PASSWORD_RESET_WINDOW, so the account's mailbox cannot be flooded. True if one was written."""
    now = timezone.now()
    recent = Notice.objects.filter(
        recipient=employee, kind=Notice.Kind.PASSWORD_RESET, created_at__gte=now - settings.PASSWORD_RESET_WINDOW
    )
    if recent.count() >= settings.PASSWORD_RESET_PER_ACCOUNT:
        return False
    notice = Notice.objects.create(
        kind=Notice.Kind.PASSWORD_RESET,
        recipient=employee,
        occurrence=Notice.objects.filter(recipient=employee, kind=Notice.Kind.PASSWORD_RESET).count(),
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: notices_enqueue([notice.pk]))
    return True


def opportunity_interest_notify(*, contact: Employee, interest_id: int, extra: dict) -> None:
    """Tell an opportunity's contact that someone registered interest (`extra`: the opportunity's
    title and address, and who): written now, sent once the transaction commits, once per interest."""
    notice, created = Notice.objects.get_or_create(
        conversation=None,
        kind=Notice.Kind.OPPORTUNITY_INTEREST,
        recipient=contact,
        occurrence=interest_id,
        defaults={"extra": extra, "next_attempt_at": timezone.now()},
    )
    if created:
        transaction.on_commit(lambda: notices_enqueue([notice.pk]))


def notices_enqueue(notice_ids: list[int]) -> None:
    """Hand notices to Celery a chunk at a time (in-process without Redis). Never raises: the scan
    is the safety net."""
    for start in range(0, len(notice_ids), SEND_CHUNK):
        chunk = notice_ids[start : start + SEND_CHUNK]
        try:
            notices_send_task.delay(chunk)
        except BrokerUnreachable:
            # Trying the others would hold the request for another broker timeout each.
            left = notice_ids[start:]
            logger.exception("Could not queue notices %s; the next reminder scan will send them", left)
            return
        except Exception:
            logger.exception("Could not queue notices %s; the next reminder scan will send them", chunk)
