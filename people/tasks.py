from celery import shared_task

from .import_jobs import import_job_check, import_job_run


@shared_task(acks_late=True)
def staff_import_check_task(job_id: int) -> None:
    """Check an uploaded staff file into a preview (see people.import_jobs). Safe to run twice."""
    import_job_check(job_id=job_id)


@shared_task(acks_late=True)
def staff_import_run_task(job_id: int) -> None:
    """Import a staff file HR confirmed (see people.import_jobs). Safe to run twice."""
    import_job_run(job_id=job_id)
