from celery import shared_task

from .import_jobs import import_job_check, import_job_run, import_jobs_recover


@shared_task(acks_late=True)
def staff_import_check_task(job_id: int) -> None:
    """Check an uploaded staff file into a preview (see people.import_jobs). Safe to run twice."""
    import_job_check(job_id=job_id)


@shared_task(acks_late=True)
def staff_import_run_task(job_id: int) -> None:
    """Import a staff file HR confirmed (see people.import_jobs). Safe to run twice."""
    import_job_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def import_jobs_recover_task() -> None:
    """Run every minute by beat, on the `reminders` queue (quick, and never behind an export or an
    import): queue again the checks and imports whose worker stopped, or fail them."""
    import_jobs_recover()
