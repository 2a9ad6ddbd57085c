"""Who may see and change what. The one place that decides; views fetch through it.

Roles:
- every signed-in member of staff is an employee and sees their own records;
- a manager is anyone with reports, and sees their whole line (reports of reports too);
- career supporters and HR are groups.

What a user may not see answers 404, so ids in URLs leak nothing. Every read of a
confidential record by someone other than its subject is written to the access log.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpRequest

from .models import AccessLog, Employee

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


def _line_ids_sql() -> str:
    table = connection.ops.quote_name(Employee._meta.db_table)
    return (
        "WITH RECURSIVE line(id) AS ("
        f" SELECT id FROM {table} WHERE line_manager_id = %s"
        f" UNION SELECT e.id FROM {table} e JOIN line ON e.line_manager_id = line.id"
        ") SELECT id FROM line"
    )


def in_line_of(manager: Employee, *, through: str = "") -> Q:
    """A filter for people in `manager`'s line; `through` is the path to them from another model
    (e.g. "employee__")."""
    return Q(**{f"{through}pk__in": RawSQL(_line_ids_sql(), [manager.pk])})


def line_of(manager: Employee) -> QuerySet[Employee]:
    """Everyone below `manager` in the management chain: reports, their reports, and so on."""
    return Employee.objects.filter(in_line_of(manager))


def is_in_line(manager: Employee, employee: Employee) -> bool:
    """Whether `employee` is somewhere below `manager` in the management chain."""
    table = connection.ops.quote_name(Employee._meta.db_table)
    sql = (
        "WITH RECURSIVE chain(id, manager_id) AS ("
        f" SELECT id, line_manager_id FROM {table} WHERE id = %s"
        f" UNION SELECT e.id, e.line_manager_id FROM {table} e JOIN chain ON e.id = chain.manager_id"
        ") SELECT 1 FROM chain WHERE manager_id = %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [employee.pk, manager.pk])
        return cursor.fetchone() is not None


def visible_employees(user: User) -> QuerySet[Employee]:
    """The staff records a user may look up: all for HR, the whole line for a manager."""
    roles = roles_for(user)
    if roles.is_hr:
        return Employee.objects.all()
    if roles.is_manager:
        return line_of(roles.employee)
    return Employee.objects.none()


def may_view_employee(user: User, employee: Employee) -> bool:
    roles = roles_for(user)
    if roles.employee is not None and roles.employee.pk == employee.pk:
        return True
    if roles.is_hr:
        return True
    return roles.is_manager and is_in_line(roles.employee, employee)


def may_administer_staff(user: User) -> bool:
    """HR maintains the organisation's data: staff import and administration."""
    return roles_for(user).is_hr


def log_read(request: HttpRequest, record: Model, subject: Employee) -> None:
    """Record that the signed-in user read `record`, a confidential record about `subject`."""
    if subject.user_id == request.user.pk or request.method not in ("GET", "HEAD"):
        # Writes (an autosave, a form post) are not reads; the page that shows the record is logged.
        return
    AccessLog.objects.create(
        user=request.user,
        subject=subject,
        record_type=record._meta.label_lower,
        record_id=record.pk,
        path=request.get_full_path()[:300],
    )


def get_employee_for_user(request: HttpRequest, pk: int) -> Employee:
    """The staff record `pk` if the signed-in user may see it (logging the read), else 404."""
    employee = (
        Employee.objects.select_related("user", "department__parent__parent", "line_manager__user")
        .filter(pk=pk)
        .first()
    )
    if employee is None or not may_view_employee(request.user, employee):
        raise Http404("No such person.")
    log_read(request, employee, subject=employee)
    return employee


# Conversations ---------------------------------------------------------------------
#
# The employee and the host (line manager or career supporter) take part. Managers up
# the employee's line may read talent conversations and reviews, but not career
# conversations with a supporter, which stay between the two people. HR reads all.
# Reflective answers reach the host only once shared; private notes reach nobody but
# their author (see conversations.models).


def _own_or_line(user: User, records: QuerySet, *, own, line) -> QuerySet:
    """All `records` for HR; else those `own(me)` selects, and for a manager `line(me)` too."""
    roles = roles_for(user)
    if roles.is_hr:
        return records
    me = roles.employee
    if me is None:
        return records.none()
    visible = own(me)
    if roles.is_manager:
        visible |= line(me)
    return records.filter(visible)


def conversations_visible(user: User) -> QuerySet:
    """The conversations a user may read."""
    from conversations.models import Conversation

    return _own_or_line(
        user,
        Conversation.objects.all(),
        own=lambda me: Q(employee=me) | Q(host=me),
        line=lambda me: in_line_of(me, through="employee__") & ~Q(kind=Conversation.Kind.CAREER),
    )


def get_conversation_for_user(request: HttpRequest, pk: int):
    """Conversation `pk` if the signed-in user may read it (logging the read), else 404."""
    conversation = (
        conversations_visible(request.user)
        .select_related("employee__user", "employee__department", "host__user", "host__department")
        .filter(pk=pk)
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation.")
    log_read(request, conversation, subject=conversation.employee)
    return conversation


def is_host(user: User, conversation) -> bool:
    return conversation.host.user_id == user.pk


def is_subject(user: User, conversation) -> bool:
    return conversation.employee.user_id == user.pk


def takes_part(user: User, conversation) -> bool:
    """The host or the employee: the two people who act on a conversation."""
    return is_host(user, conversation) or is_subject(user, conversation)


def may_read_preparation(user: User, conversation) -> bool:
    """The employee always; the host once the employee has shared it; nobody else."""
    if is_subject(user, conversation):
        return True
    preparation = getattr(conversation, "preparation", None)
    return is_host(user, conversation) and preparation is not None and preparation.shared_at is not None


def may_start_conversation_with(user: User, employee: Employee) -> bool:
    """Managers start talent conversations with anyone in their line."""
    roles = roles_for(user)
    return roles.is_manager and is_in_line(roles.employee, employee)


# Talent grid -----------------------------------------------------------------------
#
# HR sees the whole organisation's grid and calibrates it, and keeps the succession plans.
# A manager sees and places only the people in their line (reports of reports too): the
# line is part of every grid query, so a filter or an id outside it finds nobody. The
# employee reads their own current placement when HR shows placements to staff. Career
# supporters see nothing of the grid as supporters. Reads of a placement by anyone but
# its subject are logged.


def may_see_talent_grid(user: User) -> bool:
    """The dashboard, drill-downs, exports, movement and succession: HR, and managers for their line."""
    roles = roles_for(user)
    return roles.is_hr or roles.is_manager


def talent_grid_scope(user: User, *, through: str = ""):
    """Who `user` may see on the talent grid, as a Q on Employee; `through` is the path from
    another model (e.g. "employee__"). Everyone for HR, the line for a manager, else nobody."""
    roles = roles_for(user)
    if roles.is_hr:
        return Q()
    if roles.is_manager:
        return in_line_of(roles.employee, through=through)
    return Q(**{f"{through}pk__in": []})


def talent_grid_people(user: User) -> QuerySet[Employee]:
    return visible_employees(user)


def may_read_placements_of(user: User, employee: Employee) -> bool:
    """A person's placements and their history: HR, and managers up the person's line."""
    roles = roles_for(user)
    if roles.is_hr:
        return True
    return roles.is_manager and is_in_line(roles.employee, employee)


def may_place(user: User, employee: Employee) -> bool:
    """Managers place the people in their line; HR moves people only through calibration."""
    roles = roles_for(user)
    return roles.is_manager and is_in_line(roles.employee, employee)


def may_calibrate(user: User) -> bool:
    return roles_for(user).is_hr


def may_manage_succession(user: User) -> bool:
    """Marking critical roles and naming successors is HR's."""
    return roles_for(user).is_hr


def critical_roles_visible(user: User) -> QuerySet:
    """Critical roles: all for HR; for a manager, those held by someone in their line."""
    from grid.models import CriticalRole

    roles = roles_for(user)
    if roles.is_hr:
        return CriticalRole.objects.all()
    if roles.is_manager:
        return CriticalRole.objects.filter(talent_grid_scope(user, through="incumbent__"))
    return CriticalRole.objects.none()


def may_read_own_placement(user: User, *, shown_to_staff: bool) -> bool:
    """The employee reads their own current placement only when HR shows placements to staff."""
    return roles_for(user).employee is not None and shown_to_staff


def get_grid_subject_for_user(request: HttpRequest, pk: int) -> Employee:
    """Staff record `pk` if the signed-in user may read that person's placements, else 404."""
    employee = Employee.objects.select_related("user", "department", "line_manager__user").filter(pk=pk).first()
    if employee is None or not may_read_placements_of(request.user, employee):
        raise Http404("No such person.")
    return employee


def log_placement_reads(request: HttpRequest, reads) -> None:
    """Record that the signed-in user read placements, given as (placement id, subject's employee id)
    pairs: one insert, whatever the number. Reads of one's own placement are not logged."""
    me = roles_for(request.user).employee
    path = request.get_full_path()[:300]
    AccessLog.objects.bulk_create(
        AccessLog(
            user=request.user,
            subject_id=employee_id,
            record_type="grid.placement",
            record_id=placement_id,
            path=path,
        )
        for placement_id, employee_id in reads
        if me is None or employee_id != me.pk
    )


# Development plans -------------------------------------------------------------------
#
# The employee reads their own plans, comments on them, records progress on their actions
# and signs off. Managers up the employee's line read and write them: start a plan, edit its
# way forward, objectives and actions, and sign off for the line. HR reads all plans and
# exports a department's as PDFs, but changes none. Career supporters see none as
# supporters. Reads by anyone but the employee are logged.


def plans_visible(user: User) -> QuerySet:
    """The development plans a user may read: their own, their line's for a manager, all for HR."""
    from pdp.models import Plan

    return _own_or_line(
        user,
        Plan.objects.all(),
        own=lambda me: Q(employee=me),
        line=lambda me: in_line_of(me, through="employee__"),
    )


def get_plan_for_user(request: HttpRequest, pk: int):
    """Plan `pk` if the signed-in user may read it (logging the read), else 404."""
    plan = (
        plans_visible(request.user)
        .select_related(
            "employee__user",
            "employee__department",
            "employee__line_manager__user",
            "manager__user",
            "source_conversation",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such plan.")
    log_read(request, plan, subject=plan.employee)
    return plan


def may_read_plans_of(user: User, employee: Employee) -> bool:
    return may_view_employee(user, employee)


def may_write_plan_for(user: User, employee: Employee) -> bool:
    """Managers up the person's line start and change their plans; nobody else does."""
    roles = roles_for(user)
    return roles.is_manager and is_in_line(roles.employee, employee)


def may_export_plans(user: User) -> bool:
    return roles_for(user).is_hr
