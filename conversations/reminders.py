"""The reminder scan: which reminders are due now, written as notices, then sent.

The database is the source of truth: each run looks at the reviews and requests as
they are and writes the reminder notices whose time has come. A notice is unique per
(conversation, kind, recipient, occurrence), so writing it twice is a no-op, and the
outbox claims it before sending, so running the scan twice, or twice at once, or from
cron and beat together, sends each reminder once.

Reminders, to both people unless said otherwise (intervals in settings):
- ahead of a review's due date (REVIEW_REMINDER_DAYS_AHEAD, default 14 and 1 days);
- on the due date (sent on the first scan in the week after it, if the day itself was missed);
- weekly while the review is overdue (occurrence = whole weeks late);
- to the host, when a request has waited NOMINATION_CHASE_WORKING_DAYS working days
  without an answer, and again every such period while it waits.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.dates import working_days_between

from .models import Conversation, Notice
from .outbox import pending_notices_send, stale_claims_release
from .states import OPEN

Status = Conversation.Status
BATCH_SIZE = 5000
REMINDER_KINDS = [Notice.Kind.REVIEW_AHEAD, Notice.Kind.REVIEW_DUE, Notice.Kind.REVIEW_OVERDUE]


def review_reminder_due(days_to_due: int) -> tuple[str, int] | None:
    """The reminder (kind, occurrence) current for a review `days_to_due` days away, if any."""
    if days_to_due > 0:
        ahead = [days for days in settings.REVIEW_REMINDER_DAYS_AHEAD if days_to_due <= days]
        return (Notice.Kind.REVIEW_AHEAD, min(ahead)) if ahead else None
    weeks_late = -days_to_due // 7
    return (Notice.Kind.REVIEW_DUE, 0) if weeks_late == 0 else (Notice.Kind.REVIEW_OVERDUE, weeks_late)


def _review_reminders(now: datetime) -> list[Notice]:
    today = timezone.localdate(now)
    horizon = today + timezone.timedelta(days=max(settings.REVIEW_REMINDER_DAYS_AHEAD, default=0))
    reviews = Conversation.objects.filter(follows__isnull=False, status__in=OPEN, due_on__lte=horizon).values_list(
        "pk", "employee_id", "host_id", "due_on"
    )
    wanted = []
    for pk, employee_id, host_id, due_on in reviews.iterator(chunk_size=BATCH_SIZE):
        reminder = review_reminder_due((due_on - today).days)
        if reminder:
            kind, occurrence = reminder
            wanted += [(pk, kind, recipient, occurrence) for recipient in (employee_id, host_id)]
    return _new_notices(wanted, now)


def _nomination_chases(now: datetime) -> list[Notice]:
    today = timezone.localdate(now)
    period = settings.NOMINATION_CHASE_WORKING_DAYS
    waiting = Conversation.objects.filter(
        Q(origin=Conversation.Origin.NOMINATION) | Q(origin=Conversation.Origin.SUPPORTER_REQUEST),
        status=Status.REQUESTED,
        created_at__lte=now - timezone.timedelta(days=period),
    ).values_list("pk", "host_id", "created_at")
    wanted = []
    for pk, host_id, created_at in waiting.iterator(chunk_size=BATCH_SIZE):
        chases = working_days_between(timezone.localdate(created_at), today) // period
        if chases:
            wanted.append((pk, Notice.Kind.NOMINATION_CHASE, host_id, chases))
    return _new_notices(wanted, now)


def _new_notices(wanted: list[tuple], now: datetime) -> list[Notice]:
    """Notices for the (conversation, kind, recipient, occurrence) keys not yet written."""
    if not wanted:
        return []
    conversation_ids = {key[0] for key in wanted}
    kinds = {key[1] for key in wanted}
    existing = set()
    ids = sorted(conversation_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        existing.update(
            Notice.objects.filter(conversation_id__in=ids[start : start + BATCH_SIZE], kind__in=kinds).values_list(
                "conversation_id", "kind", "recipient_id", "occurrence"
            )
        )
    return [
        Notice(
            conversation_id=conversation_id,
            kind=kind,
            recipient_id=recipient_id,
            occurrence=occurrence,
            next_attempt_at=now,
        )
        for conversation_id, kind, recipient_id, occurrence in wanted
        if (conversation_id, kind, recipient_id, occurrence) not in existing
    ]


def reminders_create(*, now: datetime | None = None) -> int:
    """Write the reminder notices whose time has come. Returns how many were new."""
    now = now or timezone.now()
    notices = _review_reminders(now) + _nomination_chases(now)
    # Another scan may write the same rows at the same moment: the unique constraint
    # keeps one, and ignore_conflicts lets both scans carry on.
    Notice.objects.bulk_create(notices, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(notices)


def notices_scan(*, now: datetime | None = None, send=pending_notices_send) -> dict[str, int]:
    """One scan: write due reminders, release abandoned claims, send what waits (here, unless
    `send` hands it on: the beat task fans it out to workers, conversations.tasks)."""
    now = now or timezone.now()
    created = reminders_create(now=now)
    released = stale_claims_release(now=now)
    sent = send(now=now)
    return {"created": created, "released": released, "sent": sent}
