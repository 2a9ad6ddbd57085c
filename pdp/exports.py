"""HR's bulk export: the current plans of a part of the organisation as one zip of PDFs.

`export_job_create` records the job and queues pdp.tasks.build_plan_export (on the `exports`
queue) once the transaction commits; `export_job_run` builds the zip, counting progress in the
job's row so that the progress page can show it.

- It builds in two passes. First each plan's PDF is written to the job's own folder
  (`job-<id>.plans/<plan id>.pdf`, written under a temporary name and renamed, so a file there is
  whole), plans in the order of their ids, read CHUNK at a time (a keyset on the id, each chunk
  with its objectives and actions prefetched). Then the files are streamed into the zip, and
  the folder removed. Memory stays flat however many plans.
- A job is claimed by a conditional update (queued to running, with the attempt's number), so a
  retried or duplicated task never builds it twice. The worker building it beats (heartbeat_at,
  with the progress) every few plans. A running job whose heartbeat is older than STALE_AFTER
  lost its worker (a restart, a crash): `exports_recover`, run every minute by beat (or by
  `manage.py run_jobs`), queues it again, or fails it with a message once it has been tried
  MAX_ATTEMPTS times. A worker that finds its claim taken over stops. A worker told to stop
  (Ctrl-C, `run_jobs` sent TERM) puts the job back at once, that attempt not counted.
- A new attempt resumes: the plans whose PDFs are in the folder are not made again; it goes on
  after the highest plan id there (a keyset), and the zip pass makes any current plan still
  missing (one that became current meanwhile), leaving out files of plans no longer current.
- The zip is written under a name of its own (`job-<id>-<attempt>.zip.part`), renamed when
  complete; a new attempt removes an earlier one's unfinished zip; a failure, giving up and
  expiry remove the plans folder too.
- Without REDIS_URL no web request builds an export: the job waits for `manage.py run_jobs`,
  which `make run` keeps running beside the server (`--watch`).

Files go to PDP_EXPORT_DIR (default var/exports/), which web processes and workers must
share; a user's exports older than a week are removed when they next export, and everyone's by
the daily retention run (`manage.py apply_retention`). The plans the zip holds are written to
the access log as it is put together, as a page read is.
"""

import logging
import secrets
import shutil
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
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
        _remove_partials(job.pk, plans_too=True)
    ExportJob.objects.filter(pk__in=[job.pk for job in jobs]).delete()
    for path in stray:
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return Expired(exports=len(jobs), stray_files=len(stray))


def _stray_files(cutoff: datetime) -> list[Path]:
    """Zips no export names, and plans folders of no unfinished export, older than `cutoff`."""
    folder = Path(settings.PDP_EXPORT_DIR)
    if not folder.is_dir():
        return []
    named = set(ExportJob.objects.exclude(file_name="").values_list("file_name", flat=True))
    named |= {
        _plans_dir(job_id).name
        for job_id in ExportJob.objects.filter(status__in=_UNFINISHED).values_list("pk", flat=True)
    }
    return [
        path
        for path in [*folder.glob("*.zip"), *folder.glob("*.zip.part"), *folder.glob("job-*.plans")]
        if path.name not in named and path.stat().st_mtime < cutoff.timestamp()
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


def _plans_dir(job_id: int) -> Path:
    """Where the job's PDFs wait, a file a plan, until they go into the zip."""
    return Path(settings.PDP_EXPORT_DIR) / f"job-{job_id}.plans"


def _remove_partials(job_id: int, *, plans_too: bool = False) -> None:
    """Remove the unfinished zips of the job's attempts and, with `plans_too`, the PDFs it made."""
    for path in export_dir().glob(f"job-{job_id}-*.zip.part"):
        path.unlink(missing_ok=True)
    if plans_too:
        shutil.rmtree(_plans_dir(job_id), ignore_errors=True)


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
        status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=attempts + 1
    )
    return attempts + 1 if claimed else None


def _give_up(job_id: int, attempts: int) -> None:
    if ExportJob.objects.filter(pk=job_id, attempts=attempts, status__in=_UNFINISHED).update(
        status=ExportJob.Status.FAILED, error=STOPPED_MESSAGE.format(attempts=attempts), finished_at=timezone.now()
    ):
        logger.error("Plan export %s stopped %s times; failed", job_id, attempts)
        _remove_partials(job_id, plans_too=True)


_UNFINISHED = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def _beat(job_id: int, attempt: int, done: int | None = None) -> None:
    """Progress (if given) and heartbeat in one write, for the attempt that holds the claim; else stop."""
    progress = {} if done is None else {"done": done}
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, attempts=attempt).update(
        heartbeat_at=timezone.now(), **progress
    ):
        raise _Superseded


def exports_recover(*, now: datetime | None = None) -> int:
    """Queue again each running export whose worker stopped (its heartbeat is older than
    STALE_AFTER), to carry on from the plans it made; fail those tried MAX_ATTEMPTS times, removing
    what they left. Returns how many were queued again."""
    now = now or timezone.now()
    stopped = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    queued = 0
    for job_id, attempts in stopped.values_list("pk", "attempts"):
        if attempts >= MAX_ATTEMPTS:
            _give_up(job_id, attempts)
            continue
        if stopped.filter(pk=job_id, attempts=attempts).update(status=ExportJob.Status.QUEUED):
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


def _by_id(queryset: QuerySet, *, after: int = 0, key=lambda row: row.pk):
    """The queryset's rows after id `after`, in the order of their ids, read CHUNK at a time, each
    chunk a query of its own (a keyset on the id). No cursor stays open while the export writes:
    SQLite refuses a write from a connection reading a snapshot that another process has written
    since ('database is locked'), and on PostgreSQL a cursor held for half an hour holds back vacuum."""
    while chunk := list(queryset.filter(pk__gt=after).order_by("pk")[:CHUNK]):
        yield from chunk
        after = key(chunk[-1])


def _plans_to_make(job: ExportJob, *, after: int):
    """The job's plans after plan id `after`, with their objectives and actions."""
    plans = (
        plans_in(job.department)
        .select_related(*PLAN_RELATED)
        .prefetch_related(Prefetch("objectives"), Prefetch("actions"))
    )
    return _by_id(plans, after=after)


def _plans_made(folder: Path) -> set[int]:
    """The ids of the plans whose PDFs an attempt wrote to `folder` in full."""
    return {int(path.stem) for path in folder.glob("*.pdf") if path.stem.isdecimal()} if folder.is_dir() else set()


def _pdf_write(folder: Path, plan: Plan, attempt: int, now: datetime) -> Path:
    """The plan's PDF in `folder`, written under a temporary name and renamed, so that a file
    there is whole even if the worker stops part way."""
    path = folder / f"{plan.pk}.pdf"
    temporary = folder / f"{plan.pk}.pdf.{attempt}.tmp"
    temporary.write_bytes(plan_pdf(plan, generated_at=now))
    temporary.replace(path)
    return path


def export_job_run(*, job_id: int) -> None:
    """Build the zip for a queued job (or one whose worker stopped), carrying on from the plans an
    earlier attempt made. Does nothing if another run has it."""
    now = timezone.now()
    attempt = _claim(job_id, now)
    if attempt is None:
        return
    _remove_partials(job_id)  # an earlier attempt's unfinished zip; the PDFs it made are kept
    job = ExportJob.objects.select_related("department", "requested_by").get(pk=job_id)
    partial = _partial_path(job.pk, attempt)
    try:
        total = plans_in(job.department).count()
        if not total:
            raise Refused("Nobody there has a current development plan any more.")
        folder = _plans_dir(job.pk)
        folder.mkdir(exist_ok=True)
        made = _plans_made(folder)
        done = min(len(made), total)
        ExportJob.objects.filter(pk=job.pk, attempts=attempt).update(total=total, done=done)
        for plan in _plans_to_make(job, after=max(made, default=0)):
            _pdf_write(folder, plan, attempt, now)
            done += 1
            if done % PROGRESS_EVERY == 0:
                _beat(job.pk, attempt, min(done, total))
        done = _zip_write(job, attempt, folder, partial, now)
        path = export_dir() / _file_name(job)
        partial.rename(path)
        if ExportJob.objects.filter(pk=job.pk, attempts=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.DONE, total=done, done=done, file_name=path.name, finished_at=timezone.now()
        ):
            shutil.rmtree(folder, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except _Superseded:
        partial.unlink(missing_ok=True)  # the plans folder is the other attempt's now
        logger.warning("Plan export %s was taken over by another attempt; attempt %s stopped", job.pk, attempt)
    except (KeyboardInterrupt, SystemExit):
        # Told to stop (Ctrl-C, `run_jobs` sent TERM): queued again at once, this attempt not
        # counted, to carry on from the PDFs made so far.
        partial.unlink(missing_ok=True)
        if ExportJob.objects.filter(pk=job.pk, attempts=attempt, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.QUEUED, attempts=attempt - 1
        ):
            _enqueue(job.pk)  # with a broker, a task for it again (without, run_jobs finds it)
        raise
    except Exception as error:
        partial.unlink(missing_ok=True)
        message = (
            str(error) if isinstance(error, Refused) else "The export failed. Try again; if it fails again, tell IT."
        )
        if ExportJob.objects.filter(pk=job.pk, attempts=attempt).update(
            status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
        ):
            _remove_partials(job.pk, plans_too=True)
        if not isinstance(error, Refused):
            logger.exception("Plan export %s failed", job.pk)


def _zip_write(job: ExportJob, attempt: int, folder: Path, partial: Path, now: datetime) -> int:
    """Stream the PDFs of the job's current plans from `folder` into the zip, making any still
    missing; log the plans it holds; beat as it goes. Returns how many it holds."""
    current = plans_in(job.department).values_list(
        "pk",
        "employee_id",
        "employee__user_id",
        "employee__staff_number",
        "employee__user__first_name",
        "employee__user__last_name",
        "employee__user__username",
    )
    names: set[str] = set()
    count, logged, entry = 0, [], None
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for plan_id, employee_id, user_id, staff_number, first, last, username in _by_id(current, key=itemgetter(0)):
            path = folder / f"{plan_id}.pdf"
            if not path.is_file():  # a plan that became current since the first pass went by
                plan = Plan.objects.select_related(*PLAN_RELATED).prefetch_related("objectives", "actions")
                path = _pdf_write(folder, plan.get(pk=plan_id), attempt, now)
            full_name = f"{first} {last}".strip() or username  # Employee.full_name, without loading the person
            archive.write(path, _unique(f"{slugify(full_name)}-{staff_number}.pdf", names))
            count += 1
            if user_id != job.requested_by_id:
                logged.append(("pdp.plan", plan_id, employee_id))
            if count % PROGRESS_EVERY == 0:
                _beat(job.pk, attempt)
            if len(logged) >= CHUNK:
                entry = _log_reads(job, entry, logged)
    _log_reads(job, entry, logged)
    return count


def _log_reads(job: ExportJob, entry: Entry | None, logged: list) -> Entry | None:
    """The plans the zip holds, in one access log entry for the export, added to a chunk at a time."""
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
