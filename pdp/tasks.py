from celery import shared_task

from .exports import export_job_run


@shared_task(acks_late=True)
def build_plan_export(job_id: int) -> None:
    """Build HR's zip of a department's plans (see pdp.exports). Safe to run twice: a job is
    claimed once, by a conditional update."""
    export_job_run(job_id=job_id)
