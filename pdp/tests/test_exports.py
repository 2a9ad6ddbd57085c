import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from pdp import tasks
from pdp.exports import export_job_run
from pdp.factories import ExportJobFactory, PlanFactory
from pdp.models import ExportJob
from pdp.tests.helpers import typical_plan
from people.factories import DepartmentFactory, EmployeeFactory, make_hr
from people.models import AccessLog, AccessLogRecord, Department

URL = reverse("pdp:exports")


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.PDP_EXPORT_DIR = tmp_path
    return tmp_path


@pytest.fixture
def run_tasks_at_once(monkeypatch, settings):
    """The task as a worker would run it, whatever the broker: called once the request commits."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a broker: the export is queued
    monkeypatch.setattr(tasks.build_plan_export, "delay", lambda job_id: export_job_run(job_id=job_id))


@pytest.fixture
def department(cast):
    """A department with a team below it: the cast's employee and manager work in it."""
    department = cast.employee.department
    team = Department.objects.create(name="Team A", level=Department.Level.TEAM, parent=department)
    EmployeeFactory(department=team)  # no plan
    return department


def test_it_builds_a_zip_with_one_pdf_per_person_including_teams_below(
    client, cast, department, run_tasks_at_once, django_capture_on_commit_callbacks
):
    typical_plan(employee=cast.employee)
    in_team = EmployeeFactory(department=department.children.get(), line_manager=cast.manager)
    typical_plan(employee=in_team, manager=cast.manager)
    typical_plan(employee=cast.other_employee)  # another department
    client.force_login(cast.hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"department": department.pk})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("pdp:export_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "Download the zip file" in page
    assert 'hx-trigger="every 2s"' not in page
    download = client.get(reverse("pdp:export_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="development-plans-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 2
    assert all(name.endswith(".pdf") for name in archive.namelist())
    entry = AccessLog.objects.get()  # one entry for the whole export
    assert (entry.user, entry.record_types, entry.record_count) == (cast.hr.user, "pdp.plan", 2)
    assert AccessLogRecord.objects.filter(entry=entry, record_type="pdp.plan").count() == 2


def test_it_never_builds_an_export_in_the_web_request_without_redis(
    client, cast, department, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no Redis
    typical_plan(employee=cast.employee)
    client.force_login(cast.hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"department": department.pk})
    job = ExportJob.objects.get()
    assert job.status == "queued"  # waiting for the background loop
    assert "Waiting to start" in client.get(response["Location"]).content.decode()
    call_command("run_jobs", stdout=io.StringIO())  # what `make run` keeps running beside the server
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 1, 1)


def test_it_says_so_when_nobody_there_has_a_plan(client, cast, department):
    client.force_login(cast.hr.user)
    response = client.post(URL, {"department": department.pk})
    assert response.status_code == 200
    assert "nothing to export" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_it_shows_progress_and_polls_until_done(client, cast, department):
    job = ExportJobFactory(requested_by=cast.hr.user, department=department, total=10, done=5, status="running")
    client.force_login(cast.hr.user)
    page = client.get(reverse("pdp:export_detail", args=[job.pk])).content.decode()
    assert "Building: 5 of 10 plans" in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(reverse("pdp:export_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="export-status"')


def test_it_keeps_an_export_to_the_hr_user_who_asked(client, cast, department):
    job = ExportJobFactory(requested_by=cast.hr.user, department=department)
    client.force_login(make_hr().user)
    assert client.get(reverse("pdp:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("pdp:export_download", args=[job.pk])).status_code == 404


def test_it_claims_a_job_once(cast, department, export_dir):
    typical_plan(employee=cast.employee)
    job = ExportJobFactory(requested_by=cast.hr.user, department=department)
    export_job_run(job_id=job.pk)
    export_job_run(job_id=job.pk)
    assert len(list(export_dir.iterdir())) == 1


def test_it_records_a_failure_without_leaving_a_file(cast, department, export_dir, monkeypatch):
    typical_plan(employee=cast.employee)
    job = ExportJobFactory(requested_by=cast.hr.user, department=department)
    monkeypatch.setattr("pdp.exports.plan_pdf", lambda plan, generated_at: 1 / 0)
    export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "failed" in job.error
    assert list(export_dir.iterdir()) == []


def test_it_refuses_a_department_that_does_not_exist(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(URL, {"department": "999999"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("jobs", [2, 25])
def test_it_lists_exports_in_constant_queries(client, db, django_assert_max_num_queries, jobs):
    hr = make_hr()
    for _ in range(jobs):
        ExportJobFactory(requested_by=hr.user, department=DepartmentFactory())
    client.force_login(hr.user)
    with django_assert_max_num_queries(10):
        assert client.get(URL).status_code == 200
    assert PlanFactory._meta.model.objects.count() == 0


def test_it_removes_the_users_exports_older_than_a_week(cast, department, export_dir):
    import datetime

    from django.utils import timezone

    from pdp.exports import exports_expire

    old = ExportJobFactory(requested_by=cast.hr.user, department=department, file_name="old.zip", status="done")
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    (export_dir / "old.zip").write_bytes(b"zip")
    recent = ExportJobFactory(requested_by=cast.hr.user, department=department)
    assert exports_expire(requested_by=cast.hr.user).exports == 1
    assert list(ExportJob.objects.all()) == [recent]
    assert not (export_dir / "old.zip").exists()
