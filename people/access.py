"""The shared core of the access rules: roles, who is in whose line, the read log, and one
get-or-404 helper. Each feature app keeps its own rules in its `access.py` on this core
(conversations.access, pdp.access, grid.access); views fetch through those.

Roles:
- every signed-in member of staff is an employee and sees their own records;
- a manager is anyone with reports, and sees their whole line (reports of reports too), read
  from the line links that people.line keeps;
- career supporters and HR are groups.

What a user may not see answers 404, so ids in URLs leak nothing. Every read of a
confidential record by someone other than its subject is written to the access log.
"""

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from . import access_log
from .models import Employee, LineLink

HR_GROUP = "HR"
SUPPORTER_GROUP = "Career supporters"

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Roles:
    employee: Employee | None
    is_hr: bool
    is_supporter: bool
    is_manager: bool


def roles_for(user: User) -> Roles:
    """The signed-in user's roles, worked out once per request and kept on the user."""
    cached = getattr(user, "_talent_roles", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        roles = Roles(employee=None, is_hr=False, is_supporter=False, is_manager=False)
    else:
        groups = set(user.groups.values_list("name", flat=True))
        employee = Employee.objects.select_related("user", "department", "line_manager__user").filter(user=user).first()
        roles = Roles(
            employee=employee,
            is_hr=HR_GROUP in groups,
            is_supporter=SUPPORTER_GROUP in groups,
            is_manager=employee is not None and employee.direct_reports.exists(),
        )
    user._talent_roles = roles
    return roles


def in_line_of(manager: Employee, *, through: str = "") -> Q:
    """A filter for people in `manager`'s line; `through` is the path to them from another model
    (e.g. "employee__"). One indexed lookup in the line links (people.line)."""
    return Q(**{f"{through}pk__in": LineLink.objects.filter(manager=manager).values("report_id")})


def self_or_line_of(manager: Employee, *, through: str = "") -> Q:
    """A filter for `manager` and the people in their line, as one IN over a UNION, which an index
    serves, rather than an OR, which makes the database read every row."""
    line = LineLink.objects.filter(manager=manager).order_by().values("report_id")
    return Q(**{f"{through}pk__in": Employee.objects.filter(pk=manager.pk).order_by().values("pk").union(line)})


def line_of(manager: Employee) -> QuerySet[Employee]:
    """Everyone below `manager` in the management chain: reports, their reports, and so on."""
    return Employee.objects.filter(in_line_of(manager))


def line_size(manager: Employee) -> int:
    """How many people are in `manager`'s line: counted in the line links' index alone."""
    return LineLink.objects.filter(manager=manager).count()


def is_in_line(manager: Employee, employee: Employee) -> bool:
    """Whether `employee` is somewhere below `manager` in the management chain."""
    return LineLink.objects.filter(manager=manager, report=employee).exists()


def visible_employees(user: User) -> QuerySet[Employee]:
    """The staff records a user may look up: all for HR, the whole line for a manager."""
    roles = roles_for(user)
    if roles.is_hr:
        return Employee.objects.all()
    if roles.is_manager:
        return line_of(roles.employee)
    return Employee.objects.none()


def manages(user: User, employee: Employee) -> bool:
    """Whether the signed-in user is a manager with `employee` somewhere in their line."""
    roles = roles_for(user)
    return roles.is_manager and is_in_line(roles.employee, employee)


def may_view_employee(user: User, employee: Employee) -> bool:
    roles = roles_for(user)
    if roles.employee is not None and roles.employee.pk == employee.pk:
        return True
    return roles.is_hr or manages(user, employee)


def may_administer_staff(user: User) -> bool:
    """HR maintains the organisation's data: staff import and administration."""
    return roles_for(user).is_hr


LARGE_LINE = 1000  # people: see own_or_line


def own_or_line(
    user: User,
    records: QuerySet,
    *,
    own: Callable[[Employee], Q],
    line: Callable[[Employee], Q],
    walk: bool = False,
) -> QuerySet:
    """All `records` for HR; else those `own(me)` selects, and for a manager `line(me)` too.

    Each arm on its own is an indexed lookup; OR-ed together they would make the database read
    every row. So: the records whose id is in the UNION of the arms' ids. With `walk`, for a page
    read in the order of an index and stopped at its end: for a manager with a large line (at least
    LARGE_LINE people, a good share of the records), the arms OR-ed, which the database checks on
    each row as it walks the index (the line one hashed lookup), so that it stops at the page's end
    instead of first gathering every record of the line; a smaller line is soon gathered. Count
    such a list with own_or_line_count."""
    roles = roles_for(user)
    if roles.is_hr:
        return records
    arms = _arms(roles, own=own, line=line)
    if not arms:
        return records.none()
    if len(arms) == 1 or (walk and roles.is_manager and line_size(roles.employee) >= LARGE_LINE):
        return records.filter(reduce(operator.or_, arms))
    ids = [records.model._base_manager.filter(arm).order_by().values("pk") for arm in arms]
    return records.filter(pk__in=ids[0].union(*ids[1:]))


def own_or_line_count(
    user: User, records: QuerySet, *, own: Callable[[Employee], Q], line: Callable[[Employee], Q]
) -> int:
    """How many of `records` own_or_line gives: for a manager, counted over the UNION of the arms'
    ids, each arm an indexed lookup, without reading the records themselves."""
    roles = roles_for(user)
    if roles.is_hr:
        return records.count()
    arms = _arms(roles, own=own, line=line)
    if not arms:
        return 0
    if len(arms) == 1:
        return records.filter(arms[0]).count()
    ids = [records.filter(arm).order_by().values("pk") for arm in arms]
    return ids[0].union(*ids[1:]).count()


def _arms(roles: Roles, *, own: Callable[[Employee], Q], line: Callable[[Employee], Q]) -> list[Q]:
    """The alternatives that select the records of `roles`' employee (none without one)."""
    me = roles.employee
    if me is None:
        return []
    return _or_arms(own(me)) + (_or_arms(line(me)) if roles.is_manager else [])


def _or_arms(q: Q) -> list[Q]:
    """The alternatives of `q`: its parts if it is an OR, else `q` itself."""
    if q.connector != Q.OR or q.negated:
        return [q]
    return [arm for child in q.children for arm in _or_arms(child if isinstance(child, Q) else Q(child))]


# Query-string values kept in the access log; any other value (a searched name, a staff
# number, a token) is replaced by "…", so the log never holds what someone searched for.
LOGGED_QUERY_KEYS = {"page", "show", "status", "kind", "box", "from_box", "to_box", "band", "site", "track"}
PENDING_READS = "_access_log_pending"
LOG_ENTRY = "_access_log_entry"


def logged_path(request: HttpRequest) -> str:
    """The address read, as the access log keeps it: the path, and the query with values redacted."""
    query = "&".join(
        f"{key}={value if key in LOGGED_QUERY_KEYS else '…'}" for key, values in request.GET.lists() for value in values
    )
    return (request.path + (f"?{query}" if query else ""))[:300]


def log_reads(request: HttpRequest, reads: Iterable[tuple[str, int, int]]) -> None:
    """Record that the signed-in user read confidential records, given as (record type, record id,
    subject's employee id); reads of one's own records are not logged. A request writes one
    entry, whatever it showed (people.access_log), when the page is shown
    (people.middleware.AccessLogMiddleware): a request refused (404) or sent elsewhere logs
    nothing. Outside such a request (a streamed file's rows) they are written at once, to the
    same entry."""
    me = roles_for(request.user).employee
    rows = [read for read in reads if me is None or read[2] != me.pk]
    pending = getattr(request, PENDING_READS, None)
    if pending is None:
        write_reads(request, rows)
    else:
        pending.extend(rows)


def write_reads(request: HttpRequest, reads: list[tuple[str, int, int]]) -> None:
    """Write `reads` to the request's one entry: the first write makes it, later ones add to it."""
    entry = getattr(request, LOG_ENTRY, None)
    if entry is None:
        setattr(request, LOG_ENTRY, access_log.entry_write(user=request.user, path=logged_path(request), reads=reads))
    else:
        access_log.entry_extend(entry, reads)


def log_read(request: HttpRequest, record: Model, subject: Employee, *, record_type: str = "") -> None:
    """Record that the signed-in user read `record`, a confidential record about `subject`
    (`record_type`: what was read of it, when not the whole record)."""
    if request.method not in ("GET", "HEAD"):
        # Writes (an autosave, a form post) are not reads; the page that shows the record is logged.
        return
    log_reads(request, [(record_type or record._meta.label_lower, record.pk, subject.pk)])


def get_or_404(
    request: HttpRequest,
    records: QuerySet,
    pk: int,
    *,
    may: Callable[[User, Model], bool] | None = None,
    subject: Callable[[Model], Employee] | None = None,
    not_found: str = "Not found.",
) -> Model:
    """Record `pk` among `records` (already narrowed to what the user may see, or checked by
    `may`), else 404. With `subject`, the read of that person's record is logged."""
    record = records.filter(pk=pk).first()
    if record is None or (may is not None and not may(request.user, record)):
        raise Http404(not_found)
    if subject is not None:
        log_read(request, record, subject=subject(record))
    return record


def get_employee_for_user(request: HttpRequest, pk: int) -> Employee:
    """The staff record `pk` if the signed-in user may see it (logging the read), else 404."""
    return get_or_404(
        request,
        Employee.objects.select_related("user", "department__parent__parent", "line_manager__user"),
        pk,
        may=may_view_employee,
        subject=lambda employee: employee,
        not_found="No such person.",
    )
