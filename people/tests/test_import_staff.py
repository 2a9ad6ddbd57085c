"""`manage.py import_staff` and the import service behind it and the HR upload page."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from people.factories import DepartmentFactory, DirectorateFactory, EmployeeFactory, OrganisationFactory, UserFactory
from people.importer import StaffImportError, staff_import_csv
from people.models import Band, Department, Employee

DATA = Path(__file__).parent / "data"
HEADER = [
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "band",
    "directorate",
    "department",
    "team",
    "site",
    "line_manager_staff_number",
    "start_date",
]
User = get_user_model()

pytestmark = pytest.mark.django_db


def person(staff_number: str, manager: str = "", **values) -> dict[str, str]:
    """A valid row of the staff file."""
    return {
        "staff_number": staff_number,
        "first_name": "Alex",
        "last_name": f"Jones {staff_number}",
        "email": f"{staff_number.lower()}@nhs.net",
        "job_title": "Staff Nurse",
        "band": "Band 5",
        "directorate": "Medicine",
        "department": "Cardiology",
        "team": "",
        "site": "Riverside General",
        "line_manager_staff_number": manager,
        "start_date": "01/04/2020",
        **values,
    }


def csv_text(rows: list[dict[str, str]], header: list[str] = HEADER, line_end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, extrasaction="ignore", lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write(tmp_path: Path, content: str | bytes, name: str = "staff.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def import_file(path: Path) -> str:
    out = io.StringIO()
    call_command("import_staff", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failing_import(path: Path) -> tuple[str, dict[int, list[str]]]:
    """The command's error and its reported problems by line number."""
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_staff", str(path), stdout=io.StringIO(), stderr=err)
    problems = {}
    for text in err.getvalue().splitlines():
        match = re.search(r": line (\d+): (.*)$", text)
        assert match, text
        problems.setdefault(int(match[1]), []).append(match[2])
    return str(raised.value), problems


def errors_of(text: str) -> dict[int, list[str]]:
    with pytest.raises(StaffImportError) as raised:
        staff_import_csv(text)
    problems = {}
    for error in raised.value.errors:
        problems.setdefault(error.line, []).append(error.message)
    return problems


def counts() -> tuple[int, int, int]:
    return Employee.objects.count(), User.objects.count(), Department.objects.count()


def employee(staff_number: str) -> Employee:
    return Employee.objects.select_related("user", "department__parent__parent", "line_manager").get(
        staff_number=staff_number
    )


def path_of(department: Department) -> list[str]:
    names = []
    while department is not None:
        names.insert(0, department.name)
        department = department.parent
    return names


# A good file


def test_it_creates_the_organisation_from_a_good_file(tmp_path, settings):
    settings.ORGANISATION_NAME = "Riverside University Hospitals NHS Foundation Trust"

    output = import_file(DATA / "staff_good.csv")

    assert "16 people added, 0 updated, 0 unchanged, 15 departments added" in output
    assert Employee.objects.count() == 16
    organisation = Department.objects.get(level=Department.Level.ORGANISATION)
    assert organisation.name == "Riverside University Hospitals NHS Foundation Trust"
    assert sorted(Department.objects.filter(level=1).values_list("name", flat=True)) == [
        "Corporate Services",
        "Medicine",
        "Surgery",
    ]
    assert path_of(employee("100010").department) == [organisation.name, "Medicine", "Emergency Department", "Majors"]
    assert path_of(employee("100003").department) == [organisation.name, "Medicine", "Emergency Department"]
    assert path_of(employee("100016").department) == [
        organisation.name,
        "Corporate Services",
        "Human Resources",
        "Recruitment",
    ]
    assert Department.objects.filter(name="Emergency Department").count() == 1


def test_it_sets_managers_whether_they_come_before_or_after_their_reports(tmp_path):
    import_file(DATA / "staff_good.csv")

    managers = dict(Employee.objects.values_list("staff_number", "line_manager__staff_number"))
    assert managers["100001"] is None
    assert managers["100010"] == "100004"  # the manager's row comes later in the file
    assert managers["100004"] == "100003"
    assert managers["100003"] == "100002"  # the manager's row comes earlier
    assert managers["100006"] == "100007"
    assert managers["100008"] == "100009"
    assert managers["100016"] == "100008"


def test_it_reads_names_emails_bands_and_dates(tmp_path):
    import_file(DATA / "staff_good.csv")

    nurse = employee("100010")
    assert (nurse.user.first_name, nurse.user.last_name, nurse.user.email) == (
        "James",
        "Whitfield",
        "james.whitfield@nhs.net",
    )
    assert nurse.job_title == "Staff Nurse"
    assert nurse.site == "Riverside General"
    assert nurse.band == Band.BAND_5  # "Band 5"
    assert nurse.start_date == datetime.date(2021, 9, 1)  # 01/09/2021: day first
    assert employee("100001").start_date == datetime.date(2015, 4, 1)  # ISO
    assert employee("100001").band == Band.VSM
    assert employee("100003").band == Band.BAND_8A  # "8a"
    assert employee("100009").band == Band.BAND_8C  # "Band 8c"
    assert employee("100002").band == Band.MEDICAL  # "Medical"
    assert employee("100012").job_title == "Healthcare Assistant, Nights"
    assert employee("100011").user.last_name == "O'Neill"


def test_it_creates_users_named_by_staff_number_who_cannot_sign_in(client):
    import_file(DATA / "staff_good.csv")

    user = employee("100010").user
    assert user.username == "100010"
    assert not user.has_usable_password()
    assert user.is_active
    assert not user.is_staff
    assert not user.is_superuser
    assert authenticate(RequestFactory().post("/accounts/login/"), username="100010", password="") is None
    assert set(User.objects.values_list("username", flat=True)) == set(
        Employee.objects.values_list("staff_number", flat=True)
    )


def test_it_updates_by_staff_number_on_a_second_import(tmp_path):
    import_file(DATA / "staff_good.csv")
    rows = list(csv.DictReader((DATA / "staff_good.csv").open(encoding="utf-8")))
    for row in rows:
        if row["staff_number"] == "100010":
            row.update(job_title="Senior Staff Nurse", band="6", line_manager_staff_number="100003")
        if row["staff_number"] == "100013":
            row.update(last_name="Patel-Shah", email="chloe.patel-shah@nhs.net")
    rows.append(person("100017", manager="100005"))
    ids = dict(Employee.objects.values_list("staff_number", "pk"))

    output = import_file(write(tmp_path, csv_text(rows)))

    assert "1 people added, 2 updated, 14 unchanged, 0 departments added" in output
    assert Employee.objects.count() == 17
    assert User.objects.count() == 17
    nurse = employee("100010")
    assert nurse.pk == ids["100010"]
    assert (nurse.job_title, nurse.band, nurse.line_manager.staff_number) == ("Senior Staff Nurse", "6", "100003")
    physiologist = employee("100013")
    assert (physiologist.user.last_name, physiologist.user.email) == ("Patel-Shah", "chloe.patel-shah@nhs.net")
    assert physiologist.user.username == "100013"
    assert employee("100017").line_manager.staff_number == "100005"


def test_it_changes_nothing_when_the_same_file_is_imported_twice():
    import_file(DATA / "staff_good.csv")
    before = counts()

    output = import_file(DATA / "staff_good.csv")

    assert "Nothing to change, the file is as the system has it: 0 people added, 0 updated, 16 unchanged" in output
    assert counts() == before


def test_it_updates_only_a_manager(tmp_path):
    EmployeeFactory(staff_number="M1", user__username="M1")
    EmployeeFactory(staff_number="M2", user__username="M2")
    nurse = EmployeeFactory(staff_number="N1", user__username="N1", job_title="Staff Nurse")
    nurse.line_manager = Employee.objects.get(staff_number="M1")
    nurse.save()
    row = person(
        "N1",
        manager="M2",
        first_name=nurse.user.first_name,
        last_name=nurse.user.last_name,
        email=nurse.user.email,
        job_title=nurse.job_title,
        band=nurse.band,
        directorate=nurse.department.parent.name,
        department=nurse.department.name,
        site=nurse.site,
        start_date=nurse.start_date.isoformat(),
    )

    output = import_file(write(tmp_path, csv_text([row])))

    assert "0 people added, 1 updated, 0 unchanged, 0 departments added" in output
    nurse.refresh_from_db()
    assert nurse.line_manager.staff_number == "M2"
    assert nurse.job_title == "Staff Nurse"


def test_it_removes_a_manager_left_blank(tmp_path):
    import_file(write(tmp_path, csv_text([person("A1"), person("A2", manager="A1")])))

    import_file(write(tmp_path, csv_text([person("A1"), person("A2")])))

    assert employee("A2").line_manager is None


def test_it_leaves_people_not_in_the_file_alone(tmp_path):
    someone = EmployeeFactory(staff_number="X1", job_title="Porter")

    import_file(write(tmp_path, csv_text([person("A1"), person("A2", manager="X1")])))

    someone.refresh_from_db()
    assert someone.job_title == "Porter"
    assert employee("A2").line_manager == someone


def test_it_matches_departments_without_regard_to_case(tmp_path):
    organisation = OrganisationFactory()
    medicine = DirectorateFactory(name="Medicine", parent=organisation)
    cardiology = DepartmentFactory(name="Cardiology", parent=medicine)
    before = Department.objects.count()

    output = import_file(write(tmp_path, csv_text([person("A1", directorate="MEDICINE", department="cardiology")])))

    assert "0 departments added" in output
    assert Department.objects.count() == before
    assert employee("A1").department == cardiology


def test_it_adds_new_departments_below_existing_ones(tmp_path):
    organisation = OrganisationFactory()
    medicine = DirectorateFactory(name="Medicine", parent=organisation)

    import_file(write(tmp_path, csv_text([person("A1", directorate="medicine", department="Renal", team="Dialysis")])))

    dialysis = employee("A1").department
    assert (dialysis.name, dialysis.level) == ("Dialysis", Department.Level.TEAM)
    assert (dialysis.parent.name, dialysis.parent.level, dialysis.parent.parent) == ("Renal", 2, medicine)


def test_it_gives_an_existing_account_without_a_staff_record_its_record(tmp_path):
    account = UserFactory(username="A1")

    import_file(write(tmp_path, csv_text([person("A1")])))

    assert employee("A1").user == account
    assert employee("A1").user.has_usable_password()


# A bad file


@pytest.fixture
def chain_in_database():
    """D-900 reports to D-901, both already in the system."""
    top = EmployeeFactory(staff_number="D-901")
    return EmployeeFactory(staff_number="D-900", line_manager=top)


def test_it_reports_every_bad_line_and_changes_nothing(chain_in_database):
    before = counts()
    d901_manager = employee("D-901").line_manager

    message, problems = failing_import(DATA / "staff_bad.csv")

    assert counts() == before
    assert employee("D-901").line_manager == d901_manager
    assert "nothing was imported" in message
    assert sorted(problems) == [3, 4, 5, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18]  # 6 and 9 are warnings
    assert problems[3] == ["last_name is empty"]
    assert problems[4] == ["band 'Band 10' is not one of: 1, 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d, 9, medical, vsm"]
    assert problems[5] == ["start date '31/02/2019' is not a date (use DD/MM/YYYY, YYYY-MM-DD or ESR's 05-AUG-2020)"]
    assert problems[8] == ["staff number 200006 is also on line 7"]
    assert problems[10] == ["an employee cannot be their own line manager"]
    assert problems[11] == ["management cycle: 200009 reports to 200010 reports to 200009"]
    assert problems[12] == ["management cycle: 200010 reports to 200009 reports to 200010"]
    assert problems[13] == ["management cycle: 200011 reports to 200012 reports to 200013 reports to 200011"]
    assert problems[14] == ["management cycle: 200012 reports to 200013 reports to 200011 reports to 200012"]
    assert problems[15] == ["management cycle: 200013 reports to 200011 reports to 200012 reports to 200013"]
    assert problems[16] == ["management cycle: 200014 reports to D-900 reports to D-901 reports to 200014"]
    assert problems[17] == ["management cycle: D-901 reports to 200014 reports to D-900 reports to D-901"]
    assert problems[18] == ["the row has 13 values but the header has 12 columns"]


def test_it_does_not_call_a_manager_on_a_bad_line_unknown(tmp_path):
    text = csv_text([person("A1", band="11"), person("A2", manager="A1")])

    assert errors_of(text) == {2: ["band '11' is not one of: 1, 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d, 9, medical, vsm"]}


def test_it_reports_a_missing_header_column(tmp_path):
    before = counts()
    header = [column for column in HEADER if column != "band"]
    path = write(tmp_path, csv_text([person("A1")], header=header))

    message, problems = failing_import(path)

    assert problems == {1: ["the header row lacks the columns: band"]}
    assert "1 error;" in message
    assert counts() == before


def test_it_reports_a_column_named_twice(tmp_path):
    text = "staff_number,first_name,last_name,email,job_title,band,directorate,department,start_date,Email\n"

    assert errors_of(text) == {1: ["the header row names these columns twice: email"]}


def test_it_reports_every_missing_value_and_long_value_on_a_line():
    text = csv_text([person("A1", first_name="", email="", job_title="x" * 151, start_date="")])

    assert errors_of(text) == {
        2: ["first_name is empty", "start_date is empty", "job_title is longer than 150 characters"]
    }  # an empty email is a warning


@pytest.mark.parametrize("staff_number", ["A 1", "A/1", "A" * 21])
def test_it_rejects_a_malformed_staff_number(staff_number):
    problems = errors_of(csv_text([person(staff_number, email="someone@nhs.net")]))

    assert problems == {2: [f"staff number {staff_number!r} must be up to 20 letters, digits or hyphens"]}


def test_it_imports_an_email_used_twice_in_the_file_with_a_warning():
    text = csv_text([person("A1", email="same@nhs.net"), person("A2", email="SAME@nhs.net")])

    report = staff_import_csv(text)

    assert [str(warning) for warning in report.warning_list] == [
        "line 3: email same@nhs.net is also on line 2: imported, but neither can reset a password or get email "
        "until it is fixed"
    ]
    assert employee("A2").user.email == employee("A1").user.email == "same@nhs.net"


def test_it_imports_an_email_that_belongs_to_someone_else_in_the_system_with_a_warning():
    EmployeeFactory(staff_number="X1", user__email="taken@nhs.net")

    report = staff_import_csv(csv_text([person("A1", email="Taken@nhs.net")]))

    assert [str(warning) for warning in report.warning_list] == [
        "line 2: email taken@nhs.net also belongs to staff number X1: imported, but neither can reset a password "
        "or get email until it is fixed"
    ]
    assert employee("A1").user.email == "taken@nhs.net"


def test_it_imports_a_malformed_or_blank_email_as_none_with_a_warning():
    report = staff_import_csv(csv_text([person("A1", email="grace at nhs.net"), person("A2", email="")]))

    assert [str(warning) for warning in report.warning_list] == [
        "line 2: email 'grace at nhs.net' is not an email address: imported without an email until it is fixed",
        "line 3: no email: imported, but they cannot reset a password or get email until one is added",
    ]
    assert employee("A1").user.email == employee("A2").user.email == ""


def test_it_imports_someone_whose_manager_is_unknown_with_no_manager_and_a_warning():
    report = staff_import_csv(csv_text([person("A1", manager="999999")]))

    assert [str(warning) for warning in report.warning_list] == [
        "line 2: line manager 999999 is not in the file or the system: imported with no manager"
    ]
    assert employee("A1").line_manager is None


def test_it_lets_people_in_the_file_swap_emails():
    import_file_rows = [person("A1", email="one@nhs.net"), person("A2", email="two@nhs.net")]
    staff_import_csv(csv_text(import_file_rows))

    staff_import_csv(csv_text([person("A1", email="two@nhs.net"), person("A2", email="one@nhs.net")]))

    assert employee("A1").user.email == "two@nhs.net"


def test_it_refuses_a_staff_number_that_is_another_persons_user_name():
    EmployeeFactory(staff_number="X1", user__username="manager")

    assert errors_of(csv_text([person("manager")])) == {2: ["user name manager belongs to staff number X1"]}


def test_it_refuses_a_staff_number_that_is_an_administrators_user_name():
    UserFactory(username="admin", is_superuser=True, is_staff=True)

    assert errors_of(csv_text([person("admin")])) == {2: ["user name admin belongs to an administrator account"]}
    assert User.objects.get(username="admin").email == "admin@example.nhs.uk"


def test_it_reports_a_cycle_through_people_only_in_the_database_on_the_lines_in_the_file():
    top = EmployeeFactory(staff_number="X1")
    EmployeeFactory(staff_number="X2", line_manager=top)

    assert errors_of(csv_text([person("A1"), person("X1", manager="X2")])) == {
        3: ["management cycle: X1 reports to X2 reports to X1"]
    }


def test_it_does_not_blame_a_row_that_only_reports_into_a_cycle():
    text = csv_text([person("A1", manager="A2"), person("A2", manager="A3"), person("A3", manager="A2")])

    assert sorted(errors_of(text)) == [3, 4]


def test_it_reads_a_file_that_is_not_utf8_as_windows_1252(tmp_path):
    path = write(tmp_path, csv_text([person("A1", last_name="Müller")]).encode("cp1252"))

    output = import_file(path)

    assert "Read CSV, Windows-1252" in output
    assert employee("A1").user.last_name == "Müller"


def test_it_rejects_a_file_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_staff", str(tmp_path / "nowhere.csv"), stdout=io.StringIO(), stderr=io.StringIO())


def test_it_rejects_binary_data(tmp_path):
    _, problems = failing_import(write(tmp_path, b"staff_number\x00\x01\x02\x03,first_name\n"))

    assert problems == {
        1: ["the file holds binary data, not text: export it from the HR system as CSV or Excel (.xlsx)"]
    }


def test_it_says_what_a_zip_that_is_not_a_workbook_is(tmp_path):
    _, problems = failing_import(write(tmp_path, b"PK\x03\x04\x00\x00staff_number\n"))

    assert problems == {
        1: ["this is a zip file but not an Excel .xlsx workbook: export the staff list as CSV or .xlsx"]
    }


# Edge cases of the file


def test_it_rejects_an_empty_file(tmp_path):
    _, problems = failing_import(write(tmp_path, b""))

    assert problems == {1: ["the file is empty"]}


def test_it_rejects_a_file_of_blank_lines(tmp_path):
    _, problems = failing_import(write(tmp_path, "\n\n  \n"))

    assert problems == {1: ["the file is empty"]}


def test_it_rejects_a_header_with_no_rows(tmp_path):
    _, problems = failing_import(write(tmp_path, csv_text([])))

    assert problems == {1: ["the file has a header row but no staff"]}


def test_it_reads_a_file_saved_by_excel_with_a_byte_order_mark(tmp_path):
    path = write(tmp_path, csv_text([person("A1")]).encode("utf-8-sig"))

    import_file(path)

    assert Employee.objects.filter(staff_number="A1").exists()


def test_it_reads_a_byte_order_mark_passed_to_the_service():
    staff_import_csv("\ufeff" + csv_text([person("A1")]))

    assert Employee.objects.filter(staff_number="A1").exists()


def test_it_reads_windows_line_endings(tmp_path):
    import_file(write(tmp_path, csv_text([person("A1"), person("A2", manager="A1")], line_end="\r\n")))

    assert employee("A2").line_manager.staff_number == "A1"
    assert employee("A2").start_date == datetime.date(2020, 4, 1)


def test_it_counts_lines_of_windows_line_endings_as_uploaded():
    rows = [person("A1", job_title="Ward\r\nSister"), person("A2", band="X")]

    assert errors_of(csv_text(rows, line_end="\r\n")) == {
        4: ["band 'X' is not one of: 1, 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d, 9, medical, vsm"]
    }


def test_it_reads_quoted_values_with_commas_and_quotes(tmp_path):
    row = person("A1", job_title='Nurse, "Nights"', last_name="Smith, Jr", site="St Mary's, Wing B")

    import_file(write(tmp_path, csv_text([row])))

    nurse = employee("A1")
    assert (nurse.job_title, nurse.user.last_name, nurse.site) == ('Nurse, "Nights"', "Smith, Jr", "St Mary's, Wing B")


def test_it_strips_whitespace_around_values(tmp_path):
    header = ",".join(f" {column} " for column in HEADER)
    line = " A1 , Alex , Jones , A1@NHS.net , Staff Nurse ,  band 8A , Medicine , Cardiology ,  , Riverside ,  , "
    line += "2020-04-01 "

    import_file(write(tmp_path, f"{header}\n{line}\n"))

    nurse = employee("A1")
    assert (nurse.staff_number, nurse.user.first_name, nurse.user.email) == ("A1", "Alex", "a1@nhs.net")
    assert (nurse.band, nurse.site, nurse.department.name) == (Band.BAND_8A, "Riverside", "Cardiology")


def test_it_reads_columns_in_any_order_and_ignores_unknown_ones(tmp_path):
    header = ["Payroll ID", *reversed(HEADER), "Notes"]
    rows = [
        {**person("A1"), "Payroll ID": "P-1", "Notes": "part time, nights"},
        {**person("A2", manager="A1"), "Payroll ID": "P-2", "Notes": ""},
    ]

    import_file(write(tmp_path, csv_text(rows, header=header)))

    assert employee("A2").line_manager.staff_number == "A1"
    assert employee("A1").user.last_name == "Jones A1"


def test_it_reads_headings_written_as_words(tmp_path):
    header = [column.replace("_", " ").title() for column in HEADER]
    text = csv_text([person("A1", manager="")], header=HEADER).splitlines()
    text[0] = ",".join(header)

    import_file(write(tmp_path, "\n".join(text) + "\n"))

    assert Employee.objects.filter(staff_number="A1").exists()


def test_it_does_without_the_optional_columns(tmp_path):
    header = [column for column in HEADER if column not in ("team", "site", "line_manager_staff_number")]

    import_file(write(tmp_path, csv_text([person("A1")], header=header)))

    assert (employee("A1").site, employee("A1").line_manager) == ("", None)


def test_it_reports_the_line_a_row_starts_on_after_a_value_spanning_lines():
    rows = [
        person("A1", job_title="Staff Nurse\n(rotational\npost)"),  # lines 2-4
        person("A2", band="Band 99"),  # line 5
        person("A3", site="Main\nsite", band="Z"),  # lines 6-7
        person("A4", start_date="tomorrow"),  # line 8
    ]

    problems = errors_of(csv_text(rows))

    assert sorted(problems) == [5, 6, 8]
    assert problems[8] == ["start date 'tomorrow' is not a date (use DD/MM/YYYY, YYYY-MM-DD or ESR's 05-AUG-2020)"]


def test_it_keeps_a_value_spanning_lines(tmp_path):
    import_file(write(tmp_path, csv_text([person("A1", job_title="Staff Nurse\n(rotational)")])))

    assert employee("A1").job_title == "Staff Nurse\n(rotational)"


def test_it_skips_blank_lines_and_empty_rows_but_counts_them():
    text = csv_text([person("A1")]) + "\n,,,,,,,,,,,\n" + csv_text([person("A2", band="Q")]).split("\n", 1)[1]

    assert errors_of(text) == {5: ["band 'Q' is not one of: 1, 2, 3, 4, 5, 6, 7, 8a, 8b, 8c, 8d, 9, medical, vsm"]}


def test_it_accepts_empty_values_beyond_the_header(tmp_path):
    text = csv_text([person("A1")]).rstrip("\n") + ",,\n"

    import_file(write(tmp_path, text))

    assert Employee.objects.filter(staff_number="A1").exists()


def test_it_reports_a_row_with_too_few_values():
    text = csv_text([]) + "A1,Alex,Jones\n"

    problems = errors_of(text)

    assert problems[2][0] == "job_title is empty"


def test_it_reports_a_value_too_large_for_csv():
    text = csv_text([person("A1"), person("A2", job_title="x" * 200_000)])

    problems = errors_of(text)

    assert list(problems) == [3]
    assert problems[3][0].startswith("the file is not valid CSV: field larger than field limit")


# Size


def big_file(rows: int, prefix: str = "S") -> str:
    """A tree of managers ten wide, in 2 directorates, 4 departments and 8 teams."""
    people = []
    for index in range(rows):
        people.append(
            person(
                f"{prefix}{index:06d}",
                manager=f"{prefix}{(index - 1) // 10:06d}" if index else "",
                directorate=f"Directorate {index % 2}",
                department=f"Department {index % 4}",
                team=f"Team {index % 8}",
                start_date="2019-01-01" if index % 2 else "01/01/2019",
            )
        )
    return csv_text(people)


def test_it_imports_five_thousand_people_in_batched_queries(tmp_path, django_assert_max_num_queries):
    path = write(tmp_path, big_file(5000))

    # Django gives SQLite at most 999 values a statement, so it inserts ~100 users or ~110 employees
    # at a time: about 100 statements for 5,000 new people (190 for 10,000). One a row would be 5,000+.
    with django_assert_max_num_queries(150):
        import_file(path)

    assert Employee.objects.count() == 5000
    assert employee("S004999").line_manager.staff_number == "S000499"
    assert Department.objects.count() == 1 + 2 + 4 + 8


def test_it_reimports_five_thousand_unchanged_people_in_a_few_queries(tmp_path, django_assert_max_num_queries):
    path = write(tmp_path, big_file(5000))
    import_file(path)

    with django_assert_max_num_queries(12):
        output = import_file(path)

    assert "Nothing to change, the file is as the system has it: 0 people added, 0 updated, 5000 unchanged" in output
