"""Who may see and change development plans, on the shared core in people.access.

The employee reads their own plans, comments on them, records progress on their actions
and signs off. Managers up the employee's line read and write them: start a plan, edit its
way forward, objectives and actions, and sign off for the line. HR reads all plans and
exports a department's as PDFs, but changes none. Career supporters see none as
supporters. Reads by anyone but the employee are logged.
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from people.access import User, get_or_404, in_line_of, manages, own_or_line, roles_for
from people.models import Employee

from .models import Plan


def plans_visible(user: User) -> QuerySet[Plan]:
    """The development plans a user may read: their own, their line's for a manager, all for HR."""
    return own_or_line(
        user,
        Plan.objects.all(),
        own=lambda me: Q(employee=me),
        line=lambda me: in_line_of(me, through="employee__"),
    )


def get_plan_for_user(request: HttpRequest, pk: int) -> Plan:
    """Plan `pk` if the signed-in user may read it (logging the read), else 404."""
    return get_or_404(
        request,
        plans_visible(request.user).select_related(
            "employee__user",
            "employee__department",
            "employee__line_manager__user",
            "manager__user",
            "source_conversation",
        ),
        pk,
        subject=lambda plan: plan.employee,
        not_found="No such plan.",
    )


def may_write_plan_for(user: User, employee: Employee) -> bool:
    """Managers up the person's line start and change their plans; nobody else does."""
    return manages(user, employee)


def may_export_plans(user: User) -> bool:
    return roles_for(user).is_hr
