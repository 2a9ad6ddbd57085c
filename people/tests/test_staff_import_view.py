"""The HR page that uploads a staff file: /people/import/."""

import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Department, Employee

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
    assert b"line_manager_staff_number" in response.content


def test_it_imports_a_good_file_and_says_how_many(hr_client, cast):
    before = Employee.objects.count()

    response = hr_client.post(URL, upload((DATA / "staff_good.csv").read_bytes()))

    assert response.status_code == 302
    assert response.url == URL
    assert Employee.objects.count() == before + 16
    assert Employee.objects.get(staff_number="100010").line_manager.staff_number == "100004"
    page = hr_client.get(response.url)
    assert "Import complete: 16 people added, 0 updated, 0 unchanged, 14 departments added." in page.content.decode()


def test_it_counts_updates_on_a_second_upload(hr_client, cast):
    hr_client.post(URL, upload((DATA / "staff_good.csv").read_bytes()))
    changed = (DATA / "staff_good.csv").read_bytes().replace(b"Ward Sister", b"Senior Sister")

    response = hr_client.post(URL, upload(changed), follow=True)

    assert "Import complete: 0 people added, 1 updated, 15 unchanged, 0 departments added." in response.content.decode()
    assert Employee.objects.get(staff_number="100004").job_title == "Senior Sister"


def test_it_lists_every_problem_of_a_bad_file_and_imports_nothing(hr_client, cast):
    before = counts()

    response = hr_client.post(URL, upload((DATA / "staff_bad.csv").read_bytes()))

    assert response.status_code == 200
    assert counts() == before
    page = response.content.decode()
    assert "Nothing was imported: 14 problems found" in page
    assert "Line 3: last_name is empty" in page
    assert "Line 4: band &#x27;Band 10&#x27; is not one of" in page
    assert "Line 8: staff number 200006 is also on line 7" in page
    assert "Line 9: line manager 999999 is not in the file or the system" in page
    assert "Line 11: management cycle: 200009 reports to 200010 reports to 200009" in page
    assert "Line 16: line manager D-900 is not in the file or the system" in page  # no D-900 in this database
    assert "Line 18: the row has 13 values but the header has 12 columns" in page
    assert page.count("<li>Line ") == 14


def test_it_explains_a_file_that_is_not_utf8_beside_the_field(hr_client, cast):
    before = counts()
    content = (DATA / "staff_good.csv").read_text().replace("O'Neill", "Ó Néill").encode("cp1252")

    response = hr_client.post(URL, upload(content))

    assert response.status_code == 200
    assert counts() == before
    assert response.context["form"].errors == {
        "file": ["The file is not UTF-8 text. Save it from your spreadsheet as 'CSV UTF-8' and try again."]
    }
    assert "Save it from your spreadsheet as &#x27;CSV UTF-8&#x27;" in response.content.decode()


def test_it_reads_a_file_saved_by_excel(hr_client, cast):
    content = (DATA / "staff_good.csv").read_text().replace("\n", "\r\n").encode("utf-8-sig")

    response = hr_client.post(URL, upload(content))

    assert response.status_code == 302
    assert Employee.objects.filter(staff_number="100010").exists()


def test_it_asks_for_a_file_when_there_is_none(hr_client):
    # A browser always sends the file field (and the CSRF token), even when no file is chosen.
    response = hr_client.post(URL, {"file": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}


def test_it_rejects_an_empty_upload_beside_the_field(hr_client):
    response = hr_client.post(URL, upload(b""))

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}


def test_it_rejects_a_file_over_the_size_limit_naming_the_limit(hr_client, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 100
    before = counts()

    response = hr_client.post(URL, upload((DATA / "staff_good.csv").read_bytes()))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than the limit of 100 bytes. Split it and import each part."]
    }
    assert counts() == before


def test_it_refuses_a_20_mb_file_quickly_without_reading_it(hr_client, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("people.views.staff_import_csv", must_not_run)
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

    response = hr_client.post(URL, upload(content))

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
