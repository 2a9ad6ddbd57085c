"""Reads of development plans for the pages, through the access rules."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from people import access
from people.models import Employee
from people.selectors import staff_search

from .models import Action, Objective, Plan

# What a plan's page, PDF and export show of it besides its objectives and actions.
PLAN_RELATED = (
    "employee__user",
    "employee__department",
    "employee__line_manager__user",
    "manager__user",
    "source_conversation",
)


def current_plan_of(employee: Employee) -> Plan | None:
    return Plan.objects.filter(employee=employee, is_current=True).select_related(*PLAN_RELATED).first()


@dataclass
class Group:
    objective: Objective | None
    actions: list[Action]


def action_groups(plan: Plan) -> tuple[list[Objective], list[Group], int]:
    """The plan's objectives, its actions grouped under them (then those under none), and how many."""
    objectives = list(plan.objectives.all())
    actions = list(plan.actions.all())
    for action in actions:
        action.owner_shown = action.owner_display(plan)
    groups = [Group(objective, [a for a in actions if a.objective_id == objective.pk]) for objective in objectives]
    loose = [action for action in actions if action.objective_id is None]
    if loose or not groups:
        groups.append(Group(None, loose))
    return objectives, groups, len(actions)


def plan_people(user, *, query: str = "", status: str = "") -> QuerySet[Employee]:
    """The people whose plans `user` may read in a list: their line for a manager, everyone for HR."""
    people = access.visible_employees(user).select_related("user", "department")
    if query:
        people = people.filter(staff_search(query))
    current = Plan.objects.filter(employee=OuterRef("pk"), is_current=True)
    if status == "none":
        people = people.filter(~Exists(current))
    elif status:
        people = people.filter(Exists(current.filter(status=status)))
    return people.order_by("user__last_name", "user__first_name", "pk")


def current_plans_for(people: list[Employee]) -> dict[int, Plan]:
    """The current plans of `people`, with their action counts, by employee id: one query."""
    plans = Plan.objects.filter(employee__in=[person.pk for person in people], is_current=True).annotate(
        action_count=Count("actions"),
        done_count=Count("actions", filter=Q(actions__status=Action.Status.DONE)),
    )
    return {plan.employee_id: plan for plan in plans}
