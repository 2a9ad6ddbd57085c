"""Sending notices (conversations.models.Notice) exactly once.

A notice is claimed with a conditional update from pending to sending before anything
is sent, so however many scans, workers or retries reach the same row, one claims it
and the others do nothing. A failed send goes back to pending with a later
`next_attempt_at` (exponential backoff kept in the database); after MAX_ATTEMPTS it is
marked failed. A claim left behind by a worker that died is released by the next scan
once it is older than STALE_CLAIM.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from .emails import SEND_ERRORS, email_message, notice_email_build
from .models import Notice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=15)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2**attempts, 360))


def _claim(notice_id: int, now: datetime) -> bool:
    claimed = Notice.objects.filter(pk=notice_id, status=Notice.Status.PENDING, next_attempt_at__lte=now).update(
        status=Notice.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _finish(notice: Notice, now: datetime, **changes) -> None:
    """Record the outcome, but only for the claim this process holds."""
    Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENDING, claimed_at=notice.claimed_at).update(**changes)


def notice_send(notice_id: int, *, now: datetime | None = None) -> bool:
    """Send notice `notice_id` if it is waiting and nobody else has it. True if this call sent it."""
    now = now or timezone.now()
    if not _claim(notice_id, now):
        return False
    notice = Notice.objects.select_related(
        "recipient__user", "conversation__employee__user", "conversation__host__user"
    ).get(pk=notice_id)
    email = notice_email_build(notice, now=now)
    if email is None:
        _finish(notice, now, status=Notice.Status.SKIPPED)
        return False
    try:
        email_message(email).send()
    except SEND_ERRORS as error:
        failed = notice.attempts >= MAX_ATTEMPTS
        logger.warning("Notice %s not sent (attempt %s): %s", notice.pk, notice.attempts, error)
        _finish(
            notice,
            now,
            status=Notice.Status.FAILED if failed else Notice.Status.PENDING,
            next_attempt_at=now + backoff(notice.attempts),
            last_error=str(error)[:1000],
        )
        return False
    _finish(notice, now, status=Notice.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def stale_claims_release(*, now: datetime) -> int:
    """Put back notices whose sender died between claiming and finishing."""
    return Notice.objects.filter(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Notice.Status.PENDING
    )


def pending_notices_send(*, now: datetime) -> int:
    """Send every notice that is due. Returns how many this call sent."""
    due = Notice.objects.filter(status=Notice.Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at")
    return sum(notice_send(notice_id, now=now) for notice_id in due.values_list("pk", flat=True).iterator())
