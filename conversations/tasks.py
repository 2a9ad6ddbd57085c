"""Celery tasks: thin, taking ids; the database says what is due and what was sent.

Both use acks_late with reject_on_worker_lost, so a task whose worker dies is delivered
again; the conditional claim in conversations.outbox makes that harmless. Nothing is
ever queued with an ETA or countdown: a failed send is retried by a later scan, at the
time kept in its row.
"""

from celery import shared_task

from .outbox import notice_send
from .reminders import notices_scan


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notice_send_task(notice_id: int) -> None:
    notice_send(notice_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notices_scan_task() -> None:
    """Run every 15 minutes by beat: create the reminders that are due and send what waits."""
    notices_scan()
