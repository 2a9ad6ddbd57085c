"""Celery tasks: thin, taking ids; the database says what is due and what was sent.

All use acks_late with reject_on_worker_lost, so a task whose worker dies is delivered
again; the conditional claim in conversations.outbox makes that harmless. Nothing is
ever queued with an ETA or countdown: a failed send is retried by a later scan, at the
time kept in its row. They run on the `reminders` queue (CELERY_TASK_ROUTES), which the
exports and imports never hold up.
"""

import logging

from celery import shared_task

from .outbox import due_notice_chunks, notice_send, notices_send
from .reminders import notices_scan

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notice_send_task(notice_id: int) -> None:
    """One notice (kept for tasks queued before notices went in chunks)."""
    notice_send(notice_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notices_send_task(notice_ids: list[int]) -> None:
    """A chunk of notices, over one mail connection."""
    notices_send(notice_ids)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notices_scan_task(self) -> None:
    """Run every 15 minutes by beat: create the reminders that are due, then hand what waits, a
    chunk at a time, to the queue this scan came on (the reminders queue), so that its worker
    processes send them together."""
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    notices_scan(send=lambda now: notices_fan_out(now=now, queue=queue))


def notices_fan_out(*, now, queue: str | None = None) -> int:
    """Queue a send task per chunk of due notices. If the broker fails, this process sends the rest."""
    chunks = due_notice_chunks(now=now)
    for position, chunk in enumerate(chunks):
        try:
            if queue:
                notices_send_task.apply_async([chunk], queue=queue)
            else:
                notices_send_task.delay(chunk)
        except Exception:
            logger.exception("Could not queue notices to send; sending them here")
            return sum(notices_send(rest, now=now) for rest in chunks[position:])
    return 0
