"""The staff import page's work in the background: an upload is checked into a preview, and
imported once HR confirms it, each by a thin Celery task taking the job's id (people.tasks).

- With REDIS_URL, a Celery worker does the work and the page follows it.
- Without it, a small file (up to INLINE_BYTES) is done inside the request; a larger one in a
  thread of the web process, so that the request answers at once (well within gunicorn's
  default 30-second timeout) and the page follows the thread. A web process that stops
  meanwhile takes the thread with it: nothing is written (the import is one transaction) and
  the page says the job seems to have stopped.

Each step claims the job with a conditional update of its status, so a task delivered twice
does the work once. The uploaded file waits in STAFF_IMPORT_DIR, readable by its owner only,
and is removed once the job is imported or can no longer be (errors, nothing to change, a
failure), or when its owner uploads another.
"""

import logging
import secrets
import threading
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connections
from django.db.transaction import on_commit
from django.utils import timezone

from .importer import ImportReport, staff_import
from .models import StaffImportJob

logger = logging.getLogger(__name__)

INLINE_BYTES = 1024 * 1024  # without Redis, files up to this size (some 3,000 ESR rows) are done in the request
STOPPED_AFTER = timedelta(minutes=30)  # a job that has not moved for this long has stopped
Status = StaffImportJob.Status


def import_dir() -> Path:
    folder = Path(settings.STAFF_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _remove_file(job: StaffImportJob) -> None:
    if job.file_name:
        (import_dir() / job.file_name).unlink(missing_ok=True)
        StaffImportJob.objects.filter(pk=job.pk).update(file_name="")
        job.file_name = ""


def import_job_create(*, requested_by, upload, complete: bool) -> StaffImportJob:
    """Keep the uploaded file and start checking it. The owner's earlier uploads that were never
    imported lose their files: only the latest waits to be confirmed."""
    for earlier in StaffImportJob.objects.filter(requested_by=requested_by).exclude(file_name=""):
        if not earlier.is_working:
            _remove_file(earlier)
    name = f"staff-{secrets.token_hex(12)}.upload"
    path = import_dir() / name
    with path.open("xb") as out:
        path.chmod(0o600)
        for chunk in upload.chunks():
            out.write(chunk)
    job = StaffImportJob.objects.create(
        requested_by=requested_by,
        original_name=(upload.name or "staff file")[:255],
        file_name=name,
        size=upload.size,
        complete=complete,
        stage="Waiting to start",
    )
    on_commit(lambda: _start("check", job.pk, job.size))
    return job


def import_job_confirm(*, job: StaffImportJob) -> bool:
    """HR confirms a checked preview: import it in the background. False if it cannot be imported now."""
    report = ImportReport.from_json(job.report)
    if report.errors or report.changes_nothing:
        return False
    claimed = (
        StaffImportJob.objects.filter(pk=job.pk, status=Status.CHECKED)
        .exclude(file_name="")
        .update(status=Status.IMPORT_QUEUED, stage="Waiting to start", done=0)
    )
    if claimed:
        on_commit(lambda: _start("run", job.pk, job.size))
    return bool(claimed)


def _start(step: str, job_id: int, size: int) -> None:
    from celery import current_app

    from .tasks import staff_import_check_task, staff_import_run_task

    task = staff_import_check_task if step == "check" else staff_import_run_task
    if current_app.conf.task_always_eager and size > INLINE_BYTES:
        threading.Thread(target=_in_thread, args=(task, job_id), daemon=True, name=f"staff-import-{job_id}").start()
        return
    try:
        task.delay(job_id)
    except Exception:
        # The job stays waiting; the page says so and HR can upload the file again.
        logger.exception("Could not queue staff import %s", job_id)


def _in_thread(task, job_id: int) -> None:
    try:
        task.apply(args=[job_id], throw=False)
    finally:
        connections.close_all()  # this thread's own connections


def _progress(job_id: int, stage: str):
    def told(rows: int) -> None:
        StaffImportJob.objects.filter(pk=job_id).update(done=rows, stage=stage, updated_at=timezone.now())

    return told


def _stage(job_id: int, stage: str):
    return lambda: StaffImportJob.objects.filter(pk=job_id).update(stage=stage, updated_at=timezone.now())


def _claim(job_id: int, claim_from: str, claim_to: str) -> bool:
    """Claim the job by a conditional update; on SQLite, wait a moment for the request that
    started this thread to let go of the database."""
    for attempt in range(10):
        try:
            return bool(
                StaffImportJob.objects.filter(pk=job_id, status=claim_from).update(
                    status=claim_to, stage="Reading the file", updated_at=timezone.now()
                )
            )
        except OperationalError:
            if attempt == 9:
                raise
            time.sleep(0.2)
    return False


def _run(job_id: int, *, claim_from: str, claim_to: str, dry_run: bool) -> None:
    if not _claim(job_id, claim_from, claim_to):
        return
    job = StaffImportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        data = (import_dir() / job.file_name).read_bytes() if job.file_name else None
        if data is None:
            raise FileNotFoundError(job.file_name)
        report = staff_import(
            data,
            complete=job.complete,
            dry_run=dry_run,
            by=job.requested_by,
            progress=_progress(job.pk, "Reading the file"),
            checking=_stage(job.pk, "Checking the people" if dry_run else "Checking and writing the changes"),
        )
    except Exception as error:
        if isinstance(error, FileNotFoundError):
            message = "The uploaded file is no longer here. Upload it again."
        else:
            message = "The import failed and nothing was changed. Try again; if it fails again, tell IT."
            logger.exception("Staff import %s failed", job_id)
        StaffImportJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, stage="", error=message, finished_at=timezone.now()
        )
        _remove_file(job)
        return
    status = Status.CHECKED if dry_run else Status.FAILED if report.errors else Status.IMPORTED
    StaffImportJob.objects.filter(pk=job_id).update(
        status=status,
        stage="",
        report=report.as_json(),
        done=report.rows,
        error="Something changed since the check: nothing was imported." if status == Status.FAILED else "",
        finished_at=timezone.now(),
    )
    if not dry_run or report.errors or report.changes_nothing:
        _remove_file(job)


def import_job_check(*, job_id: int) -> None:
    """Read and check the job's file and keep the preview (nothing is changed)."""
    _run(job_id, claim_from=Status.QUEUED, claim_to=Status.CHECKING, dry_run=True)


def import_job_run(*, job_id: int) -> None:
    """Import a confirmed job's file, checking it again against the system as it is now."""
    _run(job_id, claim_from=Status.IMPORT_QUEUED, claim_to=Status.IMPORTING, dry_run=False)


def seems_stopped(job: StaffImportJob) -> bool:
    return job.is_working and timezone.now() - job.updated_at > STOPPED_AFTER


KEEP = timedelta(days=7)  # a staff import's report (it names people) and file are removed after this


def import_jobs_expire(*, now=None, dry_run: bool = False) -> int:
    """Remove staff imports older than KEEP, their reports (which name leavers and new managers)
    and files with them, and any upload in STAFF_IMPORT_DIR older than KEEP that no import names:
    the daily retention run (talentapp.retention). A dry run counts and removes nothing."""
    cutoff = (now or timezone.now()) - KEEP
    old = [
        job for job in StaffImportJob.objects.filter(created_at__lt=cutoff) if not job.is_working or seems_stopped(job)
    ]
    folder = Path(settings.STAFF_IMPORT_DIR)
    named = set(StaffImportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    stray = (
        [p for p in folder.glob("*.upload") if p.name not in named and p.stat().st_mtime < cutoff.timestamp()]
        if folder.is_dir()
        else []
    )
    if not dry_run:
        for job in old:
            _remove_file(job)
        StaffImportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
        for path in stray:
            path.unlink(missing_ok=True)
    return len(old)
