"""The HR page that uploads a staff file: /people/import/."""

import io
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Department, Employee, StaffImportJob

from .esr import esr_csv, esr_xlsx, trust

DATA = Path(__file__).parent / "data"
URL = "/people/import/"
User = get_user_model()


def upload(content: bytes, name: str = "staff.csv") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def counts() -> tuple[int, int, int]:
    return Employee.objects.count(), User.objects.count(), Department.objects.count()


@pytest.fixture
def hr_client(client, cast):
    client.force_login(cast.hr.user)
    return client


def test_it_is_at_people_import():
    assert reverse("staff_import") == URL


def test_it_shows_hr_the_form(hr_client):
    response = hr_client.get(URL)

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'enctype="multipart/form-data"' in response.content
    assert b'name="complete"' in response.content
    assert b"line_manager_staff_number" in response.content
    assert b"Supervisor Employee Number" in response.content


def check(client, content: bytes, name: str = "staff.csv", complete: bool = False):
    """Upload a file; the page it lands on (the preview, or the file's problems)."""
    response = client.post(URL, {**upload(content, name), **({"complete": "on"} if complete else {})})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = StaffImportJob.objects.latest("pk")
    assert response.url == f"/people/import/{job.pk}/"
    return client.get(response.url)


def confirm(client) -> str:
    job = StaffImportJob.objects.latest("pk")
    response = client.post(f"/people/import/{job.pk}/confirm/")
    assert response.status_code == 302
    return client.get(response.url).content.decode()


def test_it_shows_what_a_good_file_will_change_and_imports_it_once_confirmed(hr_client, cast):
    before = Employee.objects.count()

    preview = check(hr_client, (DATA / "staff_good.csv").read_bytes())

    page = preview.content.decode()
    assert "Check what will change, then import" in page
    assert '<tr><th scope="row">People added</th><td>16</td></tr>' in page
    assert "Import these changes" in page
    assert Employee.objects.count() == before  # nothing yet

    page = confirm(hr_client)

    assert "Imported: 16 people added, 0 updated, 0 unchanged, 14 departments added; 0 leavers" in page
    assert Employee.objects.count() == before + 16
    assert Employee.objects.get(staff_number="100010").line_manager.staff_number == "100004"
    assert "Import these changes" not in page
    assert StaffImportJob.objects.get().file_name == ""  # the file is gone once imported


def test_it_counts_updates_on_a_second_upload(hr_client, cast):
    check(hr_client, (DATA / "staff_good.csv").read_bytes())
    confirm(hr_client)
    changed = (DATA / "staff_good.csv").read_bytes().replace(b"Ward Sister", b"Senior Sister")

    check(hr_client, changed)
    page = confirm(hr_client)

    assert "Imported: 0 people added, 1 updated, 15 unchanged, 0 departments added" in page
    assert Employee.objects.get(staff_number="100004").job_title == "Senior Sister"


def test_it_says_when_a_file_changes_nothing_and_offers_no_import(hr_client, cast):
    check(hr_client, (DATA / "staff_good.csv").read_bytes())
    confirm(hr_client)

    page = check(hr_client, (DATA / "staff_good.csv").read_bytes()).content.decode()

    assert "Nothing to change, the file is as the system has it" in page
    assert "Import these changes" not in page
    job = StaffImportJob.objects.latest("pk")
    assert hr_client.post(f"/people/import/{job.pk}/confirm/").status_code == 302
    assert StaffImportJob.objects.get(pk=job.pk).status == StaffImportJob.Status.CHECKED


def test_it_lists_every_problem_of_a_bad_file_and_imports_nothing(hr_client, cast):
    before = counts()

    response = check(hr_client, (DATA / "staff_bad.csv").read_bytes())

    assert counts() == before
    page = response.content.decode()
    assert "Nothing was imported: 11 problems found" in page
    assert "Line 3: last_name is empty" in page
    assert "Line 4: band &#x27;Band 10&#x27; is not one of" in page
    assert "Line 8: staff number 200006 is also on line 7" in page
    assert "Line 11: management cycle: 200009 reports to 200010 reports to 200009" in page
    assert "Line 18: the row has 13 values but the header has 12 columns" in page
    assert page.count("<li>Line ") == 11 + 3  # and three warnings
    assert "Line 9: line manager 999999 is not in the file or the system: imported with no manager" in page
    assert "Line 16: line manager D-900 is not in the file or the system" in page  # no D-900 in this database
    assert "Import these changes" not in page


@pytest.mark.parametrize("kind", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "xlsx"])
def test_it_imports_an_esr_extract_as_downloaded(hr_client, cast, kind):
    content = esr_xlsx(trust()) if kind == "xlsx" else esr_csv(trust(), encoding=kind)

    preview = check(hr_client, content, name=f"esr.{'xlsx' if kind == 'xlsx' else 'csv'}").content.decode()

    assert "in an ESR staff list (one row per assignment): 12 rows, 11 people." in preview
    assert "Bethan Evans (10000008), left 2026-09-30: left, as the file says" in preview
    page = confirm(hr_client)
    assert "Imported: 11 people added" in page
    assert Employee.objects.get(staff_number="10000001").user.first_name == "Siobhán"
    assert not Employee.objects.get(staff_number="10000008").user.is_active


def test_it_makes_people_missing_from_a_whole_organisation_file_leavers(hr_client, cast):
    check(hr_client, esr_csv(trust()))
    confirm(hr_client)
    later = [row for row in trust() if row["Employee Number"] not in {"10000005", "10000010", "10000011"}]

    preview = check(hr_client, esr_csv(later), complete=True).content.decode()

    # The cast of the access rules is not in the file either; HR's own account is kept.
    assert "Kwame Mensah (10000005), left" in preview
    assert "is not in the file but is your own account: not made a leaver" in preview
    confirm(hr_client)
    assert not Employee.objects.get(staff_number="10000005").user.is_active
    assert not cast.manager.user.__class__.objects.get(pk=cast.manager.user.pk).is_active
    assert User.objects.get(pk=cast.hr.user.pk).is_active


def test_it_reads_a_file_that_is_not_utf8(hr_client, cast):
    content = (DATA / "staff_good.csv").read_text().replace("O'Neill", "Ó Néill").encode("cp1252")

    preview = check(hr_client, content).content.decode()

    assert "CSV, Windows-1252" in preview
    confirm(hr_client)
    assert Employee.objects.get(staff_number="100011").user.last_name == "Ó Néill"


def test_it_says_what_an_xls_file_is(hr_client, cast):
    page = check(hr_client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), name="staff.xls").content.decode()

    assert "this looks like an Excel 97-2003 .xls file: open it in Excel and save it as .xlsx or CSV" in page


def test_it_reads_a_file_saved_by_excel(hr_client, cast):
    content = (DATA / "staff_good.csv").read_text().replace("\n", "\r\n").encode("utf-8-sig")

    check(hr_client, content)
    confirm(hr_client)

    assert Employee.objects.filter(staff_number="100010").exists()


def test_it_shows_the_report_page_in_the_same_number_of_queries_for_a_larger_file(
    hr_client, cast, django_assert_max_num_queries
):
    from .test_import_staff import big_file

    for rows in (50, 1500):
        check(hr_client, big_file(rows, prefix=f"Q{rows}-").encode())
        job = StaffImportJob.objects.latest("pk")
        with django_assert_max_num_queries(9):
            response = hr_client.get(f"/people/import/{job.pk}/")
        assert f'<tr><th scope="row">People added</th><td>{rows}</td></tr>' in response.content.decode()


def test_it_is_not_found_for_another_hr_users_import(client, cast):
    from people.factories import StaffImportJobFactory, make_hr

    job = StaffImportJobFactory(requested_by=cast.hr.user)
    client.force_login(make_hr().user)

    assert client.get(f"/people/import/{job.pk}/").status_code == 404
    assert client.post(f"/people/import/{job.pk}/confirm/").status_code == 404


def test_it_asks_for_a_file_when_there_is_none(hr_client):
    # A browser always sends the file field (and the CSRF token), even when no file is chosen.
    response = hr_client.post(URL, {"file": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Choose the staff file (CSV or Excel)"]}


def test_it_rejects_an_empty_upload_beside_the_field(hr_client):
    response = hr_client.post(URL, upload(b""))

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}


@pytest.fixture(autouse=True)
def today():
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.STAFF_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture(autouse=True)
def start_at_once(monkeypatch, settings):
    """As with a broker, a worker does the step once the request commits: in a test, which never
    commits, at once, in this process (the Celery app runs tasks in-process in tests)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with Redis: the task is sent, not left for run_jobs
    monkeypatch.setattr("people.import_jobs.on_commit", lambda start: start())


def test_it_rejects_a_file_over_the_size_limit_naming_the_limit(hr_client, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 100
    before = counts()

    response = hr_client.post(URL, upload((DATA / "staff_good.csv").read_bytes()))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than the limit of 100 bytes. Split it and import each part."]
    }
    assert counts() == before


def test_it_takes_up_to_50_mb_by_default():
    from django.conf import settings

    assert settings.STAFF_IMPORT_MAX_BYTES == 50 * 1024 * 1024


def test_it_refuses_a_20_mb_file_quickly_without_reading_it(hr_client, monkeypatch, settings):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the file was parsed")

    settings.STAFF_IMPORT_MAX_BYTES = 5 * 1024 * 1024
    monkeypatch.setattr("people.views.import_job_create", must_not_run)
    before = counts()
    big = b"staff_number,first_name\n" + b"1,x\n" * (20 * 1024 * 1024 // 4)

    started = time.monotonic()
    response = hr_client.post(URL, upload(big))

    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than the limit of 5 MB. Split it and import each part."]
    }
    assert "5 MB" in response.content.decode()
    assert counts() == before


def test_it_takes_a_file_at_the_limit(hr_client, settings):
    content = (DATA / "staff_good.csv").read_bytes()
    settings.STAFF_IMPORT_MAX_BYTES = len(content)

    response = hr_client.post(URL, upload(content))

    assert response.status_code == 302
    assert "People added" in hr_client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02PK binary",
        b"staff_number\n",
        b'staff_number,"unclosed\n',
        b"\n\n\n",
        "staff_number,first_name\n\u2603,\u00e9\n".encode(),
        ("," * 5000 + "\n").encode(),
    ],
)
def test_it_never_fails_on_odd_files(hr_client, content):
    before = counts()

    response = check(hr_client, content)

    assert response.status_code == 200
    assert b"Nothing was imported" in response.content
    assert counts() == before


@pytest.mark.parametrize("role", ["employee", "manager", "senior_manager", "supporter"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_is_not_found_for_anyone_but_hr(client, cast, role, method):
    client.force_login(getattr(cast, role).user)
    before = counts()

    response = getattr(client, method)(URL, upload((DATA / "staff_good.csv").read_bytes()) if method == "post" else {})

    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_sign_in(client, db, method):
    response = getattr(client, method)(URL)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={URL}"


def test_it_refuses_other_methods(hr_client):
    assert hr_client.put(URL).status_code == 405


def test_it_never_checks_or_imports_in_the_web_request_without_redis(hr_client, settings):
    """Without a broker the steps wait for `manage.py run_jobs` (`make run` keeps it running), and
    the page follows them."""
    from django.core.management import call_command

    settings.CELERY_TASK_ALWAYS_EAGER = True  # no Redis
    before = counts()

    response = hr_client.post(URL, upload((DATA / "staff_good.csv").read_bytes()))
    assert response.status_code == 302
    job = StaffImportJob.objects.get()
    assert job.status == StaffImportJob.Status.QUEUED
    assert "Waiting to start" in hr_client.get(response.url).content.decode()

    call_command("run_jobs", stdout=io.StringIO())
    assert StaffImportJob.objects.get().status == StaffImportJob.Status.CHECKED
    assert "Import these changes" in hr_client.get(response.url).content.decode()

    hr_client.post(f"{response.url}confirm/")
    assert StaffImportJob.objects.get().status == StaffImportJob.Status.IMPORT_QUEUED
    assert counts() == before  # nothing imported by the request
    out = io.StringIO()
    call_command("run_jobs", stdout=out)

    assert out.getvalue() == "Background jobs: 1 staff file checks or imports, 0 plan exports.\n"
    assert StaffImportJob.objects.get().status == StaffImportJob.Status.IMPORTED
    assert "Imported: 16 people added" in hr_client.get(response.url).content.decode()


def test_it_shows_progress_to_the_page_polling_it(hr_client, cast):
    from people.factories import StaffImportJobFactory

    job = StaffImportJobFactory(requested_by=cast.hr.user, status="checking", stage="Reading the file", done=45000)

    response = hr_client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.startswith('<div id="import-status"')
    assert 'hx-trigger="every 2s"' in page
    assert "Reading the file: 45000 rows read…" in page


def test_it_says_when_a_job_seems_to_have_stopped(hr_client, cast):
    import datetime

    from people.factories import StaffImportJobFactory

    job = StaffImportJobFactory(requested_by=cast.hr.user, status="importing")
    StaffImportJob.objects.filter(pk=job.pk).update(
        updated_at=datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)
    )

    page = hr_client.get(f"/people/import/{job.pk}/").content.decode()

    assert "This import seems to have stopped" in page
    assert "hx-trigger" not in page


def test_it_is_removed_with_its_file_by_the_retention_run_after_a_week(hr_client, cast, settings):
    import datetime

    from people.import_jobs import import_dir, import_jobs_expire

    check(hr_client, (DATA / "staff_good.csv").read_bytes())
    job = StaffImportJob.objects.get()
    assert (import_dir() / job.file_name).is_file()
    stray = import_dir() / "staff-left-behind.upload"
    stray.write_bytes(b"staff_number\n")
    week_later = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=datetime.UTC)
    os.utime(stray, (week_later.timestamp() - 8 * 86400,) * 2)

    assert import_jobs_expire(now=week_later - datetime.timedelta(days=2)) == 0
    assert import_jobs_expire(now=week_later) == 1

    assert not StaffImportJob.objects.exists()
    assert list(import_dir().iterdir()) == []
