"""Sending notices (conversations.models.Notice) exactly once.

A notice is claimed (pending to sending, stamped with the moment of the claim, one attempt more)
before anything is sent, so however many scans, workers or retries reach the same row, one claims
it and the others do nothing. A failed send goes back to pending with a later `next_attempt_at`
(exponential backoff kept in the database); after MAX_ATTEMPTS it is marked failed. A claim left
behind by a worker that died is released by the next scan once it is older than STALE_CLAIM.

Notices go in chunks (SEND_CHUNK), each a few statements however long:
- `notices_send` claims the whole chunk in one statement (UPDATE ... WHERE pk IN chunk AND
  pending AND due RETURNING pk, attempts: core.db), so a notice another sender holds, or that
  went already, is simply not among those returned; two senders given the same chunk at once
  split it between them, each notice to one;
- loads the claimed notices and what their emails need in a few queries, and sends them over
  one mail connection;
- records the outcomes in bulk, each only where the row still holds this claim: one UPDATE for
  all those sent (written at least every RECORD_EVERY, so that a sender that dies part way
  through resends little once its claim is released), one for those no longer needed, one per
  failure (each has its own error and next attempt). Notices claimed but not yet tried when
  the sender stopped on an error are put back at once; the one it was sending is left to the
  stale claim's release, as it may have gone.
The scan's task hands each chunk of due notices to a worker of its own (conversations.tasks),
so several send at once.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from core.db import can_update_returning, update_returning

from .emails import SEND_ERRORS, email_message, notice_email_build, shared_emails
from .models import Notice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=15)
SEND_CHUNK = 200  # notices per claim and mail connection, and per task when the scan fans out
RECORD_EVERY = 2.0  # seconds: the longest a sent email waits to be recorded as sent


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return timedelta(minutes=min(2**attempts, 360))


@dataclass
class Claim:
    """The notices one sender claimed together, all stamped `at` (their claimed_at)."""

    at: datetime
    attempts: dict[int, int]  # notice id: its attempt number, this one included
    sent: list[int] = field(default_factory=list)  # sent, not yet recorded
    skipped: list[int] = field(default_factory=list)  # not needed any more, not yet recorded
    tried: set[int] = field(default_factory=set)  # begun on: an email was built or sent
    recorded_at: float = field(default_factory=time.monotonic)

    def mine(self):
        """The claimed notices whose rows still hold this claim (not released and taken by another)."""
        return Notice.objects.filter(pk__in=self.attempts, status=Notice.Status.SENDING, claimed_at=self.at)

    def was_sent(self, notice_id: int) -> None:
        self.sent.append(notice_id)
        if time.monotonic() - self.recorded_at >= RECORD_EVERY:
            self.record()

    def was_skipped(self, notice_id: int) -> None:
        self.skipped.append(notice_id)

    def failed(self, notice_id: int, error: Exception) -> None:
        attempts = self.attempts[notice_id]
        logger.warning("Notice %s not sent (attempt %s): %s", notice_id, attempts, error)
        self.mine().filter(pk=notice_id).update(
            status=Notice.Status.FAILED if attempts >= MAX_ATTEMPTS else Notice.Status.PENDING,
            next_attempt_at=self.at + backoff(attempts),
            last_error=str(error)[:1000],
        )

    def record(self) -> None:
        """Write the sent and skipped notices not yet written, a statement each."""
        if self.sent:
            self.mine().filter(pk__in=self.sent).update(
                status=Notice.Status.SENT, sent_at=timezone.now(), last_error=""
            )
        if self.skipped:
            self.mine().filter(pk__in=self.skipped).update(status=Notice.Status.SKIPPED)
        self.sent, self.skipped, self.recorded_at = [], [], time.monotonic()

    def release_untried(self) -> None:
        """Put back, as they were, the claimed notices this sender never got to."""
        untried = [notice_id for notice_id in self.attempts if notice_id not in self.tried]
        if untried:
            self.mine().filter(pk__in=untried).update(status=Notice.Status.PENDING, attempts=F("attempts") - 1)


def notices_claim(notice_ids: list[int], *, now: datetime) -> Claim:
    """Claim those of `notice_ids` that are waiting and due at `now`, in one statement."""
    claim_at = timezone.now()
    claimable = Notice.objects.filter(pk__in=notice_ids, status=Notice.Status.PENDING, next_attempt_at__lte=now)
    changes = {"status": Notice.Status.SENDING, "claimed_at": claim_at, "attempts": F("attempts") + 1}
    if can_update_returning(claimable.db):
        return Claim(at=claim_at, attempts=dict(update_returning(claimable, ("pk", "attempts"), **changes)))
    # An SQLite before 3.35 has no RETURNING: a conditional update per notice, then what was won.
    won = [notice_id for notice_id in notice_ids if claimable.filter(pk=notice_id).update(**changes)]
    return Claim(at=claim_at, attempts=dict(Notice.objects.filter(pk__in=won).values_list("pk", "attempts")))


def notice_send(notice_id: int, *, now: datetime | None = None) -> bool:
    """Send notice `notice_id` if it is waiting and nobody else has it. True if this call sent it."""
    return notices_send([notice_id], now=now) == 1


def notices_send(notice_ids: list[int], *, now: datetime | None = None) -> int:
    """Send each of `notice_ids` that is waiting and due and that nobody else has, over one mail
    connection, in the order given. Returns how many this call sent."""
    now = now or timezone.now()
    claim = notices_claim(notice_ids, now=now)
    if not claim.attempts:
        return 0
    notices = Notice.objects.select_related(
        "recipient__user", "conversation__employee__user", "conversation__host__user"
    ).in_bulk(list(claim.attempts))
    shared = shared_emails([notice.recipient.user for notice in notices.values()])
    connection, sent = None, 0
    try:
        for notice_id in notice_ids:
            notice = notices.get(notice_id)
            if notice is None:
                continue  # not claimed here
            claim.tried.add(notice_id)
            try:
                email = notice_email_build(notice, now=now, shared=shared)
                if email is None:
                    claim.was_skipped(notice_id)
                    continue
                message = email_message(email)
                if connection is None:
                    connection = get_connection()
                    connection.open()  # opened here, it stays open for the chunk (else SMTP opens one per email)
                connection.send_messages([message])
            except SEND_ERRORS as error:
                if connection is not None:
                    connection.close()
                connection = None  # a broken connection is not used again: the next email opens another
                claim.failed(notice_id, error)
                continue
            except Exception as error:
                logger.exception("Notice %s could not be sent", notice_id)
                claim.failed(notice_id, error)
                continue
            claim.was_sent(notice_id)
            sent += 1
    finally:
        if connection is not None:
            connection.close()
        claim.record()
        claim.release_untried()
    return sent


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
