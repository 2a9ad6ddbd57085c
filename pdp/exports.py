"""HR's bulk export: the current plans of a part of the organisation as one zip of PDFs.

`export_job_create` records the job and queues pdp.tasks.build_plan_export once the
transaction commits; `export_job_run` builds the zip, counting progress in the job's row
so that the progress page can show it. A job is claimed by a conditional update from
queued to running, so a retried or duplicated task never builds it twice.

Without REDIS_URL the task runs in-process, inside the request that asked for it: fine for
a department or two, slow for a whole directorate (a typical plan takes a few hundredths
of a second). With Redis a worker builds it and the page follows its progress.

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
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from core.refusal import Refused
from people.access_log import entry_write
from people.models import Department
from people.selectors import in_department_tree

from .models import ExportJob, Plan
from .pdf import plan_pdf
from .selectors import PLAN_RELATED

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 5  # plans between progress updates: fewer writes, still a moving bar
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
        for path in folder.glob("*.zip")
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

    try:
        build_plan_export.delay(job_id)
    except Exception:
        # The job stays queued; the page says so and HR can ask again.
        logger.exception("Could not queue plan export %s", job_id)


def _file_name(job: ExportJob) -> str:
    day = timezone.localdate()
    return f"development-plans-{slugify(job.department.name)}-{day:%Y-%m-%d}-{job.pk}-{secrets.token_hex(6)}.zip"


def export_job_run(*, job_id: int) -> None:
    """Build the zip for a queued job. Does nothing if another run has claimed it."""
    now = timezone.now()
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=now
    ):
        return
    job = ExportJob.objects.select_related("department", "requested_by").get(pk=job_id)
    path = export_dir() / _file_name(job)
    try:
        plans = list(
            plans_in(job.department)
            .select_related(*PLAN_RELATED)
            .prefetch_related("objectives", "actions")
            .order_by("employee__user__last_name", "employee__user__first_name", "pk")
        )
        ExportJob.objects.filter(pk=job.pk).update(total=len(plans), done=0)
        if not plans:
            raise Refused("Nobody there has a current development plan any more.")
        names: set[str] = set()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, plan in enumerate(plans, start=1):
                name = _unique(f"{slugify(plan.employee.full_name)}-{plan.employee.staff_number}.pdf", names)
                archive.writestr(name, plan_pdf(plan, generated_at=now))
                if index % PROGRESS_EVERY == 0:
                    ExportJob.objects.filter(pk=job.pk).update(done=index)
        entry_write(
            user=job.requested_by,
            path=f"export {job.pk}",
            reads=[
                ("pdp.plan", plan.pk, plan.employee_id)
                for plan in plans
                if plan.employee.user_id != job.requested_by_id
            ],
        )
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, done=F("total"), file_name=path.name, finished_at=timezone.now()
        )
    except Exception as error:
        path.unlink(missing_ok=True)
        message = (
            str(error) if isinstance(error, Refused) else "The export failed. Try again; if it fails again, tell IT."
        )
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
        )
        if not isinstance(error, Refused):
            logger.exception("Plan export %s failed", job.pk)


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
