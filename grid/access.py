"""Who may see and change the talent grid, on the shared core in people.access.

HR sees the whole organisation's grid and calibrates it, and keeps the succession plans.
A manager sees and places only the people in their line (reports of reports too): the
line is part of every grid query, so a filter or an id outside it finds nobody. The
employee reads their own current placement when HR shows placements to staff. Career
supporters see nothing of the grid as supporters. Reads of a placement by anyone but
its subject are logged.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from people.access import User, get_or_404, in_line_of, log_reads, manages, roles_for
from people.models import Employee

from .models import CriticalRole


def may_see_talent_grid(user: User) -> bool:
    """The dashboard, drill-downs, exports, movement and succession: HR, and managers for their line."""
    roles = roles_for(user)
    return roles.is_hr or roles.is_manager


def talent_grid_scope(user: User, *, through: str = "") -> Q:
    """Who `user` may see on the talent grid, as a Q on Employee; `through` is the path from
    another model (e.g. "employee__"). Everyone for HR, the line for a manager, else nobody."""
    roles = roles_for(user)
    if roles.is_hr:
        return Q()
    if roles.is_manager:
        return in_line_of(roles.employee, through=through)
    return Q(**{f"{through}pk__in": []})


def may_read_placements_of(user: User, employee: Employee) -> bool:
    """A person's placements and their history: HR, and managers up the person's line."""
    return roles_for(user).is_hr or manages(user, employee)


def may_place(user: User, employee: Employee) -> bool:
    """Managers place the people in their line; HR moves people only through calibration."""
    return manages(user, employee)


def may_calibrate(user: User) -> bool:
    return roles_for(user).is_hr


def may_manage_succession(user: User) -> bool:
    """Marking critical roles and naming successors is HR's."""
    return roles_for(user).is_hr


def critical_roles_visible(user: User) -> QuerySet[CriticalRole]:
    """Critical roles: all for HR; for a manager, those held by someone in their line."""
    return CriticalRole.objects.filter(talent_grid_scope(user, through="incumbent__"))


def may_read_own_placement(user: User, *, shown_to_staff: bool) -> bool:
    """The employee reads their own current placement only when HR shows placements to staff."""
    return roles_for(user).employee is not None and shown_to_staff


def get_grid_subject_for_user(request: HttpRequest, pk: int) -> Employee:
    """Staff record `pk` if the signed-in user may read that person's placements, else 404."""
    return get_or_404(
        request,
        Employee.objects.select_related("user", "department", "line_manager__user"),
        pk,
        may=may_read_placements_of,
        not_found="No such person.",
    )


def log_placement_reads(request: HttpRequest, reads: Iterable[tuple[int, int]]) -> None:
    """Record that the signed-in user read placements, given as (placement id, subject's employee id)
    pairs: one insert, whatever the number."""
    log_reads(request, (("grid.placement", placement_id, employee_id) for placement_id, employee_id in reads))
