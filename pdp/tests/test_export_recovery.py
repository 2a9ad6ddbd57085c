"""An export whose worker stops (a restart, a crash) is built again from the start, or failed
with a message once it has stopped MAX_ATTEMPTS times; what a stopped worker left is removed.
The worker beats every few plans; a fresh heartbeat keeps recovery away."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.management import call_command

from pdp import exports
from pdp.exports import MAX_ATTEMPTS, STALE_AFTER, export_job_run, exports_recover
from pdp.factories import ExportJobFactory, PlanFactory
from pdp.models import ExportJob
from people.factories import EmployeeFactory

START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
PLANS = 8


class WorkerKilled(BaseException):
    """What a worker's death looks like from inside: nothing after it runs, no except clause catches it."""


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.PDP_EXPORT_DIR = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no broker, as under `make run`: jobs wait for run_jobs
    return tmp_path


@pytest.fixture
def job(cast):
    department = cast.employee.department
    for _ in range(PLANS):
        PlanFactory(employee=EmployeeFactory(department=department))
    return ExportJobFactory(requested_by=cast.hr.user, department=department, total=PLANS)


@pytest.fixture
def pdfs(monkeypatch):
    """Small stand-in PDFs (the rendering is tested elsewhere); `pdfs.die_at = n` kills the worker at the n-th."""

    class Pdfs:
        made = 0
        die_at = None

    def plan_pdf(plan, generated_at):
        Pdfs.made += 1
        if Pdfs.made == Pdfs.die_at:
            raise WorkerKilled
        return b"%PDF-1.7 " + str(plan.pk).encode()

    monkeypatch.setattr(exports, "plan_pdf", plan_pdf)
    return Pdfs


def run_and_die(job, pdfs, at_plan: int, when: datetime.datetime) -> None:
    pdfs.made, pdfs.die_at = 0, at_plan
    with time_machine.travel(when, tick=False), pytest.raises(WorkerKilled):
        export_job_run(job_id=job.pk)


def test_it_builds_an_export_again_after_its_worker_stopped(job, pdfs, export_dir):
    run_and_die(job, pdfs, at_plan=7, when=START)
    job.refresh_from_db()
    assert (job.status, job.done, job.attempts) == ("running", 5, 1)  # the heartbeat at 5 plans
    assert [path.name for path in export_dir.iterdir()] == [f"job-{job.pk}-1.zip.part"]  # left behind

    with time_machine.travel(START + STALE_AFTER - datetime.timedelta(seconds=5), tick=False):
        assert exports_recover() == 0  # the heartbeat is still fresh: it may be alive
    with time_machine.travel(START + STALE_AFTER + datetime.timedelta(seconds=5), tick=False):
        assert exports_recover() == 1
        job.refresh_from_db()
        assert (job.status, job.done) == ("queued", 0)
        assert list(export_dir.iterdir()) == []  # the partial zip of confidential plans is gone
        pdfs.die_at = None
        call_command("run_jobs", stdout=io.StringIO())

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts) == ("done", PLANS, PLANS, 2)
    (path,) = export_dir.iterdir()
    assert path.name == job.file_name
    assert len(zipfile.ZipFile(path).namelist()) == PLANS


def test_it_fails_an_export_whose_worker_stopped_too_often_and_removes_what_it_left(job, pdfs, export_dir):
    for attempt in range(MAX_ATTEMPTS):
        when = START + attempt * 2 * STALE_AFTER
        run_and_die(job, pdfs, at_plan=3, when=when)
        with time_machine.travel(when + STALE_AFTER + datetime.timedelta(seconds=1), tick=False):
            exports_recover()
    job.refresh_from_db()
    assert job.status == "failed"
    assert f"stopped {MAX_ATTEMPTS} times" in job.error
    assert list(export_dir.iterdir()) == []
    export_job_run(job_id=job.pk)  # a late delivery of the task does nothing
    job.refresh_from_db()
    assert job.status == "failed"


def test_it_stops_a_worker_whose_claim_was_taken_over(job, pdfs, export_dir, monkeypatch):
    """A worker taken for dead (it stalled past STALE_AFTER) stops at its next heartbeat,
    leaving the new attempt's work alone."""
    original = exports._beat

    def stalled_beat(job_id, attempt, done):
        ExportJob.objects.filter(pk=job_id).update(attempts=attempt + 1)  # another attempt claimed it meanwhile
        original(job_id, attempt, done)

    monkeypatch.setattr(exports, "_beat", stalled_beat)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "running"  # the other attempt's to finish
    assert pdfs.made == 5
    assert list(export_dir.iterdir()) == []


def test_it_keeps_the_progress_page_honest_while_waiting_to_start_again(client, cast, job, pdfs):
    run_and_die(job, pdfs, at_plan=7, when=START)
    with time_machine.travel(START + 2 * STALE_AFTER, tick=False):
        exports_recover()
    client.force_login(cast.hr.user)
    page = client.get(f"/pdp/exports/{job.pk}/").content.decode()
    assert "Waiting to start" in page
    assert "being built again from the start" in page
