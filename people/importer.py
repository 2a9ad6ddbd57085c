"""Staff import from an HR-system CSV export: all rows valid, or nothing changes.

Used by `manage.py import_staff FILE.csv` and by the HR upload page. Employees are
matched by staff number: new ones are created, existing ones updated. The department
tree (organisation > directorate > department > team) is built from the file.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Band, Department, Employee

REQUIRED_COLUMNS = [
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "band",
    "directorate",
    "department",
    "start_date",
]
OPTIONAL_COLUMNS = ["team", "site", "line_manager_staff_number"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
STAFF_NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,20}$")
BANDS_BY_TEXT = {}
for _band in Band:
    BANDS_BY_TEXT[_band.value.lower()] = _band.value
    BANDS_BY_TEXT[_band.label.lower()] = _band.value
BANDS_BY_TEXT["medical"] = Band.MEDICAL.value
BATCH_SIZE = 2000


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class StaffImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__(f"{len(self.errors)} errors; nothing was imported")


@dataclass
class StaffRow:
    line: int
    staff_number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    band: str
    directorate: str
    department: str
    team: str
    site: str
    manager_number: str
    start_date: date

    @property
    def department_path(self) -> tuple[str, ...]:
        path = (self.directorate, self.department, self.team)
        return path if self.team else path[:2]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    departments_created: int = 0
    errors: list[RowError] = field(default_factory=list)


def _parse_date(text: str) -> date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _parse_row(line: int, raw: dict[str, str], errors: list[RowError]) -> StaffRow | None:
    values = {column: (raw.get(column) or "").strip() for column in COLUMNS}
    row_errors = []
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            row_errors.append(f"{column} is empty")
    limits = {"first_name": 150, "last_name": 150, "job_title": 150, "site": 100, "email": 254}
    limits.update(directorate=150, department=150, team=150)
    for column, limit in limits.items():
        if len(values[column]) > limit:
            row_errors.append(f"{column} is longer than {limit} characters")
    if values["staff_number"] and not STAFF_NUMBER_PATTERN.match(values["staff_number"]):
        row_errors.append(f"staff number {values['staff_number']!r} must be up to 20 letters, digits or hyphens")
    manager_number = values["line_manager_staff_number"]
    if manager_number and manager_number == values["staff_number"]:
        row_errors.append("an employee cannot be their own line manager")
    band = BANDS_BY_TEXT.get(values["band"].lower())
    if values["band"] and band is None:
        row_errors.append(f"band {values['band']!r} is not one of: {', '.join(b.value for b in Band)}")
    start_date = _parse_date(values["start_date"])
    if values["start_date"] and start_date is None:
        row_errors.append(f"start date {values['start_date']!r} is not a date (use DD/MM/YYYY or YYYY-MM-DD)")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            row_errors.append(f"email {values['email']!r} is not an email address")
    errors.extend(RowError(line, message) for message in row_errors)
    if row_errors:
        return None
    return StaffRow(
        line=line,
        staff_number=values["staff_number"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"].lower(),
        job_title=values["job_title"],
        band=band,
        directorate=values["directorate"],
        department=values["department"],
        team=values["team"],
        site=values["site"],
        manager_number=manager_number,
        start_date=start_date,
    )


def _read_rows(text: str, errors: list[RowError]) -> list[StaffRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        errors.append(RowError(1, f"the header row lacks the columns: {', '.join(missing)}"))
        return []
    reader.fieldnames = header
    rows = []
    line = 1
    try:
        for raw in reader:
            line += 1
            if None in raw:
                errors.append(RowError(line, "the row has more fields than the header"))
                continue
            row = _parse_row(line, raw, errors)
            if row is not None:
                rows.append(row)
            line = reader.line_num
    except csv.Error as error:
        errors.append(RowError(reader.line_num, f"the file is not valid CSV: {error}"))
    if not rows and not errors:
        errors.append(RowError(1, "the file has a header row but no staff"))
    return rows


def _check_people(rows: list[StaffRow], errors: list[RowError]) -> None:
    """Duplicates, unknown managers and management cycles, against the file and the database."""
    first_line = {}
    for row in rows:
        if row.staff_number in first_line:
            errors.append(
                RowError(row.line, f"staff number {row.staff_number} is also on line {first_line[row.staff_number]}")
            )
        else:
            first_line[row.staff_number] = row.line
    first_email = {}
    for row in rows:
        if row.email in first_email:
            errors.append(RowError(row.line, f"email {row.email} is also on line {first_email[row.email]}"))
        else:
            first_email[row.email] = row.line

    # The management chain after the import: the database's, overlaid by the file's.
    manager_of = {
        number: manager or ""
        for number, manager in Employee.objects.values_list("staff_number", "line_manager__staff_number")
    }
    manager_of.update({row.staff_number: row.manager_number for row in rows})
    for row in rows:
        if row.manager_number and row.manager_number not in manager_of:
            errors.append(RowError(row.line, f"line manager {row.manager_number} is not in the file or the system"))

    reported = set()
    for row in rows:
        chain = [row.staff_number]
        seen = {row.staff_number}
        current = manager_of.get(row.staff_number)
        while current and current not in reported:
            if current in seen:
                cycle = [*chain[chain.index(current) :], current]
                errors.append(RowError(row.line, f"management cycle: {' reports to '.join(cycle)}"))
                reported.update(cycle)
                break
            chain.append(current)
            seen.add(current)
            current = manager_of.get(current)


def _department_for(path: tuple[str, ...], cache: dict, result: ImportResult) -> Department:
    """The department at `path` below the organisation, created where missing."""
    key = tuple(name.lower() for name in path)
    if key in cache:
        return cache[key]
    parent = cache[()] if len(path) == 1 else _department_for(path[:-1], cache, result)
    department = Department.objects.create(name=path[-1], level=len(path), parent=parent)
    result.departments_created += 1
    cache[key] = department
    return department


def _department_cache() -> tuple[dict, int]:
    """Existing departments keyed by their lower-cased path below the organisation."""
    organisation = Department.objects.filter(level=Department.Level.ORGANISATION).order_by("pk").first()
    created = 0
    if organisation is None:
        organisation = Department.objects.create(name=settings.ORGANISATION_NAME, level=Department.Level.ORGANISATION)
        created = 1
    cache = {(): organisation}
    path_of = {organisation.pk: ()}
    for department in Department.objects.filter(level__gt=0).order_by("level"):
        if department.parent_id in path_of:
            path = path_of[department.parent_id] + (department.name.lower(),)
            path_of[department.pk] = path
            cache[path] = department
    return cache, created


def _save(rows: list[StaffRow]) -> ImportResult:
    User = get_user_model()
    result = ImportResult()
    cache, result.departments_created = _department_cache()
    department_of = {row.staff_number: _department_for(row.department_path, cache, result) for row in rows}

    existing = {
        employee.staff_number: employee
        for employee in Employee.objects.select_related("user").filter(
            staff_number__in=[row.staff_number for row in rows]
        )
    }
    users_by_name = User.objects.in_bulk(
        [row.staff_number for row in rows if row.staff_number not in existing], field_name="username"
    )
    unusable_password = make_password(None)
    new_users = []
    changed_users = []
    for row in rows:
        employee = existing.get(row.staff_number)
        user = employee.user if employee else users_by_name.get(row.staff_number)
        if user is None:
            user = User(username=row.staff_number, password=unusable_password)
            new_users.append(user)
        else:
            changed_users.append(user)
        user.first_name, user.last_name, user.email = row.first_name, row.last_name, row.email
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    User.objects.bulk_update(changed_users, ["first_name", "last_name", "email"], batch_size=BATCH_SIZE)
    users = {user.username: user for user in new_users + changed_users}

    new_employees = []
    changed_employees = []
    for row in rows:
        employee = existing.get(row.staff_number)
        if employee is None:
            employee = Employee(staff_number=row.staff_number, user=users[row.staff_number])
            new_employees.append(employee)
        else:
            changed_employees.append(employee)
        employee.job_title = row.job_title
        employee.band = row.band
        employee.department = department_of[row.staff_number]
        employee.site = row.site
        employee.start_date = row.start_date
    Employee.objects.bulk_create(new_employees, batch_size=BATCH_SIZE)
    result.created, result.updated = len(new_employees), len(changed_employees)

    # Managers last, once every employee in the file has an id.
    ids = dict(Employee.objects.values_list("staff_number", "pk"))
    everyone = {employee.staff_number: employee for employee in new_employees + changed_employees}
    for row in rows:
        everyone[row.staff_number].line_manager_id = ids[row.manager_number] if row.manager_number else None
    Employee.objects.bulk_update(
        everyone.values(),
        ["job_title", "band", "department", "site", "start_date", "line_manager"],
        batch_size=BATCH_SIZE,
    )
    return result


def staff_import_csv(text: str) -> ImportResult:
    """Validate every row of `text`, then import them all, or raise StaffImportError listing every bad line."""
    errors: list[RowError] = []
    rows = _read_rows(text, errors)
    _check_people(rows, errors)
    if errors:
        raise StaffImportError(errors)
    with transaction.atomic():
        return _save(rows)
