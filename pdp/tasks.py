from celery import shared_task

from .exports import export_job_run, exports_recover


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_plan_export(job_id: int) -> None:
    """Build HR's zip of a department's plans (see pdp.exports), on the `exports` queue. Safe to
    run twice: a job is claimed once, by a conditional update."""
    export_job_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def exports_recover_task() -> None:
    """Run every minute by beat, on the `reminders` queue (quick, and never behind an export): queue
    again the exports whose worker stopped, or fail them."""
    exports_recover()
