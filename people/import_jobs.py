"""The staff import page's work in the background: an upload is checked into a preview, and
imported once HR confirms it, each step by a thin Celery task taking the job's id (people.tasks).

- With REDIS_URL, a Celery worker (the `exports` queue) does each step and the page follows it.
- Without it, no web request or thread of a web process does the work: the job waits for
  `manage.py run_jobs`, which `make run` keeps running beside the server (`--watch`).
- Each step claims the job with a conditional update (queued to checking, or waiting to import
  to importing, one attempt more), so a task delivered twice, or two runners, do it once. While
  it works the job moves: `updated_at`, with the rows read, every few thousand rows and at each
  stage. A job that has not moved for STALE_AFTER lost its runner (a restart, a crash):
  `import_jobs_recover`, run every minute by beat (or by `run_jobs`), puts it back to be done
  again, or fails it with a message once it has stopped MAX_ATTEMPTS times. Nothing is lost by
  doing it again: the check writes nothing, and the import is one transaction, so a runner that
  stopped wrote nothing. A runner told to stop (Ctrl-C, `run_jobs` sent TERM) puts its job back
  at once. A runner that finds its claim taken over stops, leaving the job alone.

The uploaded file waits in STAFF_IMPORT_DIR, readable by its owner only, and is removed once
the job is imported or can no longer be (errors, nothing to change, a failure), or when its
owner uploads another.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db.transaction import on_commit
from django.utils import timezone

from .importer import ImportReport, staff_import
from .models import StaffImportJob

logger = logging.getLogger(__name__)

# A working job that has not moved for this long lost its runner. It moves every PROGRESS_EVERY
# rows read; the checking and writing that follow are one transaction with no sign of life, which
# takes under a minute at 100,000 rows (bench/staff_import.py), so the margin is wide.
STALE_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 2  # a step whose runner stopped this many times is failed, not started again
STOPPED_MESSAGE = (
    "The {step} stopped twice before it finished (the server was restarted or ran out of memory). "
    "Nothing was changed. Upload the file again; if it stops again, tell IT."
)
STOPPED_AFTER = timedelta(minutes=30)  # the page says a job that has not moved for this long stopped
Status = StaffImportJob.Status


@dataclass(frozen=True)
class Step:
    name: str
    waiting: str  # the status it is claimed from
    working: str  # the status while it runs
    dry_run: bool


CHECK = Step("check", Status.QUEUED, Status.CHECKING, dry_run=True)
IMPORT = Step("import", Status.IMPORT_QUEUED, Status.IMPORTING, dry_run=False)
STEPS = (CHECK, IMPORT)


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
    """Keep the uploaded file and have it checked. The owner's earlier uploads that were never
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
    on_commit(lambda: _enqueue(CHECK, job.pk))
    return job


def import_job_confirm(*, job: StaffImportJob) -> bool:
    """HR confirms a checked preview: import it in the background. False if it cannot be imported now."""
    report = ImportReport.from_json(job.report)
    if report.errors or report.changes_nothing:
        return False
    claimed = (
        StaffImportJob.objects.filter(pk=job.pk, status=Status.CHECKED)
        .exclude(file_name="")
        .update(status=Status.IMPORT_QUEUED, stage="Waiting to start", done=0, attempts=0, updated_at=timezone.now())
    )
    if claimed:
        on_commit(lambda: _enqueue(IMPORT, job.pk))
    return bool(claimed)


def _enqueue(step: Step, job_id: int) -> None:
    from .tasks import staff_import_check_task, staff_import_run_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker: `manage.py run_jobs` does it, never the web request that asked
    task = staff_import_check_task if step is CHECK else staff_import_run_task
    try:
        task.delay(job_id)
    except Exception:
        # The job stays waiting; the page says so and HR can upload the file again.
        logger.exception("Could not queue staff import %s", job_id)


class _Superseded(Exception):
    """Another attempt has claimed the job (this one was taken for dead): stop."""


def _claim(job_id: int, step: Step) -> int | None:
    """Claim the job for `step` by a conditional update; the attempt's number, or None."""
    waiting = StaffImportJob.objects.filter(pk=job_id, status=step.waiting)
    attempts = waiting.values_list("attempts", flat=True).first()
    if attempts is None:
        return None
    claimed = waiting.filter(attempts=attempts).update(
        status=step.working, stage="Reading the file", attempts=attempts + 1, updated_at=timezone.now()
    )
    return attempts + 1 if claimed else None


def _held(job_id: int, step: Step, attempt: int):
    """The job, as long as this attempt holds its claim."""
    return StaffImportJob.objects.filter(pk=job_id, status=step.working, attempts=attempt)


def _mover(job_id: int, step: Step, attempt: int):
    """A heartbeat that says what the job is doing; it stops the run if another attempt has the job."""

    def moved(**changes) -> None:
        if not _held(job_id, step, attempt).update(updated_at=timezone.now(), **changes):
            raise _Superseded

    return moved


def _run(job_id: int, step: Step) -> bool:
    """Do `step` of the job if it is waiting for it and nobody else has it. True if this call did it."""
    attempt = _claim(job_id, step)
    if attempt is None:
        return False
    job = StaffImportJob.objects.select_related("requested_by").get(pk=job_id)
    held, moved = _held(job_id, step, attempt), _mover(job_id, step, attempt)
    try:
        data = (import_dir() / job.file_name).read_bytes() if job.file_name else None
        if data is None:
            raise FileNotFoundError(job.file_name)
        report = staff_import(
            data,
            complete=job.complete,
            dry_run=step.dry_run,
            by=job.requested_by,
            progress=lambda rows: moved(done=rows, stage="Reading the file"),
            checking=lambda: moved(stage="Checking the people" if step.dry_run else "Checking and writing the changes"),
        )
    except _Superseded:
        logger.warning("Staff import %s was taken over by another attempt; attempt %s stopped", job_id, attempt)
        return True
    except (KeyboardInterrupt, SystemExit):
        # The runner was told to stop (Ctrl-C, `run_jobs` stopped): nothing was written, so the job
        # waits for the next runner at once, this attempt not counted.
        if held.update(status=step.waiting, stage="Waiting to start", done=0, attempts=attempt - 1):
            _enqueue(step, job_id)  # with a broker, a task for it again (without, run_jobs finds it)
        raise
    except Exception as error:
        if isinstance(error, FileNotFoundError):
            message = "The uploaded file is no longer here. Upload it again."
        else:
            message = "The import failed and nothing was changed. Try again; if it fails again, tell IT."
            logger.exception("Staff import %s failed", job_id)
        if held.update(status=Status.FAILED, stage="", error=message, finished_at=timezone.now()):
            _remove_file(job)
        return True
    status = Status.CHECKED if step.dry_run else Status.FAILED if report.errors else Status.IMPORTED
    recorded = held.update(
        status=status,
        stage="",
        report=report.as_json(),
        done=report.rows,
        error="Something changed since the check: nothing was imported." if status == Status.FAILED else "",
        finished_at=timezone.now(),
    )
    if not recorded:
        logger.warning("Staff import %s was taken over by another attempt while attempt %s finished", job_id, attempt)
    elif not step.dry_run or report.errors or report.changes_nothing:
        _remove_file(job)
    return True


def import_job_check(*, job_id: int) -> bool:
    """Read and check the job's file and keep the preview (nothing is changed)."""
    return _run(job_id, CHECK)


def import_job_run(*, job_id: int) -> bool:
    """Import a confirmed job's file, checking it again against the system as it is now."""
    return _run(job_id, IMPORT)


def import_jobs_recover(*, now: datetime | None = None) -> int:
    """Put back each check or import whose runner stopped (it has not moved for STALE_AFTER), to
    be done again; fail, removing its file, one that has stopped MAX_ATTEMPTS times. Returns how
    many were put back."""
    now = now or timezone.now()
    requeued = 0
    for step in STEPS:
        stopped = StaffImportJob.objects.filter(status=step.working, updated_at__lt=now - STALE_AFTER)
        for job in stopped.only("pk", "attempts", "file_name"):
            this_claim = stopped.filter(pk=job.pk, attempts=job.attempts)
            if job.attempts >= MAX_ATTEMPTS:
                message = STOPPED_MESSAGE.format(step=step.name)
                if this_claim.update(status=Status.FAILED, stage="", error=message, finished_at=now):
                    logger.error("Staff import %s: the %s stopped %s times; failed", job.pk, step.name, job.attempts)
                    _remove_file(job)
            elif this_claim.update(status=step.waiting, stage="Waiting to start", done=0, updated_at=now):
                logger.warning("Staff import %s lost its runner (attempt %s); queued again", job.pk, job.attempts)
                _enqueue(step, job.pk)
                requeued += 1
    return requeued


def queued_import_run_next() -> bool:
    """Do the oldest waiting check or import here (without a broker: `manage.py run_jobs`). False
    when none waits."""
    waiting = (
        StaffImportJob.objects.filter(status__in=[step.waiting for step in STEPS])
        .order_by("updated_at", "pk")
        .values_list("pk", "status")
        .first()
    )
    if waiting is None:
        return False
    job_id, status = waiting
    _run(job_id, CHECK if status == CHECK.waiting else IMPORT)
    return True


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
