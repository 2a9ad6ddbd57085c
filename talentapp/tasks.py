"""The project's Celery task: the daily retention run (beat; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .retention import retention_apply


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def retention_apply_task() -> None:
    """Run daily by beat. Idempotent: a second run, or cron's `manage.py apply_retention`, finds nothing to do."""
    retention_apply()
