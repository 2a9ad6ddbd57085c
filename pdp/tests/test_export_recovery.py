"""An export whose worker stops (a restart, a crash) carries on where it stopped: the plans whose
PDFs it made are not made again, and the zip holds every current plan once. It is failed with a
message once it has stopped MAX_ATTEMPTS times, and a failure removes what it left. The worker
beats every few plans; a fresh heartbeat keeps recovery away."""

import datetime
import io
import zipfile
from pathlib import Path

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
    """Small stand-in PDFs (the rendering is tested elsewhere); `pdfs.die_at = n` kills the worker at the
    n-th (or stops it with `pdfs.death`)."""

    class Pdfs:
        made = 0
        die_at = None
        death = WorkerKilled

    def plan_pdf(plan, generated_at):
        Pdfs.made += 1
        if Pdfs.made == Pdfs.die_at:
            raise Pdfs.death
        return b"%PDF-1.7 " + str(plan.pk).encode()

    monkeypatch.setattr(exports, "plan_pdf", plan_pdf)
    return Pdfs


def run_and_die(job, pdfs, at_plan: int, when: datetime.datetime) -> None:
    pdfs.made, pdfs.die_at = 0, at_plan
    with time_machine.travel(when, tick=False), pytest.raises(WorkerKilled):
        export_job_run(job_id=job.pk)


def zip_of(job) -> zipfile.ZipFile:
    job.refresh_from_db()
    return zipfile.ZipFile(Path(exports.export_dir()) / job.file_name)


def plans_in_zip(job) -> list[int]:
    """The plan of each PDF in the job's zip (the stand-in PDFs carry their plan's id)."""
    archive = zip_of(job)
    return sorted(int(archive.read(name).split()[-1]) for name in archive.namelist())


def test_it_carries_on_after_its_worker_stopped_making_only_the_plans_left(job, pdfs, export_dir):
    run_and_die(job, pdfs, at_plan=7, when=START)  # 6 PDFs made, the 7th under way
    job.refresh_from_db()
    assert (job.status, job.done, job.attempts) == ("running", 5, 1)  # the heartbeat at 5 plans
    folder = export_dir / f"job-{job.pk}.plans"
    assert len(list(folder.glob("*.pdf"))) == 6

    with time_machine.travel(START + STALE_AFTER - datetime.timedelta(seconds=5), tick=False):
        assert exports_recover() == 0  # the heartbeat is still fresh: it may be alive
    with time_machine.travel(START + STALE_AFTER + datetime.timedelta(seconds=5), tick=False):
        assert exports_recover() == 1
        job.refresh_from_db()
        assert job.status == "queued"
        pdfs.made, pdfs.die_at = 0, None
        call_command("run_jobs", stdout=io.StringIO())

    assert pdfs.made == PLANS - 6  # only those left
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts) == ("done", PLANS, PLANS, 2)
    assert plans_in_zip(job) == sorted(job_plans(job))  # every plan, once
    assert [path.name for path in export_dir.iterdir()] == [job.file_name]  # the PDFs' folder is gone


def job_plans(job) -> list[int]:
    return list(exports.plans_in(job.department).values_list("pk", flat=True))


def test_it_carries_on_after_stopping_while_it_put_the_zip_together(job, pdfs, export_dir, monkeypatch):
    write = zipfile.ZipFile.write

    def write_then_die(archive, *args, **kwargs):
        write(archive, *args, **kwargs)
        if len(archive.namelist()) == 4:
            raise WorkerKilled

    monkeypatch.setattr(zipfile.ZipFile, "write", write_then_die)
    with time_machine.travel(START, tick=False), pytest.raises(WorkerKilled):
        export_job_run(job_id=job.pk)
    assert pdfs.made == PLANS
    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    with time_machine.travel(START + 2 * STALE_AFTER, tick=False):
        call_command("run_jobs", stdout=io.StringIO())

    assert pdfs.made == PLANS  # none made again
    assert plans_in_zip(job) == sorted(job_plans(job))
    assert [path.name for path in export_dir.iterdir()] == [job.file_name]  # the unfinished zip is gone too


def test_it_holds_the_plans_current_when_it_carries_on_each_once(job, pdfs, export_dir, cast):
    """While it was stopped, a person's plan was replaced by a new one (after the plans made so
    far), and another person's earlier plan became current again (before them)."""
    from pdp.models import Plan

    first, second = sorted(job_plans(job))[:2]
    Plan.objects.filter(pk=second).update(is_current=False)
    run_and_die(job, pdfs, at_plan=7, when=START)  # 6 made; `second` was not current then
    Plan.objects.filter(pk=first).update(is_current=False)
    newer = PlanFactory(employee=Plan.objects.get(pk=first).employee)
    Plan.objects.filter(pk=second).update(is_current=True)
    pdfs.made, pdfs.die_at = 0, None

    with time_machine.travel(START + 2 * STALE_AFTER, tick=False):
        call_command("run_jobs", stdout=io.StringIO())

    in_zip = plans_in_zip(job)
    assert in_zip == sorted(job_plans(job))  # each current plan once
    assert first not in in_zip
    assert {newer.pk, second} <= set(in_zip)
    assert pdfs.made == 3  # the one under way when it stopped, the new plan, and the one current again


def test_it_puts_an_export_back_at_once_when_its_worker_is_told_to_stop(job, pdfs, export_dir):
    """Ctrl-C under `make run`, or TERM to `run_jobs`: queued again at once, the attempt not counted."""
    pdfs.die_at, pdfs.death = 4, SystemExit(143)
    with pytest.raises(SystemExit):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 0)
    assert [path.name for path in export_dir.iterdir()] == [f"job-{job.pk}.plans"]

    pdfs.made, pdfs.die_at = 0, None
    call_command("run_jobs", stdout=io.StringIO())
    assert pdfs.made == PLANS - 3
    assert plans_in_zip(job) == sorted(job_plans(job))


def test_it_removes_the_plans_it_made_when_it_fails(job, pdfs, export_dir):
    pdfs.die_at, pdfs.death = 4, ValueError("a plan that will not render")
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert list(export_dir.iterdir()) == []  # no confidential PDFs left behind


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
    assert [path.name for path in export_dir.iterdir()] == [f"job-{job.pk}.plans"]  # the other attempt's


def test_it_keeps_the_progress_page_honest_while_waiting_to_start_again(client, cast, job, pdfs):
    run_and_die(job, pdfs, at_plan=7, when=START)
    with time_machine.travel(START + 2 * STALE_AFTER, tick=False):
        exports_recover()
    client.force_login(cast.hr.user)
    page = client.get(f"/pdp/exports/{job.pk}/").content.decode()
    assert "Waiting to start" in page
    assert "carries on from where it stopped" in page
