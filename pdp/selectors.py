"""Reads of development plans for the pages, through the access rules."""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from conversations.selectors import ACTION, NEEDS_YOU_SHOWN, NeedsYou, needs_you_of
from people.access import Roles, in_line_of, visible_employees
from people.models import Employee
from people.selectors import staff_search

from .models import WAITING_FOR_MANAGER, Action, Objective, Plan

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
    actions = list(plan.actions.select_related("opportunity"))
    for action in actions:
        action.owner_shown = action.owner_display(plan)
    groups = [Group(objective, [a for a in actions if a.objective_id == objective.pk]) for objective in objectives]
    loose = [action for action in actions if action.objective_id is None]
    if loose or not groups:
        groups.append(Group(None, loose))
    return objectives, groups, len(actions)


def plan_people(user, *, query: str = "", status: str = "") -> QuerySet[Employee]:
    """The people whose plans `user` may read in a list: their line for a manager, everyone for HR."""
    people = visible_employees(user).select_related("user", "department")
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


HOME_CARD_FIELDS = [
    "pk",
    "status",
    "first_agreed_at",
    "employee_signed_off_at",
    "review_6_month_on",
    "review_12_month_on",
]


def _count(rows: QuerySet) -> Coalesce:
    return Coalesce(Subquery(rows.annotate(count=Count("pk")).values("count")), 0)


def plan_home_card(roles: Roles) -> dict:
    """For the home page: your current plan, and for a manager the line's plans waiting for
    them. One query, whatever the size of the line."""
    me = roles.employee
    if me is None:
        return {"me": None}
    mine = Q(employee=me)
    # Your own plan, and the line's plans waiting for a manager's sign-off (an index of their own),
    # one IN over their UNION: the aggregate then reads those, not every plan of a director's
    # 20,000 (at 100,000 staff: 109 -> 20 ms). The aggregates are named apart from the fields they read: Django
    # refuses a clash. Only your own plan's actions are counted.
    rows = [Plan.objects.filter(mine, is_current=True)]
    if roles.is_manager:
        rows.append(Plan.objects.filter(WAITING_FOR_MANAGER, in_line_of(me, through="employee__")))
    ids = [part.order_by().values("pk") for part in rows]
    actions = Action.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    found = Plan.objects.filter(pk__in=ids[0].union(*ids[1:], all=True)).aggregate(
        **{f"my_{name}": Max(name, filter=mine) for name in HOME_CARD_FIELDS},
        my_action_count=Coalesce(Max(_count(actions), filter=mine), 0),
        my_done_count=Coalesce(Max(_count(actions.filter(status=Action.Status.DONE)), filter=mine), 0),
        waiting_count=Count("pk", filter=~mine),
    )
    plan = None
    if found["my_pk"] is not None:
        plan = SimpleNamespace(**{name[3:]: value for name, value in found.items() if name.startswith("my_")})
        plan.get_status_display = Plan.Status(plan.status).label
        today = timezone.localdate()
        upcoming = [day for day in (plan.review_6_month_on, plan.review_12_month_on) if day and day >= today]
        plan.next_review = upcoming[0] if upcoming else None
    return {"me": me, "plan": plan, "is_manager": roles.is_manager, "waiting": found["waiting_count"]}


def plan_actions_due(employee: Employee, *, shown: int = NEEDS_YOU_SHOWN) -> NeedsYou:
    """For the home page's "Needs you now": the actions of `employee`'s own current plan, not done
    or dropped, that are overdue or due within the week, soonest first, whoever owns them (the
    person keeps their plan's progress). A manager's reports' actions are theirs, not the
    manager's. Two queries."""
    week_end = timezone.localdate() + timedelta(days=6)
    actions = (
        Action.objects.filter(plan__employee=employee, plan__is_current=True, due_on__lte=week_end)
        .exclude(status__in=[Action.Status.DONE, Action.Status.DROPPED])
        .select_related("plan__employee__user", "plan__manager__user")
        .order_by("due_on", "position", "pk")
    )
    return needs_you_of(actions, kind=ACTION, due="due_on", step=lambda action: action.description, shown=shown)
