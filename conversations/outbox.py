"""Sending notices (conversations.models.Notice) exactly once.

A notice is claimed with a conditional update from pending to sending before anything
is sent, so however many scans, workers or retries reach the same row, one claims it
and the others do nothing. A failed send goes back to pending with a later
`next_attempt_at` (exponential backoff kept in the database); after MAX_ATTEMPTS it is
marked failed. A claim left behind by a worker that died is released by the next scan
once it is older than STALE_CLAIM.

Notices go in chunks (SEND_CHUNK): `notices_send` loads a chunk's notices and what their
emails need in a few queries, then claims and sends them one at a time over one mail
connection, recording each outcome as it goes. The scan's task hands each chunk of due
notices to a worker of its own (conversations.tasks), so several send at once.
"""

import logging
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from .emails import SEND_ERRORS, email_message, notice_email_build, shared_emails
from .models import Notice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=15)
SEND_CHUNK = 200  # notices per mail connection, and per task when the scan fans out


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
    return notices_send([notice_id], now=now) == 1


def notices_send(notice_ids: list[int], *, now: datetime | None = None) -> int:
    """Send each of `notice_ids` that is waiting and that nobody else has, over one mail
    connection. Each is claimed just before it is sent. Returns how many this call sent."""
    now = now or timezone.now()
    notices = Notice.objects.select_related(
        "recipient__user", "conversation__employee__user", "conversation__host__user"
    ).in_bulk(notice_ids)
    shared = shared_emails([notice.recipient.user for notice in notices.values()])
    connection, sent = None, 0
    try:
        for notice_id in notice_ids:
            notice = notices.get(notice_id)
            if notice is None or not _claim(notice_id, now):
                continue
            notice.status, notice.claimed_at = Notice.Status.SENDING, now
            email = notice_email_build(notice, now=now, shared=shared)
            if email is None:
                _finish(notice, now, status=Notice.Status.SKIPPED)
                continue
            if connection is None:
                connection = get_connection()
                connection.open()  # opened here, it stays open for the chunk (else SMTP opens one per email)
            try:
                email_message(email, connection=connection).send()
            except SEND_ERRORS as error:
                connection.close()
                connection = None  # a broken connection is not used again: the next email opens another
                _failed(notice, now, error)
                continue
            _finish(notice, now, status=Notice.Status.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
    finally:
        if connection is not None:
            connection.close()
    return sent


def _failed(notice: Notice, now: datetime, error: Exception) -> None:
    attempts = Notice.objects.values_list("attempts", flat=True).get(pk=notice.pk)
    logger.warning("Notice %s not sent (attempt %s): %s", notice.pk, attempts, error)
    _finish(
        notice,
        now,
        status=Notice.Status.FAILED if attempts >= MAX_ATTEMPTS else Notice.Status.PENDING,
        next_attempt_at=now + backoff(attempts),
        last_error=str(error)[:1000],
    )


def stale_claims_release(*, now: datetime) -> int:
    """Put back notices whose sender died between claiming and finishing."""
    return Notice.objects.filter(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Notice.Status.PENDING
    )


def due_notice_chunks(*, now: datetime) -> list[list[int]]:
    """The ids of every notice that is due, oldest first, in chunks of SEND_CHUNK."""
    due = list(
        Notice.objects.filter(status=Notice.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )
    return [due[start : start + SEND_CHUNK] for start in range(0, len(due), SEND_CHUNK)]


def pending_notices_send(*, now: datetime) -> int:
    """Send every notice that is due, here, a chunk to a mail connection. Returns how many this call sent."""
    return sum(notices_send(chunk, now=now) for chunk in due_notice_chunks(now=now))
