"""Staff import: an HR-system file in, a report of what changes, and all of it or nothing.

Used by `manage.py import_staff FILE [--complete] [--dry-run]` and by the HR upload page
(through people.import_jobs). The file is read by people.staff_files (CSV in any of the
encodings people have, or .xlsx) and people.staff_layouts (the project's columns or an ESR
extract), giving one record per person. Then, in one transaction:

1. the people are checked against each other and the system: errors stop the import
   (every one is reported at once); warnings do not (a supervisor not in the file or the
   system: no manager; a blank or shared email);
2. what would change is worked out: people created and updated, leavers (terminated in the
   file, or with `complete` not in it), people back from leaving, manager moves, departments
   created and left empty. That is the report; a dry run (the preview) stops here;
3. the changes are written in bulk, and `people.signals.staff_changed` lets the rest of the
   site follow them (conversations closes leavers' conversations and hands conversations to
   new managers) without `people` importing it.

The people already in the system are read in whole-table queries and the writes are batched,
so the number of queries grows with the rows only by the bulk batches.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .line import line_links_refresh, staff_records_changed
from .models import Department, Employee
from .signals import ManagerMove, staff_changed
from .staff_files import StaffFileError, read_table
from .staff_layouts import COLUMNS, REQUIRED_COLUMNS, Reading, RowError, StaffRow, read_rows

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "ImportReport", "RowError", "StaffImportError", "staff_import"]

BATCH_SIZE = 2000
PROGRESS_EVERY = 5000  # rows read between progress reports
LISTED = 2000  # of each list, the report keeps this many (the counts are whole)
LEFT_THE_ORGANISATION = "left the organisation"


class StaffImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__(f"{len(self.errors)} error{'s' * (len(self.errors) != 1)}; nothing was imported")


@dataclass
class ImportReport:
    """What an import found and did (or, for a preview, would do). Kept as JSON by the page's job."""

    file: str = ""  # how the file was read: its format and layout
    rows: int = 0  # data rows in the file
    people: int = 0  # people in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: int = 0
    leavers: list[dict] = field(default_factory=list)  # staff_number, name, left_on, why
    returners: list[dict] = field(default_factory=list)  # staff_number, name
    moves: list[dict] = field(default_factory=list)  # staff_number, name, old, new (names, '' for nobody)
    warnings: list[dict] = field(default_factory=list)  # line, message
    errors: list[dict] = field(default_factory=list)  # line, message
    empty_departments: list[str] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)  # what the rest of the site does, from staff_changed
    counts: dict = field(default_factory=dict)  # whole counts of the lists above
    dry_run: bool = True
    complete: bool = False

    def count(self, name: str) -> int:
        return self.counts.get(name, len(getattr(self, name)))

    @property
    def changes_nothing(self) -> bool:
        return not (
            self.errors
            or self.created
            or self.updated
            or self.departments_created
            or self.count("leavers")
            or self.count("returners")
        )

    @property
    def error_list(self) -> list[RowError]:
        return [RowError(**error) for error in self.errors]

    @property
    def warning_list(self) -> list[RowError]:
        return [RowError(**warning) for warning in self.warnings]

    def summary(self) -> str:
        if self.errors:
            return f"{self.count('errors')} error{'s' * (self.count('errors') != 1)}; nothing was imported"
        if self.changes_nothing:
            said = "Nothing to change, the file is as the system has it"
        else:
            said = "Would import" if self.dry_run else "Imported"
        return (
            f"{said}: {self.created} people added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.departments_created} departments added; "
            f"{self.count('leavers')} leavers; {self.count('moves')} moved to a new manager."
        )

    def lines(self) -> list[str]:
        """The report as text, for the command line."""
        out = [f"Read {self.file}: {self.rows} rows, {self.people} people.", self.summary()]
        if self.count("returners"):
            out.append(f"{self.count('returners')} back from leaving: made active again.")
        for leaver in self.leavers:
            out.append(
                f"  leaver: {leaver['staff_number']} {leaver['name']} (left {leaver['left_on']}; {leaver['why']})"
            )
        for move in self.moves:
            out.append(
                f"  new manager: {move['staff_number']} {move['name']}: "
                f"{move['old'] or 'nobody'} -> {move['new'] or 'nobody'}"
            )
        out += self.effects
        if self.empty_departments:
            out.append(
                f"{self.count('empty_departments')} departments have nobody in them "
                "(remove them in administration if they are gone):"
            )
            out += [f"  {name}" for name in self.empty_departments]
        for warning in self.warning_list:
            out.append(f"warning: {warning}")
        more = self.count("warnings") - len(self.warnings)
        if more > 0:
            out.append(f"... and {more} more warnings")
        return out

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ImportReport":
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in (data or {}).items() if key in known})


@dataclass
class _Existing:
    """The people already in the system."""

    employees: dict[str, dict]  # staff number -> the employee's values
    users: dict[str, dict]  # username -> the account's values, for every account
    users_by_pk: dict[int, dict]

    @classmethod
    def load(cls) -> "_Existing":
        employee_fields = ["pk", "staff_number", "user_id", "line_manager__staff_number", "department_id"]
        employee_fields += ["job_title", "band", "site", "start_date", "left_on", "anonymised_at"]
        employees = Employee.objects.values(*employee_fields)
        user_fields = ["pk", "username", "first_name", "last_name", "email", "is_staff", "is_superuser", "is_active"]
        users = list(get_user_model().objects.values(*user_fields, "employee__staff_number"))
        return cls(
            {employee["staff_number"]: employee for employee in employees},
            {user["username"]: user for user in users},
            {user["pk"]: user for user in users},
        )

    def user_of(self, number: str) -> dict | None:
        employee = self.employees.get(number)
        return self.users_by_pk[employee["user_id"]] if employee else self.users.get(number)

    def name_of(self, number: str) -> str:
        user = self.user_of(number) if number in self.employees else None
        return f"{user['first_name']} {user['last_name']}".strip() if user else ""


# Checks -----------------------------------------------------------------------------------


def _check_people(reading: Reading, existing: _Existing) -> None:
    """Duplicates, clashes, unknown managers and management cycles, against the file and the database.
    Unknown managers and shared emails are warnings: the manager is left out; the email kept."""
    rows, errors, warnings = reading.rows, reading.errors, reading.warnings
    line_of = {row.staff_number: row.line for row in rows}
    active_rows = [row for row in rows if row.left_on is None]

    # Shared emails: imported, but nobody with a shared address can reset a password or get email.
    line_of_email: dict[str, int] = {}
    for row in active_rows:
        email = row.user_values["email"]
        if not email and not row.email_given:  # (a malformed one has its warning)
            warnings.append(
                RowError(
                    row.line, "no email: imported, but they cannot reset a password or get email until one is added"
                )
            )
        elif email in line_of_email:
            warnings.append(
                RowError(
                    row.line,
                    f"email {email} is also on line {line_of_email[email]}: imported, but neither can reset "
                    "a password or get email until it is fixed",
                )
            )
        else:
            line_of_email[email] = row.line
    owner_of_email = {
        user["email"].lower(): owner
        for user in existing.users.values()
        if (owner := user["employee__staff_number"]) and owner not in line_of and user["email"] and user["is_active"]
    }
    for row in active_rows:
        if (owner := owner_of_email.get(row.user_values["email"])) is not None:
            warnings.append(
                RowError(
                    row.line,
                    f"email {row.user_values['email']} also belongs to staff number {owner}: imported, but neither "
                    "can reset a password or get email until it is fixed",
                )
            )
    for row in rows:
        user = existing.users.get(row.staff_number)
        if user is None or row.staff_number in existing.employees:
            continue
        if owner := user["employee__staff_number"]:
            errors.append(RowError(row.line, f"user name {row.staff_number} belongs to staff number {owner}"))
        elif user["is_staff"] or user["is_superuser"]:
            errors.append(RowError(row.line, f"user name {row.staff_number} belongs to an administrator account"))

    # Supervisors: in the file (and not a leaver never in the system) or in the system; else none.
    known = line_of.keys() | existing.employees.keys() | reading.numbers_on_bad_rows
    for row in rows:
        if row.manager_number and row.manager_number not in known:
            warnings.append(
                RowError(
                    row.line,
                    f"line manager {row.manager_number} is not in the file or the system: imported with no manager",
                )
            )
            row.manager_number = ""

    # The management chain after the import: the database's, overlaid by the file's.
    manager_of = {number: employee["line_manager__staff_number"] for number, employee in existing.employees.items()}
    manager_of.update({row.staff_number: row.manager_number for row in rows})
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


# What changes ----------------------------------------------------------------------------------


@dataclass
class _Plan:
    rows: list[StaffRow]  # the people to create or update
    leaving: dict[str, date]  # staff number -> leaving date, for people who leave now
    returning: set[str]  # staff numbers of leavers who are back
    moves: list[tuple[str, str | None, str]]  # staff number, old manager, new manager ('' for none)
    report: ImportReport


def _names(row: StaffRow) -> str:
    return f"{row.user_values['first_name']} {row.user_values['last_name']}".strip()


def _plan(reading: Reading, existing: _Existing, *, complete: bool, by, today: date) -> _Plan:
    report = ImportReport(rows=reading.data_rows, people=len(reading.rows), complete=complete)
    rows, leaving, returning = [], {}, set()
    name_of = {row.staff_number: _names(row) for row in reading.rows}
    for row in reading.rows:
        employee = existing.employees.get(row.staff_number)
        if row.left_on is not None and (employee is None or employee["left_on"] is None):
            leaving[row.staff_number] = row.left_on  # a new leaver: their record is kept, inactive
        elif row.left_on is None and employee is not None and employee["left_on"] is not None:
            returning.add(row.staff_number)
        rows.append(row)

    in_file = {row.staff_number for row in reading.rows} | reading.numbers_on_bad_rows
    if complete:
        by_pk = getattr(by, "pk", None)
        for number, employee in existing.employees.items():
            if number in in_file or employee["left_on"] is not None or employee["anonymised_at"] is not None:
                continue
            user = existing.users_by_pk[employee["user_id"]]
            if not user["is_active"]:
                continue
            if user["pk"] == by_pk or user["is_superuser"]:
                whose = "your own account" if user["pk"] == by_pk else "an administrator's account"
                reading.warnings.append(
                    RowError(0, f"staff number {number} is not in the file but is {whose}: not made a leaver")
                )
                continue
            leaving[number] = today

    for number, left_on in sorted(leaving.items()):
        why = "not in the file" if number not in in_file else "left, as the file says"
        name = name_of.get(number) or existing.name_of(number)
        report.leavers.append({"staff_number": number, "name": name, "left_on": left_on.isoformat(), "why": why})
    report.returners = [{"staff_number": number, "name": name_of[number]} for number in sorted(returning)]

    # Reports of a leaver follow the file: those it points elsewhere move; the others are told of.
    moves = []
    for row in rows:
        employee = existing.employees.get(row.staff_number)
        if employee is None or row.staff_number in leaving:
            continue
        old, new = employee["line_manager__staff_number"], row.manager_number
        if (old or "") != new:
            moves.append((row.staff_number, old, new))
            report.moves.append(
                {
                    "staff_number": row.staff_number,
                    "name": name_of[row.staff_number],
                    "old": _who(old, existing, name_of),
                    "new": _who(new, existing, name_of),
                }
            )
    for row in rows:
        if row.manager_number in leaving and row.staff_number not in leaving:
            reading.warnings.append(
                RowError(
                    row.line, f"their line manager {row.manager_number} is leaving: they are left reporting to them"
                )
            )
    return _Plan(rows, leaving, returning, moves, report)


def _who(number: str | None, existing: _Existing, name_of: dict[str, str]) -> str:
    if not number:
        return ""
    name = name_of.get(number) or existing.name_of(number)
    return f"{name} ({number})" if name else number


def _department_paths(paths: set[tuple[str, ...]], *, create: bool) -> tuple[dict[tuple[str, ...], Department], int]:
    """The departments at `paths` by lower-cased path, matching existing ones and (with `create`)
    creating the rest; and how many are (or would be) created."""
    organisation = Department.objects.filter(level=Department.Level.ORGANISATION).order_by("pk").first()
    created = 0
    if organisation is None:
        created += 1
        organisation = Department(name=settings.ORGANISATION_NAME, level=Department.Level.ORGANISATION)
        if create:
            organisation.save()
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
        if create:
            new = Department.objects.bulk_create(new)
        by_path.update(zip(missing, new, strict=True))
        created += len(new)
    return by_path, created


def _empty_departments(plan: _Plan, existing: _Existing, by_path: dict) -> list[str]:
    """Departments that nobody will be in, themselves or below: for HR to tidy in administration."""
    department_of = {number: employee["department_id"] for number, employee in existing.employees.items()}
    for row in plan.rows:
        department_of[row.staff_number] = by_path[tuple(name.lower() for name in row.department_path)].pk
    tree = {
        pk: (parent, name, level)
        for pk, parent, name, level in Department.objects.values_list("pk", "parent_id", "name", "level")
    }
    occupied = set()
    for pk in set(department_of.values()):
        while pk is not None and pk not in occupied:
            occupied.add(pk)
            pk = tree.get(pk, (None,))[0]
    empty = [(level, name, pk) for pk, (_, name, level) in tree.items() if level > 0 and pk not in occupied]
    return [_path_name(pk, tree) for _, _, pk in sorted(empty)]


def _path_name(pk: int, tree: dict) -> str:
    names = []
    while pk is not None and tree[pk][2] > 0:
        names.insert(0, tree[pk][1])
        pk = tree[pk][0]
    return " > ".join(names)


# Writing --------------------------------------------------------------------------------------


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


def _Nothing(**values) -> None:  # stands in for a model class when only counting
    return None


def _update_in_groups(model, changes: dict[tuple[str, ...], list]) -> None:
    """bulk_update each group of objects on just the fields that changed: its cost grows with the fields."""
    for fields, objects in changes.items():
        model.objects.bulk_update(objects, fields, batch_size=BATCH_SIZE)


def _user_changes(plan: _Plan, existing: _Existing, *, build: bool = True):
    """New accounts, changes to accounts by the fields changed, and the staff numbers changed.
    Without `build`, only the staff numbers: no objects are made (a preview needs only counts)."""
    User = get_user_model() if build else _Nothing
    unusable_password = make_password(None)
    new_users, changes, changed_numbers = [], defaultdict(list), set()
    for row in plan.rows:
        user = existing.user_of(row.staff_number)
        values = dict(row.user_values)
        if row.staff_number in plan.leaving:
            values["is_active"] = False
        elif row.staff_number in plan.returning:
            values["is_active"] = True
        if user is None:
            new_users.append(User(username=row.staff_number, password=unusable_password, **values))
            continue
        if changed := tuple(name for name, value in values.items() if user[name] != value):
            changes[changed].append(User(pk=user["pk"], **values))
            if row.staff_number in existing.employees:
                changed_numbers.add(row.staff_number)
    in_rows = {row.staff_number for row in plan.rows}
    for number in plan.leaving.keys() - in_rows:  # leavers by their absence from a complete file
        user = existing.user_of(number)
        if user["is_active"]:
            changes[("is_active",)].append(User(pk=user["pk"], is_active=False))
        changed_numbers.add(number)
    return new_users, changes, changed_numbers


def _employee_changes(plan: _Plan, existing: _Existing, departments: dict, *, build: bool = True):
    make = Employee if build else _Nothing
    new_employees, changes, changed_numbers = [], defaultdict(list), set()
    for row in plan.rows:
        department = departments[tuple(name.lower() for name in row.department_path)]
        values = {**row.employee_values, "department_id": department.pk}
        employee = existing.employees.get(row.staff_number)
        if row.staff_number in plan.leaving:
            values["left_on"] = plan.leaving[row.staff_number]
        elif row.staff_number in plan.returning:
            values["left_on"] = None
        if employee is None:
            new_employees.append(make(staff_number=row.staff_number, **values))
            continue
        changed = tuple(name for name, value in values.items() if employee[name] != value)
        if (employee["line_manager__staff_number"] or "") != row.manager_number:
            changed += ("line_manager_id",)
        if changed:
            changes[changed].append(make(pk=employee["pk"], staff_number=row.staff_number, **values))
            changed_numbers.add(row.staff_number)
    in_rows = {row.staff_number for row in plan.rows}
    for number in plan.leaving.keys() - in_rows:
        employee = existing.employees[number]
        changes[("left_on",)].append(make(pk=employee["pk"], left_on=plan.leaving[number]))
        changed_numbers.add(number)
    return new_employees, changes, changed_numbers


def _write(plan: _Plan, existing: _Existing, departments: dict) -> dict[str, int]:
    """Write the plan; the ids of everyone, by staff number."""
    User = get_user_model()
    new_users, user_changes, _ = _user_changes(plan, existing)
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    _update_in_groups(User, user_changes)
    user_id_of = {number: user["pk"] for number in existing.employees if (user := existing.user_of(number))}
    user_id_of.update({number: user["pk"] for number, user in existing.users.items() if number not in user_id_of})
    user_id_of.update({user.username: user.pk for user in new_users})

    new_employees, changes, _ = _employee_changes(plan, existing, departments)
    for employee in new_employees:
        employee.user_id = user_id_of[employee.staff_number]
    # New people are created a generation at a time, managers first, so each is created with their
    # manager's id: far cheaper than creating them all and then updating every manager link.
    id_of = {number: employee["pk"] for number, employee in existing.employees.items()}
    manager_of = {row.staff_number: row.manager_number for row in plan.rows}
    for generation in _generations(new_employees, manager_of):
        for employee in generation:
            employee.line_manager_id = id_of.get(manager_of[employee.staff_number])
        Employee.objects.bulk_create(generation, batch_size=BATCH_SIZE)
        id_of.update({employee.staff_number: employee.pk for employee in generation})
    for employee in (employee for group in changes.values() for employee in group):
        if employee.staff_number in manager_of:
            employee.line_manager_id = id_of.get(manager_of[employee.staff_number])
    _update_in_groups(Employee, changes)
    # bulk_create and bulk_update send no signals: the line links follow the new and moved people,
    # and what each line spans is read afresh.
    staff_records_changed()
    moved = [employee.pk for employee in new_employees]
    moved += [employee.pk for fields, group in changes.items() if "line_manager_id" in fields for employee in group]
    if moved:
        line_links_refresh(moved)
    return id_of


def _tell_the_site(plan: _Plan, existing: _Existing, id_of: dict[str, int], *, dry_run: bool) -> list[str]:
    """Send staff_changed (leavers and manager moves) and gather what the receivers say."""
    leavers = sorted(id_of[number] for number in plan.leaving if number in id_of)
    moves = [
        ManagerMove(
            employee_id=id_of[number],
            old_manager_id=id_of.get(old) if old else None,
            new_manager_id=id_of.get(new) if new else None,
            new_manager_number=new,
        )
        for number, old, new in plan.moves
    ]
    if not leavers and not moves:
        return []
    lines = []
    for _, said in staff_changed.send(sender=None, leavers=leavers, manager_moves=moves, dry_run=dry_run):
        lines += said or []
    return lines


# The import ------------------------------------------------------------------------------------


def _cap(report: ImportReport) -> None:
    for name in ("leavers", "returners", "moves", "warnings", "errors", "empty_departments"):
        items = getattr(report, name)
        report.counts[name] = len(items)
        setattr(report, name, items[:LISTED])


def staff_file_reading(
    data: bytes, *, today: date, progress: Callable[[int], None] | None = None
) -> tuple[str, Reading]:
    """How the file was read, and the people in it (with the problems of its rows)."""
    try:
        table = read_table(data)
    except StaffFileError as error:
        return "", Reading(layout="", errors=[RowError(error.line, error.message)])
    if progress is not None:
        table.rows = _counted(table.rows, progress)
    try:
        reading = read_rows(table, today=today)
    except StaffFileError as error:  # a CSV error part way through
        reading = Reading(layout="", errors=[RowError(error.line, error.message)])
    return f"{table.kind}, in {reading.layout}" if reading.layout else table.kind, reading


def _counted(rows, progress):
    for count, row in enumerate(rows, start=1):
        if count % PROGRESS_EVERY == 0:
            progress(count)
        yield row


def staff_import(
    data: bytes,
    *,
    complete: bool = False,
    dry_run: bool = False,
    by=None,
    progress: Callable[[int], None] | None = None,
    checking: Callable[[], None] | None = None,
) -> ImportReport:
    """Read `data` (a staff file's bytes), check it and work out what changes; unless `dry_run`
    (or there are errors), make the changes. With `complete`, anyone not in the file leaves.
    `by` is the user importing (never made a leaver by their own import). `progress` is told the
    rows read now and then, and `checking` when reading is done. The report says it all."""
    today = timezone.localdate()
    kind, reading = staff_file_reading(data, today=today, progress=progress)
    if checking is not None:
        checking()
    # Checked and written in one transaction, so the checks hold for what is written.
    with transaction.atomic():
        existing = _Existing.load()
        if not reading.errors or reading.rows:
            _check_people(reading, existing)
        plan = _plan(reading, existing, complete=complete, by=by, today=today)
        report = plan.report
        report.file, report.dry_run = kind, dry_run or bool(reading.errors)
        report.errors = [asdict(error) for error in sorted(reading.errors, key=lambda error: error.line)]
        report.warnings = [asdict(error) for error in sorted(reading.warnings, key=lambda error: error.line)]
        if not reading.errors:
            departments, report.departments_created = _department_paths(
                {row.department_path for row in plan.rows}, create=False
            )
            _, _, changed_users = _user_changes(plan, existing, build=False)
            new_employees, _, changed_employees = _employee_changes(plan, existing, departments, build=False)
            report.created = len(new_employees)
            report.updated = len(changed_users | changed_employees)
            report.unchanged = (
                len(plan.rows)
                - report.created
                - len((changed_users | changed_employees) & {row.staff_number for row in plan.rows})
            )
            if report.dry_run:
                report.empty_departments = _empty_departments(plan, existing, departments)
                id_of = {number: employee["pk"] for number, employee in existing.employees.items()}
                report.effects = _tell_the_site(plan, existing, id_of, dry_run=True)
            else:
                departments, _ = _department_paths({row.department_path for row in plan.rows}, create=True)
                id_of = _write(plan, existing, departments)
                report.empty_departments = _empty_departments(plan, existing, departments)
                report.effects = _tell_the_site(plan, existing, id_of, dry_run=False)
    _cap(report)
    return report


def staff_import_csv(text: str, **options) -> ImportReport:
    """Import the CSV `text`; StaffImportError listing every error if there is any (nothing is imported)."""
    report = staff_import(text.encode("utf-8"), **options)
    if report.errors:
        raise StaffImportError(report.error_list)
    return report
