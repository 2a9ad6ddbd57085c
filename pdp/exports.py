"""HR's bulk export: the current plans of a part of the organisation as one zip of PDFs.

`export_job_create` records the job and queues pdp.tasks.build_plan_export (on the `exports`
queue) once the transaction commits; `export_job_run` builds the zip, counting progress in the
job's row so that the progress page can show it.

- Memory stays flat however many plans: they are read CHUNK at a time (an iterator with the
  chunk's objectives and actions prefetched), and each PDF goes into the zip as it is made.
- A job is claimed by a conditional update (queued to running, with the attempt's number), so a
  retried or duplicated task never builds it twice. The worker building it beats (heartbeat_at,
  with the progress) every few plans. A running job whose heartbeat is older than STALE_AFTER
  lost its worker (a restart, a crash): `exports_recover`, run every minute by beat (or by
  `manage.py run_jobs`), queues it again to be built from the start, or fails it with a
  message once it has been tried MAX_ATTEMPTS times. A worker that finds its claim taken over
  stops. The zip is written under a name of its own (`job-<id>-<attempt>.zip.part`), renamed
  when complete; a new attempt, a failure and recovery remove what an earlier one left.
- Without REDIS_URL no web request builds an export: the job waits for `manage.py run_jobs`,
  which `make run` keeps running beside the server (`--watch`).

Files go to PDP_EXPORT_DIR (default var/exports/), which web processes and workers must
share; a user's exports older than a week are removed when they next export, and everyone's by
the daily retention run (`manage.py apply_retention`). Each read of
a plan by the export is written to the access log, as a page read is.
"""

import logging
import secrets
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from core.refusal import Refused
from people.access_log import Entry, entry_extend, entry_write
from people.models import Department
from people.selectors import in_department_tree

from .models import ExportJob, Plan
from .pdf import plan_pdf
from .selectors import PLAN_RELATED

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5  # plans between progress updates and heartbeats: fewer writes, still a moving bar
CHUNK = 100  # plans read from the database at a time, with their objectives and actions
STALE_AFTER = timedelta(minutes=1)  # a running job without a heartbeat for this long lost its worker
MAX_ATTEMPTS = 3  # a job whose worker stopped this many times is failed, not started again
STOPPED_MESSAGE = (
    "The export stopped {attempts} times before it finished (the server was restarted or ran out of "
    "memory), so it was given up. Try again; if it stops again, tell IT."
)
KEEP = timedelta(days=7)  # an export and its file are removed when its owner next exports after this


def export_dir() -> Path:
    folder = Path(settings.PDP_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def plans_in(department: Department) -> QuerySet[Plan]:
    """Current plans of the people in `department` or any part below it."""
    return Plan.objects.filter(in_department_tree(department, through="employee__"), is_current=True)


@dataclass(frozen=True)
class Expired:
    exports: int  # export jobs, with their files
    stray_files: int  # zips in the export folder that no export names any more


def exports_expire(*, requested_by=None, now: datetime | None = None, dry_run: bool = False) -> Expired:
    """Remove exports older than KEEP, files and all: copies of confidential plans should not pile
    up. With `requested_by`, only theirs (when they start a new export); without, everyone's, and
    any zip in the export folder older than KEEP that no export names (the daily retention run,
    talentapp.retention). A dry run counts and removes nothing."""
    cutoff = (now or timezone.now()) - KEEP
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    if requested_by is not None:
        old = old.filter(requested_by=requested_by)
    jobs = list(old)
    stray = [] if requested_by is not None else _stray_files(cutoff)
    if dry_run:
        return Expired(exports=len(jobs), stray_files=len(stray))
    for job in jobs:
        if job.file_name:
            (export_dir() / job.file_name).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    for path in stray:
        path.unlink(missing_ok=True)
    return Expired(exports=len(jobs), stray_files=len(stray))


def _stray_files(cutoff: datetime) -> list[Path]:
    folder = Path(settings.PDP_EXPORT_DIR)
    if not folder.is_dir():
        return []
    named = set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    return [
        path
        for path in [*folder.glob("*.zip"), *folder.glob("*.zip.part")]
        if path.is_file() and path.name not in named and path.stat().st_mtime < cutoff.timestamp()
    ]


def export_job_create(*, requested_by, department: Department) -> ExportJob:
    exports_expire(requested_by=requested_by)
    total = plans_in(department).count()
    if total == 0:
        raise Refused(f"Nobody in {department.name} has a development plan yet, so there is nothing to export.")
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=requested_by, department=department, total=total)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import build_plan_export

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # no broker: `manage.py run_jobs` builds it, never the web request that asked
    try:
        build_plan_export.delay(job_id)
    except Exception:
        # The job stays queued; the page says so and HR can ask again.
        logger.exception("Could not queue plan export %s", job_id)


def _file_name(job: ExportJob) -> str:
    day = timezone.localdate()
    return f"development-plans-{slugify(job.department.name)}-{day:%Y-%m-%d}-{job.pk}-{secrets.token_hex(6)}.zip"


def _partial_path(job_id: int, attempt: int) -> Path:
    return export_dir() / f"job-{job_id}-{attempt}.zip.part"


def _remove_partials(job_id: int) -> None:
    for path in export_dir().glob(f"job-{job_id}-*.zip.part"):
        path.unlink(missing_ok=True)


class _Superseded(Exception):
    """Another attempt has claimed the job (this one was taken for dead): stop."""


def _claim(job_id: int, now: datetime) -> int | None:
    """Claim a queued job, or a running one whose heartbeat stopped; the attempt's number, or None."""
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(
        status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER
    )
    attempts = ExportJob.objects.filter(claimable, pk=job_id).values_list("attempts", flat=True).first()
    if attempts is None:
        return None
    if attempts >= MAX_ATTEMPTS:
        _give_up(job_id, attempts)
        return None
    claimed = ExportJob.objects.filter(claimable, pk=job_id, attempts=attempts).update(
        status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=attempts + 1, done=0
    )
    return attempts + 1 if claimed else None


def _give_up(job_id: int, attempts: int) -> None:
    if ExportJob.objects.filter(pk=job_id, attempts=attempts, status__in=_UNFINISHED).update(
        status=ExportJob.Status.FAILED, error=STOPPED_MESSAGE.format(attempts=attempts), finished_at=timezone.now()
    ):
        logger.error("Plan export %s stopped %s times; failed", job_id, attempts)
    _remove_partials(job_id)


_UNFINISHED = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def _beat(job_id: int, attempt: int, done: int) -> None:
    """Progress and heartbeat in one write, for the attempt that holds the claim; else stop."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, attempts=attempt).update(
        done=done, heartbeat_at=timezone.now()
    ):
        raise _Superseded


def exports_recover(*, now: datetime | None = None) -> int:
    """Queue again each running export whose worker stopped (its heartbeat is older than
    STALE_AFTER), to be built from the start; fail those tried MAX_ATTEMPTS times, removing what
    they left. Returns how many were queued again."""
    now = now or timezone.now()
    stopped = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    queued = 0
    for job_id, attempts in stopped.values_list("pk", "attempts"):
        if attempts >= MAX_ATTEMPTS:
            _give_up(job_id, attempts)
            continue
        if stopped.filter(pk=job_id, attempts=attempts).update(status=ExportJob.Status.QUEUED, done=0):
            logger.warning("Plan export %s lost its worker (attempt %s); queued again", job_id, attempts)
            _remove_partials(job_id)
            _enqueue(job_id)
            queued += 1
    return queued


def queued_export_run_next() -> bool:
    """Build the oldest queued export here (without a broker: `manage.py run_jobs`). False when none waits."""
    job_id = (
        ExportJob.objects.filter(status=ExportJob.Status.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if job_id is None:
        return False
    export_job_run(job_id=job_id)
    return True


def _plans_for(job: ExportJob):
    """The job's plans, read CHUNK at a time with their objectives and actions."""
    return (
        plans_in(job.department)
        .select_related(*PLAN_RELATED)
        .prefetch_related(Prefetch("objectives"), Prefetch("actions"))
        .order_by("employee__user__last_name", "employee__user__first_name", "pk")
        .iterator(chunk_size=CHUNK)
    )


def export_job_run(*, job_id: int) -> None:
    """Build the zip for a queued job (or one whose worker stopped). Does nothing if another run has it."""
    now = timezone.now()
    attempt = _claim(job_id, now)
    if attempt is None:
        return
    _remove_partials(job_id)  # what an earlier attempt left
    job = ExportJob.objects.select_related("department", "requested_by").get(pk=job_id)
    partial = _partial_path(job.pk, attempt)
    try:
        total = plans_in(job.department).count()
        ExportJob.objects.filter(pk=job.pk, attempts=attempt).update(total=total, done=0)
        if not total:
            raise Refused("Nobody there has a current development plan any more.")
        names: set[str] = set()
        done, logged, entry = 0, [], None
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for plan in _plans_for(job):
                name = _unique(f"{slugify(plan.employee.full_name)}-{plan.employee.staff_number}.pdf", names)
                archive.writestr(name, plan_pdf(plan, generated_at=now))
                done += 1
                if plan.employee.user_id != job.requested_by_id:
                    logged.append(("pdp.plan", plan.pk, plan.employee_id))
                if done % PROGRESS_EVERY == 0:
                    _beat(job.pk, attempt, min(done, total))
                if len(logged) >= CHUNK:
                    entry = _log_reads(job, entry, logged)
        _log_reads(job, entry, logged)
        path = export_dir() / _file_name(job)
        partial.rename(path)
        if not ExportJob.objects.filter(pk=job.pk, attempts=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE, total=done, done=done, file_name=path.name, finished_at=timezone.now()
        ):
            path.unlink(missing_ok=True)
    except _Superseded:
        partial.unlink(missing_ok=True)
        logger.warning("Plan export %s was taken over by another attempt; attempt %s stopped", job.pk, attempt)
    except Exception as error:
        partial.unlink(missing_ok=True)
        message = (
            str(error) if isinstance(error, Refused) else "The export failed. Try again; if it fails again, tell IT."
        )
        ExportJob.objects.filter(pk=job.pk, attempts=attempt).update(
            status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
        )
        if not isinstance(error, Refused):
            logger.exception("Plan export %s failed", job.pk)


def _log_reads(job: ExportJob, entry: Entry | None, logged: list) -> Entry | None:
    """The plans the export read, in one access log entry for the export, added to a chunk at a time."""
    if entry is None:
        entry = entry_write(user=job.requested_by, path=f"export {job.pk}", reads=logged)
    else:
        entry_extend(entry, logged)
    logged.clear()
    return entry


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = name.replace(".pdf", f"-{number}.pdf")
    taken.add(candidate)
    return candidate


def export_file_path(job: ExportJob) -> Path | None:
    if job.status != ExportJob.Status.DONE or not job.file_name:
        return None
    path = export_dir() / job.file_name
    return path if path.is_file() else None
