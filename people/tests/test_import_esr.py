"""ESR extracts through `manage.py import_staff`: read as trusts download them, in each encoding
and as .xlsx, one record per person, leavers out; and --complete, --dry-run."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from people.importer import staff_import
from people.models import Band, Department, Employee

from .esr import ESR_HEADER, assignment, esr_csv, esr_xlsx, trust

User = get_user_model()
TODAY = datetime.datetime(2026, 12, 1, 10, 0)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def run(tmp_path, data: bytes, *args, name: str = "esr.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_staff", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def failing(tmp_path, data: bytes, *args) -> list[str]:
    path = tmp_path / "esr.csv"
    path.write_bytes(data)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_staff", str(path), *args, stdout=io.StringIO(), stderr=err)
    return [line.split(": ", 1)[1] for line in err.getvalue().splitlines()]


def employee(number: str) -> Employee:
    return Employee.objects.select_related("user", "department__parent__parent", "line_manager").get(
        staff_number=number
    )


def counts() -> tuple:
    return Employee.objects.count(), User.objects.count(), Department.objects.count()


FILES = {
    "utf-8": lambda: esr_csv(trust()),
    "utf-8 with BOM": lambda: esr_csv(trust(), encoding="utf-8-sig"),
    "windows-1252": lambda: esr_csv(trust(), encoding="cp1252"),
    "utf-16": lambda: esr_csv(trust(), encoding="utf-16"),
    "utf-8 semicolons": lambda: esr_csv(trust(), delimiter=";"),
    "xlsx": lambda: esr_xlsx(trust()),
}


@pytest.mark.parametrize("kind", FILES)
def test_it_imports_an_esr_extract_unchanged_in_each_encoding(tmp_path, kind):
    output = run(tmp_path, FILES[kind](), name="esr.xlsx" if kind == "xlsx" else "esr.csv")

    assert "in an ESR staff list (one row per assignment): 12 rows, 11 people." in output
    assert Employee.objects.count() == 11  # Anita's bank post is not a second person
    director, ward_manager, matron = employee("10000001"), employee("10000002"), employee("10000003")
    assert (director.user.first_name, director.user.last_name) == ("Siobhán", "O'Neill")
    assert (ward_manager.user.first_name, ward_manager.user.last_name) == ("Zoë", "Clarke-Hughes")
    assert matron.user.first_name == "Luke"  # Known As
    if kind != "windows-1252":  # Windows-1252 cannot hold Ł or ś: Excel writes them as L and s
        assert matron.user.last_name == "Wiśniewski"
    managers = dict(Employee.objects.values_list("staff_number", "line_manager__staff_number"))
    assert managers == {
        "10000001": None,
        "10000002": "10000001",
        "10000003": "10000002",
        "10000004": "10000002",  # from the primary assignment, not the bank post's supervisor
        "10000005": "10000002",
        "10000006": "10000001",
        "10000007": "10000006",
        "10000008": "10000002",
        "10000009": "10000001",
        "10000010": "10000009",
        "10000011": "10000009",
    }
    leaver = employee("10000008")
    assert (leaver.user.is_active, leaver.left_on) == (False, datetime.date(2026, 9, 30))
    assert User.objects.filter(is_active=True).count() == 10


def test_it_reads_what_esr_means(tmp_path):
    run(tmp_path, esr_csv(trust()))

    nurse = employee("10000004")
    names = [
        department.name for department in (nurse.department, nurse.department.parent, nurse.department.parent.parent)
    ]
    assert names == ["Ward 7", "Emergency Department", "Division of Medicine"]  # the VPD prefix is gone
    assert nurse.department.level == Department.Level.TEAM
    assert (nurse.job_title, nurse.band, nurse.site) == ("Staff Nurse", Band.BAND_5, "Riverside General Hospital")
    assert nurse.start_date == datetime.date(2020, 8, 5)  # 05-AUG-2020
    assert nurse.user.email == "anita.10000004@nhs.net"
    assert employee("10000002").start_date == datetime.date(2015, 3, 1)  # 01/03/2015, as Excel saves it
    assert employee("10000001").band == Band.VSM  # Very Senior Manager
    assert employee("10000003").band == Band.BAND_8A  # Band 8 - Range A
    assert employee("10000006").band == Band.MEDICAL  # Consultant, no pay band
    assert employee("10000007").band == Band.MEDICAL  # Specialty Registrar
    director = employee("10000001")
    assert (director.department.name, director.department.level) == ("Nursing Directorate", 2)
    cardiology = employee("10000010").department
    assert (cardiology.name, cardiology.level) == ("Cardiology", Department.Level.DEPARTMENT)


@pytest.mark.parametrize("kind", ["utf-8", "windows-1252", "xlsx"])
def test_it_changes_nothing_when_the_same_extract_is_imported_again(tmp_path, kind):
    data = FILES[kind]()
    run(tmp_path, data)
    before = counts(), list(User.objects.order_by("pk").values()), list(Employee.objects.order_by("pk").values())

    output = run(tmp_path, data)

    assert "Nothing to change, the file is as the system has it: 0 people added, 0 updated, 11 unchanged" in output
    assert (counts(), list(User.objects.order_by("pk").values()), list(Employee.objects.order_by("pk").values())) == (
        before
    )


def test_it_shows_a_dry_run_and_changes_nothing(tmp_path):
    output = run(tmp_path, esr_csv(trust()), "--dry-run")

    assert "Would import: 11 people added, 0 updated, 0 unchanged, 7 departments added; 1 leavers" in output
    assert "leaver: 10000008 Bethan Evans (left 2026-09-30; left, as the file says)" in output
    assert "Dry run: nothing was changed." in output
    assert counts() == (0, 0, 0)


def test_it_warns_of_a_supervisor_outside_the_file_and_imports_them_with_no_manager(tmp_path):
    rows = [*trust(), assignment("10000012", "Lee", "Sam", "99999999")]

    output = run(tmp_path, esr_csv(rows))

    assert (
        "warning: line 18: line manager 99999999 is not in the file or the system: imported with no manager" in output
    )
    assert employee("10000012").line_manager is None


def test_it_takes_the_supervisor_from_the_assignment_number_when_that_is_all_there_is(tmp_path):
    rows = trust()
    rows[3]["Supervisor Employee Number"] = ""

    run(tmp_path, esr_csv(rows))

    assert employee("10000004").line_manager.staff_number == "10000002"


def test_it_reports_every_error_of_every_row_at_once(tmp_path):
    rows = [
        *trust(),
        assignment("10000004", "Patel", "Anita", **{"Assignment Number": "10000004-3"}),  # a second primary
        assignment("10000020", "Grey", "Jo", **{"Hire Date": "31-FEB-2020"}),
        assignment("10000021", "Kay", "Li", **{"Pay Band": "Band 12"}),
        assignment("10000022", "Ng", "Al", **{"Actual Termination Date": "soon"}),
        assignment("10000023", "Day", "Di", "10000024"),
        assignment("10000024", "Fox", "Ed", "10000023"),
    ]

    problems = failing(tmp_path, esr_csv(rows))

    assert problems == [
        "line 9: Employee Number 10000004 has more than one primary assignment (also on line 18)",
        "line 19: Hire Date '31-FEB-2020' is not a date (use DD/MM/YYYY, YYYY-MM-DD or ESR's 05-AUG-2020)",
        "line 20: pay band 'Band 12' is not a band we know (Band 1 to 9, Band 8a to 8d, Very Senior Manager, "
        "or a medical grade)",
        "line 21: Actual Termination Date 'soon' is not a date (use DD/MM/YYYY, YYYY-MM-DD or ESR's 05-AUG-2020)",
        "line 22: management cycle: 10000023 reports to 10000024 reports to 10000023",
        "line 23: management cycle: 10000024 reports to 10000023 reports to 10000024",
    ]
    assert counts() == (0, 0, 0)


def test_it_names_the_esr_columns_a_file_lacks(tmp_path):
    header = [column for column in ESR_HEADER if column not in ("Hire Date", "Assignment Start Date", "Last Name")]

    problems = failing(tmp_path, esr_csv(trust(), header=header))

    assert problems == ["line 5: the header row lacks the ESR columns: Last Name, Hire Date or Assignment Start Date"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "this looks like an Excel 97-2003 .xls file: open it in Excel",
        ),
        (b"%PDF-1.7\n...", "this looks like a PDF"),
        (b"<html><body><table><tr><td>Employee Number</td></tr></table>", "this looks like a web page (HTML)"),
        (b"Staff List (Assignment Level)\r\nnothing else\r\n", "no header row found"),
    ],
)
def test_it_says_what_a_file_that_is_not_a_staff_list_looks_like(tmp_path, data, message):
    problems = failing(tmp_path, data)

    assert len(problems) == 1
    assert problems[0].startswith(f"line 1: {message}")


def test_it_reads_the_project_columns_from_an_xlsx_workbook(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    header = ["staff_number", "first_name", "last_name", "email", "job_title", "band", "directorate", "department"]
    workbook.active.append([*header, "start_date"])
    workbook.active.append(
        [1234, "Zoë", "Ng", "zoe@nhs.net", "Porter", "Band 2", "Estates", "Portering", datetime.datetime(2021, 4, 1)]
    )
    out = io.BytesIO()
    workbook.save(out)

    run(tmp_path, out.getvalue(), name="staff.xlsx")

    porter = employee("1234")
    assert (porter.user.first_name, porter.band, porter.start_date) == ("Zoë", Band.BAND_2, datetime.date(2021, 4, 1))


# Later extracts --------------------------------------------------------------------------------


def test_it_makes_people_missing_from_a_complete_extract_leavers(tmp_path):
    run(tmp_path, esr_csv(trust()))
    gone = {"10000005", "10000010", "10000011"}
    later = [row for row in trust() if row["Employee Number"] not in gone]

    output = run(tmp_path, esr_csv(later), "--complete")

    assert "3 leavers" in output
    for number in gone:
        person = employee(number)
        assert (person.user.is_active, person.left_on) == (False, datetime.date(2026, 12, 1)), number
        assert f"leaver: {number}" in output
    assert "(left 2026-12-01; not in the file)" in output
    assert User.objects.filter(is_active=True).count() == 7


def test_it_leaves_people_missing_from_a_partial_extract_alone(tmp_path):
    run(tmp_path, esr_csv(trust()))

    run(tmp_path, esr_csv(trust()[:3]))

    assert User.objects.filter(is_active=True).count() == 10


def test_it_makes_a_terminated_assignment_or_a_past_termination_date_a_leaver(tmp_path):
    run(tmp_path, esr_csv(trust()))
    rows = trust()
    rows[5].update({"Actual Termination Date": "30-NOV-2026"})  # Kwame: status still active, date past
    rows[9].update({"Assignment Status": "Terminate Assignment"})  # Chidi: no date
    rows[10].update({"Actual Termination Date": "31-DEC-2026"})  # Amy: leaving later, still here

    output = run(tmp_path, esr_csv(rows))

    assert "2 leavers" in output
    assert employee("10000005").left_on == datetime.date(2026, 11, 30)
    assert (employee("10000009").user.is_active, employee("10000009").left_on) == (False, datetime.date(2026, 12, 1))
    assert employee("10000010").user.is_active
    assert "warning: line 16: their line manager 10000009 is leaving: they are left reporting to them" in output


def test_it_keeps_someone_with_a_current_post_and_an_ended_one(tmp_path):
    rows = trust()
    rows[4].update({"Assignment Status": "Terminate Process Assignment", "Actual Termination Date": "01-OCT-2026"})

    run(tmp_path, esr_csv(rows))

    assert employee("10000004").user.is_active


def test_it_brings_back_a_leaver_who_is_in_a_later_file_as_staff(tmp_path):
    rows = trust()
    run(tmp_path, esr_csv(rows))
    rows[8].update({"Assignment Status": "Active Assignment", "Actual Termination Date": ""})

    output = run(tmp_path, esr_csv(rows))

    assert "1 back from leaving" in output
    assert (employee("10000008").user.is_active, employee("10000008").left_on) == (True, None)


def test_it_never_makes_an_administrator_a_leaver(tmp_path):
    from people.factories import EmployeeFactory

    admin = EmployeeFactory(staff_number="ADMIN1", user__is_superuser=True, user__is_staff=True)

    report = staff_import(esr_csv(trust()), complete=True)

    assert report.count("leavers") == 1  # Bethan, as the file says
    assert "staff number ADMIN1 is not in the file but is an administrator's account: not made a leaver" in [
        warning["message"] for warning in report.warnings
    ]
    admin.user.refresh_from_db()
    assert admin.user.is_active


def test_it_reports_departments_left_empty(tmp_path):
    run(tmp_path, esr_csv(trust()))
    rows = trust()
    for row in rows:
        row["Org L4"] = row["Org L4"].replace("Cardiology", "Emergency Department")

    output = run(tmp_path, esr_csv(rows))

    assert "1 departments have nobody in them (remove them in administration if they are gone):" in output
    assert "  Division of Medicine > Cardiology" in output


@pytest.mark.parametrize("people", [300, 3000])
def test_it_reimports_an_extract_in_the_same_few_queries_at_any_size(tmp_path, people, django_assert_max_num_queries):
    from .esr import many

    data = esr_csv(many(people))
    staff_import(data)

    with django_assert_max_num_queries(10):
        report = staff_import(data)

    assert (report.people, report.unchanged) == (people, people)
