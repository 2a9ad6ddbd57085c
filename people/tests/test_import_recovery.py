"""A staff check or import whose runner stops (a restart of `make run`'s loop or of a worker) is
done again, or failed with a message once it has stopped MAX_ATTEMPTS times; a runner told to stop
puts its job back at once; a runner whose claim was taken over stops without touching the job."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from people import import_jobs
from people.import_jobs import (
    MAX_ATTEMPTS,
    STALE_AFTER,
    import_job_check,
    import_job_confirm,
    import_job_create,
    import_job_run,
    import_jobs_recover,
)
from people.models import Employee, StaffImportJob
from talentapp.jobs import queued_jobs_run

DATA = Path(__file__).parent / "data"
START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
Status = StaffImportJob.Status


class RunnerKilled(BaseException):
    """What a runner's death looks like from inside: nothing after it runs, no except clause catches it."""


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.STAFF_IMPORT_DIR = tmp_path / "imports"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # as under `make run`: jobs wait for run_jobs


@pytest.fixture
def stopping(monkeypatch):
    """`stopping.with_ = SomeException` makes the next step stop as it starts checking the people."""

    class Stopping:
        with_ = None
        steps = 0

    real = import_jobs.staff_import

    def staff_import(data, *, checking, **options):
        def check_or_stop():
            checking()
            Stopping.steps += 1
            if Stopping.with_ is not None:
                stop, Stopping.with_ = Stopping.with_, None
                raise stop

        return real(data, checking=check_or_stop, **options)

    monkeypatch.setattr(import_jobs, "staff_import", staff_import)
    return Stopping


@pytest.fixture
def job(cast, django_capture_on_commit_callbacks) -> StaffImportJob:
    upload = SimpleUploadedFile("staff.csv", (DATA / "staff_good.csv").read_bytes(), content_type="text/csv")
    with time_machine.travel(START, tick=False), django_capture_on_commit_callbacks(execute=True):
        return import_job_create(requested_by=cast.hr.user, upload=upload, complete=False)


def state(job) -> tuple:
    job.refresh_from_db()
    return job.status, job.attempts


def test_it_checks_a_file_again_after_its_runner_stopped(job, stopping):
    stopping.with_ = RunnerKilled
    with time_machine.travel(START, tick=False), pytest.raises(RunnerKilled):
        import_job_check(job_id=job.pk)
    assert state(job) == (Status.CHECKING, 1)  # left behind

    with time_machine.travel(START + STALE_AFTER - datetime.timedelta(seconds=5), tick=False):
        assert import_jobs_recover() == 0  # it moved recently: it may be alive
    with time_machine.travel(START + STALE_AFTER + datetime.timedelta(seconds=5), tick=False):
        assert import_jobs_recover() == 1
        assert state(job) == (Status.QUEUED, 1)
        call_command("run_jobs", stdout=io.StringIO())

    assert state(job) == (Status.CHECKED, 2)
    assert job.report["created"] == 16
    assert (Path(import_jobs.import_dir()) / job.file_name).is_file()  # waiting for HR to confirm


def test_it_imports_again_after_its_runner_stopped_and_imports_once(job, monkeypatch):
    from people import importer

    import_job_check(job_id=job.pk)
    job.refresh_from_db()
    assert import_job_confirm(job=job)
    before = Employee.objects.count()
    write = importer._write

    def write_then_die(*args, **kwargs):
        write(*args, **kwargs)
        assert Employee.objects.count() == before + 16
        raise RunnerKilled

    monkeypatch.setattr(importer, "_write", write_then_die)
    with time_machine.travel(START, tick=False), pytest.raises(RunnerKilled):
        import_job_run(job_id=job.pk)
    assert state(job) == (Status.IMPORTING, 1)
    assert Employee.objects.count() == before  # one transaction: what it wrote is gone with it
    monkeypatch.setattr(importer, "_write", write)

    with time_machine.travel(START + STALE_AFTER + datetime.timedelta(seconds=5), tick=False):
        call_command("run_jobs", stdout=io.StringIO())  # recovers it, then imports it

    assert state(job) == (Status.IMPORTED, 2)
    assert Employee.objects.count() == before + 16
    assert job.file_name == ""


def test_it_fails_a_step_whose_runner_stopped_too_often_and_removes_the_file(job, stopping):
    path = import_jobs.import_dir() / job.file_name
    for attempt in range(MAX_ATTEMPTS):
        when = START + attempt * 2 * STALE_AFTER
        stopping.with_ = RunnerKilled
        with time_machine.travel(when, tick=False), pytest.raises(RunnerKilled):
            import_job_check(job_id=job.pk)
        with time_machine.travel(when + STALE_AFTER + datetime.timedelta(seconds=1), tick=False):
            import_jobs_recover()

    assert state(job) == (Status.FAILED, MAX_ATTEMPTS)
    assert job.error.startswith("The check stopped twice before it finished")
    assert not path.exists()
    assert not import_job_check(job_id=job.pk)  # a late delivery of the task does nothing
    assert state(job) == (Status.FAILED, MAX_ATTEMPTS)


def test_it_puts_a_job_back_at_once_when_its_runner_is_told_to_stop(job, stopping):
    """Ctrl-C under `make run`, or TERM to `run_jobs`: the job waits again, the attempt not counted."""
    stopping.with_ = SystemExit(143)
    with pytest.raises(SystemExit):
        import_job_check(job_id=job.pk)
    assert state(job) == (Status.QUEUED, 0)
    assert job.stage == "Waiting to start"

    assert queued_jobs_run().imports == 1
    assert state(job) == (Status.CHECKED, 1)


def test_it_stops_a_runner_whose_claim_was_taken_over(job, stopping, monkeypatch):
    """A runner taken for dead (it stalled past STALE_AFTER) stops at its next sign of life and
    leaves the job, and its file, to the attempt that took it over."""
    real = import_jobs._mover

    def taken_over_first(job_id, step, attempt):
        StaffImportJob.objects.filter(pk=job_id).update(attempts=attempt + 1)  # another attempt claimed it meanwhile
        return real(job_id, step, attempt)

    monkeypatch.setattr(import_jobs, "_mover", taken_over_first)
    import_job_check(job_id=job.pk)

    assert state(job) == (Status.CHECKING, 2)  # the other attempt's to finish
    assert stopping.steps == 0  # stopped at its first sign of life, before checking anyone
    assert (import_jobs.import_dir() / job.file_name).is_file()


def test_it_does_each_step_once_however_often_it_is_asked(job, stopping):
    assert import_job_check(job_id=job.pk)
    assert not import_job_check(job_id=job.pk)  # a task delivered twice, or a second runner
    assert stopping.steps == 1
    assert state(job) == (Status.CHECKED, 1)


def test_it_runs_a_waiting_staff_file_before_an_export_queued_earlier(job, cast, stopping, monkeypatch, settings):
    from pdp import exports
    from pdp.factories import ExportJobFactory, PlanFactory
    from pdp.models import ExportJob

    settings.PDP_EXPORT_DIR = settings.STAFF_IMPORT_DIR.parent / "exports"
    PlanFactory(employee=cast.employee)
    export = ExportJobFactory(requested_by=cast.hr.user, department=cast.employee.department, total=1)
    ExportJob.objects.filter(pk=export.pk).update(created_at=START - datetime.timedelta(hours=1))
    order = []
    monkeypatch.setattr(exports, "plan_pdf", lambda plan, generated_at: order.append("export") or b"%PDF-1.7")
    check = import_jobs.staff_import
    monkeypatch.setattr(
        import_jobs, "staff_import", lambda data, **options: order.append("import") or check(data, **options)
    )

    ran = queued_jobs_run()

    assert order == ["import", "export"]
    assert (ran.imports, ran.exports) == (1, 1)
    assert state(job) == (Status.CHECKED, 1)
