"""The two layouts of a staff file, read into one staff record per person.

- The project's own columns (`staff_number`, `first_name`, ... `start_date`; see
  docs/operations.md), one row per person; an optional `leaving_date` marks a leaver.
- An ESR "Staff List (Assignment Level)" extract: one row per assignment, with ESR's
  headings. One record per Employee Number, from the primary assignment; the VPD prefix
  (`245 `) is taken off organisation names; `Known As` is the first name shown where given;
  pay bands (`Band 8 - Range A`) and medical grades (`Consultant`: Medical) are mapped; a
  terminated assignment status or a past termination date makes the person a leaver.

The layout is known by the header: `Employee Number` is ESR's, `staff_number` the project's.
Problems are gathered, never raised: errors (the import cannot go ahead) and warnings (it
can, and the warning says what was done instead), each with the line it is on.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Band
from .staff_files import Table

STAFF_NUMBER_PATTERN = re.compile(r"[A-Za-z0-9-]{1,20}")
MAX_LENGTHS = dict(first_name=150, last_name=150, email=254, job_title=150, site=100)
MAX_LENGTHS.update(directorate=150, department=150, team=150)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%b-%Y", "%d %b %Y", "%d-%b-%y", "%d/%m/%Y %H:%M", "%d/%m/%y"]
DATE_HELP = "use DD/MM/YYYY, YYYY-MM-DD or ESR's 05-AUG-2020"
BAND_VALUES = ", ".join(band.value for band in Band)


@dataclass(frozen=True)
class RowError:
    """An error or a warning, on the line of the file it is about."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message  # 0: not on a line


@dataclass
class StaffRow:
    """One person as the file has them."""

    line: int
    staff_number: str
    manager_number: str
    department_path: tuple[str, ...]  # directorate, department and, if given, team
    user_values: dict  # first_name, last_name, email
    employee_values: dict  # job_title, band, site, start_date
    left_on: date | None = None  # a leaver: the day they left
    email_given: str = ""  # the email as written, kept or not


@dataclass
class Reading:
    """What the layout made of the file's rows."""

    layout: str
    rows: list[StaffRow] = field(default_factory=list)
    data_rows: int = 0  # rows of the file read (assignments, for ESR)
    numbers_on_bad_rows: set[str] = field(default_factory=set)  # not also to be reported as unknown managers
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


# Values ---------------------------------------------------------------------------------


# "6", "Band 6", "8A", "Band 8a", "Band 8 - Range A", "Medical", "VSM", "Very Senior Manager"
BANDS_BY_TEXT = {text.lower(): band.value for band in Band for text in (band.value, band.label)}
BANDS_BY_TEXT.update({"medical": Band.MEDICAL.value, "very senior manager": Band.VSM.value})
BAND_PATTERN = re.compile(r"^(?:band\s*)?([1-9])\s*(?:[-\u2013]?\s*(?:range\s*)?([a-d]))?$", re.IGNORECASE)
BAND_IN_TEXT = re.compile(r"\bband\s*([1-9])(?:\s*[-\u2013]?\s*(?:range\s*)?([a-d]))?\b", re.IGNORECASE)
MEDICAL_GRADES = re.compile(
    r"consultant|registrar|specialty|specialist|foundation|doctor|house officer|clinical fellow|trust grade|"
    r"staff grade|medical|dental|\b(?:fy|ct|st|sp?r)\s?[1-9]\b",
    re.IGNORECASE,
)


def band_of(text: str, *, medical_grades: bool = False) -> str | None:
    """The band `text` names, or None. With `medical_grades`, medical grades (Consultant,
    Specialty Registrar, FY1...) are Medical and a band in longer text is found."""
    text = " ".join(text.split())
    if not text:
        return None
    if (band := BANDS_BY_TEXT.get(text.lower())) is not None:
        return band
    match = BAND_PATTERN.match(text) or (BAND_IN_TEXT.search(text) if medical_grades else None)
    if match:
        number, letter = match[1], (match[2] or "").lower()
        return BANDS_BY_TEXT.get(f"{number}{letter}")
    if medical_grades and MEDICAL_GRADES.search(text):
        return Band.MEDICAL.value
    return None


class _Dates:
    """Dates read in the formats people's files have, remembered (a file has few distinct dates)."""

    def __init__(self):
        self.seen: dict[str, date | None] = {}

    def __call__(self, text: str) -> date | None:
        if text in self.seen:
            return self.seen[text]
        found = None
        for date_format in DATE_FORMATS:
            try:
                found = datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        self.seen[text] = found
        return found


def _check_email(line: int, email: str, warnings: list[RowError]) -> str:
    """The email as kept: lower case; a malformed one is left out, with a warning."""
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        warnings.append(
            RowError(line, f"email {email!r} is not an email address: imported without an email until it is fixed")
        )
        return ""
    return email.lower()


def _person(line: int, values: dict, reading: Reading, *, band: str | None, band_problem: str, start, left_on):
    """A StaffRow from a row's `values`, or None (with its errors) if it cannot be imported."""
    problems = [f"{label} is empty" for key, label in values["_required"] if not values[key]]
    problems += [
        f"{name} is longer than {limit} characters" for name, limit in MAX_LENGTHS.items() if len(values[name]) > limit
    ]
    staff_number, manager_number = values["staff_number"], values["manager"]
    if staff_number and not STAFF_NUMBER_PATTERN.fullmatch(staff_number):
        problems.append(f"staff number {staff_number!r} must be up to 20 letters, digits or hyphens")
    if manager_number and manager_number == staff_number:
        problems.append("an employee cannot be their own line manager")
    if band_problem:
        problems.append(band_problem)
    problems += [problem for problem in (start[1], left_on[1]) if problem]
    reading.errors.extend(RowError(line, problem) for problem in problems)
    if problems:
        reading.numbers_on_bad_rows.add(staff_number)
        return None
    return StaffRow(
        line=line,
        staff_number=staff_number,
        manager_number=manager_number,
        department_path=tuple(values[key] for key in ("directorate", "department", "team") if values[key]),
        user_values={
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "email": _check_email(line, values["email"], reading.warnings),
        },
        employee_values={
            "job_title": values["job_title"],
            "band": band,
            "site": values["site"],
            "start_date": start[0],
        },
        left_on=left_on[0],
        email_given=values["email"],
    )


def _header_problems(table: Table, known: set[str]) -> list[RowError]:
    twice = sorted(key for key, count in Counter(table.header).items() if key in known and count > 1)
    if twice:
        return [RowError(table.header_line, f"the header row names these columns twice: {', '.join(twice)}")]
    return []


def _cells(table: Table, reading: Reading, width: int):
    """(line, cells) of each row, with a row longer than the header reported."""
    for line, cells in table.rows:
        reading.data_rows += 1
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            reading.errors.append(RowError(line, f"the row has {len(cells)} values but the header has {width} columns"))
            continue
        yield line, cells


# The project's columns --------------------------------------------------------------------

PERSON_COLUMNS = ["staff_number", "first_name", "last_name", "email", "job_title", "band", "start_date"]
REQUIRED_COLUMNS = [*PERSON_COLUMNS, "directorate", "department"]
OPTIONAL_COLUMNS = ["team", "site", "line_manager_staff_number", "leaving_date"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
_PROJECT_REQUIRED = tuple((key, key) for key in REQUIRED_COLUMNS if key != "email")


def read_project(table: Table, *, today: date) -> Reading:
    reading = Reading(layout="the staff import's own columns")
    missing = [column for column in REQUIRED_COLUMNS if column not in table.header]
    if missing:
        reading.errors.append(RowError(table.header_line, f"the header row lacks the columns: {', '.join(missing)}"))
    reading.errors += _header_problems(table, set(COLUMNS))
    if reading.errors:
        return reading
    position = {column: table.header.index(column) for column in COLUMNS if column in table.header}
    dates, line_of = _Dates(), {}
    for line, cells in _cells(table, reading, len(table.header)):
        values = {column: "" for column in OPTIONAL_COLUMNS}
        values.update({column: cells[i].strip() if i < len(cells) else "" for column, i in position.items()})
        values["manager"], values["_required"] = values["line_manager_staff_number"], _PROJECT_REQUIRED
        band = band_of(values["band"])
        band_problem = f"band {values['band']!r} is not one of: {BAND_VALUES}" if values["band"] and not band else ""
        start = _date(values["start_date"], "start date", dates)
        left_on = _date(values["leaving_date"], "leaving date", dates)
        if left_on[0] and left_on[0] > today:
            left_on = (None, "")  # leaving later: still here
        row = _person(line, values, reading, band=band, band_problem=band_problem, start=start, left_on=left_on)
        number = values["staff_number"]
        if row is not None and number in line_of:
            reading.errors.append(RowError(line, f"staff number {number} is also on line {line_of[number]}"))
        elif row is not None:
            line_of[number] = line
            reading.rows.append(row)
    _no_staff(table, reading)
    return reading


def _date(text: str, label: str, dates: _Dates) -> tuple[date | None, str]:
    if not text:
        return None, ""
    found = dates(text)
    return (found, "") if found else (None, f"{label} {text!r} is not a date ({DATE_HELP})")


def _no_staff(table: Table, reading: Reading) -> None:
    if not reading.rows and not reading.errors:
        reading.errors.append(RowError(table.header_line, "the file has a header row but no staff"))


# ESR ----------------------------------------------------------------------------------------

ESR_HEADINGS = {
    "employee_number": "Employee Number",
    "first_name": "First Name",
    "last_name": "Last Name",
    "known_as": "Known As",
    "email_address": "Email Address",
    "position_title": "Position Title",
    "job_role": "Job Role",
    "staff_group": "Staff Group",
    "grade": "Grade",
    "pay_band": "Pay Band",
    "org_l3": "Org L3",
    "org_l4": "Org L4",
    "organisation": "Organisation",
    "location": "Location",
    "supervisor_employee_number": "Supervisor Employee Number",
    "supervisor_assignment_number": "Supervisor Assignment Number",
    "primary_assignment": "Primary Assignment",
    "assignment_status": "Assignment Status",
    "hire_date": "Hire Date",
    "assignment_start_date": "Assignment Start Date",
    "actual_termination_date": "Actual Termination Date",
}
# Each group needs one of its columns.
ESR_REQUIRED = [
    ("employee_number",),
    ("first_name", "known_as"),
    ("last_name",),
    ("position_title", "job_role"),
    ("pay_band", "grade"),
    ("org_l3",),
    ("org_l4", "organisation"),
    ("hire_date", "assignment_start_date"),
]
_ESR_REQUIRED_VALUES = (
    ("staff_number", "Employee Number"),
    ("first_name", "First Name"),
    ("last_name", "Last Name"),
    ("job_title", "Position Title"),
    ("directorate", "Org L3 (directorate)"),
    ("department", "Org L4 (department)"),
)
VPD_PREFIX = re.compile(r"^\d{3}\s+")
TERMINATED = re.compile(r"terminat|\bended\b|\bleaver\b", re.IGNORECASE)


def without_vpd(name: str) -> str:
    """'245 Division of Medicine' is 'Division of Medicine'."""
    return VPD_PREFIX.sub("", name).strip()


@dataclass
class _Assignment:
    line: int
    cells: dict[str, str]
    primary: bool
    ended_on: date | None
    terminated: bool


def read_esr(table: Table, *, today: date) -> Reading:
    reading = Reading(layout="an ESR staff list (one row per assignment)")
    have = set(table.header)
    missing = [" or ".join(ESR_HEADINGS[key] for key in group) for group in ESR_REQUIRED if not have & set(group)]
    if missing:
        reading.errors.append(
            RowError(table.header_line, f"the header row lacks the ESR columns: {', '.join(missing)}")
        )
    reading.errors += _header_problems(table, set(ESR_HEADINGS))
    if reading.errors:
        return reading
    position = {key: table.header.index(key) for key in ESR_HEADINGS if key in have}
    dates = _Dates()
    by_number: dict[str, list[_Assignment]] = defaultdict(list)
    for line, row in _cells(table, reading, len(table.header)):
        cells = {key: row[i].strip() if i < len(row) else "" for key, i in position.items()}
        ended = _date(cells.get("actual_termination_date", ""), "Actual Termination Date", dates)
        if ended[1]:
            reading.errors.append(RowError(line, ended[1]))
            reading.numbers_on_bad_rows.add(cells["employee_number"])
            continue
        terminated = bool(TERMINATED.search(cells.get("assignment_status", ""))) or (
            ended[0] is not None and ended[0] < today
        )
        primary = cells.get("primary_assignment", "").lower() in ("yes", "y", "true", "1")
        by_number[cells["employee_number"]].append(_Assignment(line, cells, primary, ended[0], terminated))
    for number, assignments in by_number.items():
        if not number:
            for assignment in assignments:
                reading.errors.append(RowError(assignment.line, "Employee Number is empty"))
            continue
        _esr_person(number, assignments, reading, dates, today, has_primary_column="primary_assignment" in have)
    reading.rows.sort(key=lambda row: row.line)
    _no_staff(table, reading)
    return reading


def _esr_person(number, assignments, reading: Reading, dates, today, *, has_primary_column: bool) -> None:
    """One record from a person's assignments: the primary of the current ones (all ended: a leaver)."""
    current = [assignment for assignment in assignments if not assignment.terminated]
    considered = current or assignments
    primaries = [assignment for assignment in considered if assignment.primary]
    if len(primaries) > 1:
        lines = ", ".join(str(assignment.line) for assignment in primaries[1:])
        reading.errors.append(
            RowError(
                primaries[0].line,
                f"Employee Number {number} has more than one primary assignment (also on line {lines})",
            )
        )
        reading.numbers_on_bad_rows.add(number)
        return
    if not has_primary_column and len(considered) > 1:
        lines = ", ".join(str(assignment.line) for assignment in considered[1:])
        reading.errors.append(
            RowError(
                considered[0].line,
                f"Employee Number {number} is also on line {lines}, and there is no Primary Assignment column",
            )
        )
        reading.numbers_on_bad_rows.add(number)
        return
    chosen = primaries[0] if primaries else considered[0]
    if has_primary_column and not primaries and len(considered) > 1:
        reading.warnings.append(
            RowError(chosen.line, f"Employee Number {number} has no primary assignment: this row is used")
        )
    left_on = None
    if not current:  # every assignment ended: a leaver, on the last termination date
        left_on = max((a.ended_on for a in assignments if a.ended_on), default=None) or today
    cells = chosen.cells
    get = cells.get
    department, team = without_vpd(get("org_l4", "")), without_vpd(get("organisation", ""))
    if not department:
        department, team = team, ""
    if team.lower() == department.lower():
        team = ""
    manager = get("supervisor_employee_number", "") or get("supervisor_assignment_number", "").split("-")[0].strip()
    values = {
        "staff_number": number,
        "first_name": get("known_as", "") or get("first_name", ""),
        "last_name": get("last_name", ""),
        "email": get("email_address", ""),
        "job_title": get("position_title", "") or get("job_role", ""),
        "directorate": without_vpd(get("org_l3", "")),
        "department": department,
        "team": team,
        "site": without_vpd(get("location", "")),
        "manager": manager,
        "_required": _ESR_REQUIRED_VALUES,
    }
    pay_band, grade = get("pay_band", ""), get("grade", "")
    band = band_of(pay_band, medical_grades=True) or band_of(grade, medical_grades=True)
    if band is None and "medical" in get("staff_group", "").lower():
        band = Band.MEDICAL.value
    band_problem = ""
    if band is None:
        shown = " / ".join(repr(text) for text in (pay_band, grade) if text)
        band_problem = (
            f"pay band {shown} is not a band we know "
            "(Band 1 to 9, Band 8a to 8d, Very Senior Manager, or a medical grade)"
            if shown
            else "Pay Band and Grade are empty"
        )
    start_text = get("hire_date", "") or get("assignment_start_date", "")
    start = _date(start_text, "Hire Date", dates) if start_text else (None, "Hire Date is empty")
    row = _person(
        chosen.line, values, reading, band=band, band_problem=band_problem, start=start, left_on=(left_on, "")
    )
    if row is not None:
        reading.rows.append(row)


def read_rows(table: Table, *, today: date) -> Reading:
    """The people in `table`, in whichever layout its header is."""
    if "employee_number" in table.header and "staff_number" not in table.header:
        return read_esr(table, today=today)
    return read_project(table, today=today)
