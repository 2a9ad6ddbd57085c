"""Staff import from an HR-system CSV export: all rows valid, or nothing changes.

Used by `manage.py import_staff FILE.csv` and by the HR upload page. Employees are
matched by staff number: new ones are created, existing ones updated. The department
tree (organisation > directorate > department > team) is built from the file.

The people already in the system are read in two whole-table queries and the writes are
batched, so the number of queries grows with the rows only by the bulk batches.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Band, Department, Employee

PERSON_COLUMNS = ["staff_number", "first_name", "last_name", "email", "job_title", "band", "start_date"]
REQUIRED_COLUMNS = [*PERSON_COLUMNS, "directorate", "department"]
OPTIONAL_COLUMNS = ["team", "site", "line_manager_staff_number"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_LENGTHS = dict(first_name=150, last_name=150, email=254, job_title=150, site=100)
MAX_LENGTHS.update(directorate=150, department=150, team=150)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
STAFF_NUMBER_PATTERN = re.compile(r"[A-Za-z0-9-]{1,20}")
# "6", "Band 6", "8A", "Medical", "Medical and dental", "VSM", ...
BANDS_BY_TEXT = {text.lower(): band.value for band in Band for text in (band.value, band.label)}
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
        super().__init__(f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}; nothing was imported")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: int = 0


@dataclass
class StaffRow:
    """A valid row of the file."""

    line: int
    staff_number: str
    manager_number: str
    department_path: tuple[str, ...]  # directorate, department and, if given, team
    user_values: dict  # first_name, last_name, email
    employee_values: dict  # job_title, band, site, start_date


@dataclass
class _Existing:
    """The people already in the system."""

    employees: dict[str, dict]  # staff number -> the employee's values
    users: dict[str, dict]  # username -> the account's values, for every account

    @classmethod
    def load(cls) -> "_Existing":
        employee_fields = ["pk", "staff_number", "user_id", "line_manager__staff_number", "department_id"]
        employees = Employee.objects.values(*employee_fields, "job_title", "band", "site", "start_date")
        user_fields = ["pk", "username", "first_name", "last_name", "email", "is_staff", "is_superuser"]
        users = get_user_model().objects.values(*user_fields, "employee__staff_number")
        return cls({employee["staff_number"]: employee for employee in employees}, {u["username"]: u for u in users})


def _parse_date(text: str) -> date | None:
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


def _parse_row(line: int, values: dict[str, str], errors: list[RowError]) -> StaffRow | None:
    problems = [f"{column} is empty" for column in REQUIRED_COLUMNS if not values[column]]
    problems += [
        f"{name} is longer than {limit} characters" for name, limit in MAX_LENGTHS.items() if len(values[name]) > limit
    ]
    staff_number, manager_number = values["staff_number"], values["line_manager_staff_number"]
    if staff_number and not STAFF_NUMBER_PATTERN.fullmatch(staff_number):
        problems.append(f"staff number {staff_number!r} must be up to 20 letters, digits or hyphens")
    if manager_number and manager_number == staff_number:
        problems.append("an employee cannot be their own line manager")
    band = BANDS_BY_TEXT.get(values["band"].lower())
    if values["band"] and band is None:
        problems.append(f"band {values['band']!r} is not one of: {', '.join(b.value for b in Band)}")
    start_date = _parse_date(values["start_date"])
    if values["start_date"] and start_date is None:
        problems.append(f"start date {values['start_date']!r} is not a date (use DD/MM/YYYY or YYYY-MM-DD)")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(f"email {values['email']!r} is not an email address")
    errors.extend(RowError(line, problem) for problem in problems)
    if problems:
        return None
    return StaffRow(
        line=line,
        staff_number=staff_number,
        manager_number=manager_number,
        department_path=tuple(values[column] for column in ("directorate", "department", "team") if values[column]),
        user_values={
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "email": values["email"].lower(),
        },
        employee_values={
            "job_title": values["job_title"],
            "band": band,
            "site": values["site"],
            "start_date": start_date,
        },
    )


def _read_header(reader, errors: list[RowError]) -> list[str] | None:
    """The column names ('Staff number' is taken as staff_number), or None (with an error) if unusable."""
    header, line = [], 1
    while header is not None and not any(cell.strip() for cell in header):  # blank lines above the header
        line = reader.line_num + 1
        header = next(reader, None)
    if header is None:
        errors.append(RowError(1, "the file is empty"))
        return None
    header = [re.sub(r"[\s-]+", "_", heading.strip().lower()) for heading in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        errors.append(RowError(line, f"the header row lacks the columns: {', '.join(missing)}"))
    twice = sorted(column for column, count in Counter(header).items() if column in COLUMNS and count > 1)
    if twice:
        errors.append(RowError(line, f"the header row names these columns twice: {', '.join(twice)}"))
    return None if missing or twice else header


def _read_rows(text: str, errors: list[RowError]) -> tuple[list[StaffRow], set[str]]:
    """The valid rows, and the staff numbers on rows with errors (so they are not also reported as unknown)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, numbers_on_bad_rows = [], set()
    line = header_line = 1
    try:
        header = _read_header(reader, errors)
        if header is None:
            return rows, numbers_on_bad_rows
        header_line, width = reader.line_num, len(header)
        position = {column: header.index(column) for column in COLUMNS if column in header}
        while True:
            line = reader.line_num + 1  # reader.line_num is where a row ends; a quoted value can span lines
            cells = next(reader, None)
            if cells is None:
                break
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, or a row of empty cells as spreadsheets write
            values = {column: "" for column in OPTIONAL_COLUMNS}
            values.update({column: cells[i].strip() if i < len(cells) else "" for column, i in position.items()})
            row = None
            if any(cell.strip() for cell in cells[width:]):
                errors.append(RowError(line, f"the row has {len(cells)} values but the header has {width} columns"))
            else:
                row = _parse_row(line, values, errors)
            if row is None:
                numbers_on_bad_rows.add(values["staff_number"])
            else:
                rows.append(row)
    except csv.Error as error:
        errors.append(RowError(line, f"the file is not valid CSV: {error}"))
    if not rows and not errors:
        errors.append(RowError(header_line, "the file has a header row but no staff"))
    return rows, numbers_on_bad_rows


def _check_people(rows: list[StaffRow], numbers_on_bad_rows: set[str], existing: _Existing) -> list[RowError]:
    """Duplicates, clashes, unknown managers and management cycles, against the file and the database."""
    errors = []
    line_of, line_of_email = {}, {}
    for row in rows:
        number, email = row.staff_number, row.user_values["email"]
        if number in line_of:
            errors.append(RowError(row.line, f"staff number {number} is also on line {line_of[number]}"))
        if email in line_of_email:
            errors.append(RowError(row.line, f"email {email} is also on line {line_of_email[email]}"))
        line_of.setdefault(number, row.line)
        line_of_email.setdefault(email, row.line)

    # Emails and user names must not clash with the accounts of people the file leaves alone.
    owner_of_email = {
        user["email"].lower(): owner
        for user in existing.users.values()
        if (owner := user["employee__staff_number"]) and owner not in line_of and user["email"]
    }
    for row in rows:
        if (owner := owner_of_email.get(row.user_values["email"])) is not None:
            errors.append(RowError(row.line, f"email {row.user_values['email']} belongs to staff number {owner}"))
        user = existing.users.get(row.staff_number)
        if user is None or row.staff_number in existing.employees:
            continue
        if owner := user["employee__staff_number"]:
            errors.append(RowError(row.line, f"user name {row.staff_number} belongs to staff number {owner}"))
        elif user["is_staff"] or user["is_superuser"]:
            errors.append(RowError(row.line, f"user name {row.staff_number} belongs to an administrator account"))

    # The management chain after the import: the database's, overlaid by the file's.
    manager_of = {number: employee["line_manager__staff_number"] for number, employee in existing.employees.items()}
    manager_of.update({row.staff_number: row.manager_number for row in rows})
    known = manager_of.keys() | numbers_on_bad_rows
    for row in rows:
        if row.manager_number and row.manager_number not in known:
            errors.append(RowError(row.line, f"line manager {row.manager_number} is not in the file or the system"))

    # Walk up from each person; a chain that meets itself is a cycle. Each person is walked once.
    finished = set()
    for row in rows:
        chain, position = [], {}
        current = row.staff_number
        while current and current not in finished:
            if current in position:
                cycle = chain[position[current] :]
                for index, member in enumerate(cycle):
                    if member in line_of:
                        around = [*cycle[index:], *cycle[:index], member]
                        errors.append(RowError(line_of[member], f"management cycle: {' reports to '.join(around)}"))
                break
            position[current] = len(chain)
            chain.append(current)
            current = manager_of.get(current)
        finished.update(chain)
    return errors


def _departments(paths: set[tuple[str, ...]], result: ImportResult) -> dict[tuple[str, ...], Department]:
    """The departments at `paths` by lower-cased path, matching existing ones and creating the rest."""
    organisation = Department.objects.filter(level=Department.Level.ORGANISATION).order_by("pk").first()
    if organisation is None:
        organisation = Department.objects.create(name=settings.ORGANISATION_NAME, level=Department.Level.ORGANISATION)
        result.departments_created += 1
    by_path, path_of = {(): organisation}, {organisation.pk: ()}
    for department in Department.objects.filter(level__gt=0).order_by("level", "pk"):
        if department.parent_id in path_of:
            path_of[department.pk] = (*path_of[department.parent_id], department.name.lower())
            by_path.setdefault(path_of[department.pk], department)
    for level in Department.Level.DIRECTORATE, Department.Level.DEPARTMENT, Department.Level.TEAM:
        missing = {}  # lower-cased path -> the name as first written in the file
        for path in paths:
            key = tuple(name.lower() for name in path[:level])
            if len(path) >= level and key not in by_path:
                missing.setdefault(key, path[level - 1])
        new = [Department(name=name, level=level, parent=by_path[key[:-1]]) for key, name in missing.items()]
        by_path.update(zip(missing, Department.objects.bulk_create(new), strict=True))
        result.departments_created += len(new)
    return by_path


def _generations(new_employees: list[Employee], manager_of: dict[str, str]) -> list[list[Employee]]:
    """New employees grouped so that each one's manager is in an earlier group or already exists."""
    new = {employee.staff_number: employee for employee in new_employees}
    depth = {}
    for number in new:
        chain = []
        while number in new and number not in depth:  # the checks have ruled out cycles
            chain.append(number)
            number = manager_of[number]
        level = depth.get(number, -1)
        for member in reversed(chain):
            level += 1
            depth[member] = level
    generations = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for number, employee in new.items():
        generations[depth[number]].append(employee)
    return generations


def _update_in_groups(model, changes: dict[tuple[str, ...], list]) -> None:
    """bulk_update each group of objects on just the fields that changed: its cost grows with the fields."""
    for fields, objects in changes.items():
        model.objects.bulk_update(objects, fields, batch_size=BATCH_SIZE)


def _save_users(rows: list[StaffRow], existing: _Existing) -> tuple[dict[str, int], set[str]]:
    """Each row's user id, creating and updating accounts; and the staff numbers of the people changed."""
    User = get_user_model()
    users_by_pk = {user["pk"]: user for user in existing.users.values()}
    unusable_password = make_password(None)
    new_users, changes, changed_numbers, user_id_of = [], defaultdict(list), set(), {}
    for row in rows:
        employee = existing.employees.get(row.staff_number)
        user = users_by_pk[employee["user_id"]] if employee else existing.users.get(row.staff_number)
        if user is None:
            new_users.append(User(username=row.staff_number, password=unusable_password, **row.user_values))
            continue
        user_id_of[row.staff_number] = user["pk"]
        if changed := tuple(name for name, value in row.user_values.items() if user[name] != value):
            changes[changed].append(User(pk=user["pk"], **row.user_values))
            if employee:
                changed_numbers.add(row.staff_number)
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    _update_in_groups(User, changes)
    user_id_of.update({user.username: user.pk for user in new_users})
    return user_id_of, changed_numbers


def _save(rows: list[StaffRow], existing: _Existing) -> ImportResult:
    result = ImportResult()
    departments = _departments({row.department_path for row in rows}, result)
    user_id_of, changed_numbers = _save_users(rows, existing)
    new_employees, changes = [], defaultdict(list)
    for row in rows:
        department = departments[tuple(name.lower() for name in row.department_path)]
        values = {**row.employee_values, "department_id": department.pk}
        employee = existing.employees.get(row.staff_number)
        if employee is None:
            new_employees.append(
                Employee(staff_number=row.staff_number, user_id=user_id_of[row.staff_number], **values)
            )
            continue
        changed = tuple(name for name, value in values.items() if employee[name] != value)
        if employee["line_manager__staff_number"] != (row.manager_number or None):
            changed += ("line_manager_id",)
        if changed:
            changes[changed].append(Employee(pk=employee["pk"], staff_number=row.staff_number, **values))
            changed_numbers.add(row.staff_number)

    # New people are created a generation at a time, managers first, so each is created with their
    # manager's id: far cheaper than creating them all and then updating every manager link.
    id_of = {number: employee["pk"] for number, employee in existing.employees.items()}
    manager_of = {row.staff_number: row.manager_number for row in rows}
    for generation in _generations(new_employees, manager_of):
        for employee in generation:
            employee.line_manager_id = id_of.get(manager_of[employee.staff_number])
        Employee.objects.bulk_create(generation, batch_size=BATCH_SIZE)
        id_of.update({employee.staff_number: employee.pk for employee in generation})
    for employee in (employee for group in changes.values() for employee in group):
        employee.line_manager_id = id_of.get(manager_of[employee.staff_number])
    _update_in_groups(Employee, changes)
    result.created, result.updated = len(new_employees), len(changed_numbers)
    result.unchanged = len(rows) - result.created - result.updated
    return result


def staff_import_csv(text: str) -> ImportResult:
    """Validate every row of `text`, then import them all, or raise StaffImportError listing every bad line."""
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise StaffImportError([RowError(1, "the file holds binary data; export it from the HR system as CSV")])
    errors: list[RowError] = []
    rows, numbers_on_bad_rows = _read_rows(text, errors)
    # Checked and written in one transaction, so the checks hold for what is written.
    with transaction.atomic():
        existing = _Existing.load()
        errors += _check_people(rows, numbers_on_bad_rows, existing)
        if errors:
            raise StaffImportError(errors)
        return _save(rows, existing)
