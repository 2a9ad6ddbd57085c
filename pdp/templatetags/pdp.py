from types import SimpleNamespace

from django import template
from django.db.models import Count, Max, Q
from django.utils import timezone

from people import access

from ..models import Action, Plan

register = template.Library()

CARD_FIELDS = ["pk", "status", "first_agreed_at", "employee_signed_off_at", "review_6_month_on", "review_12_month_on"]


@register.inclusion_tag("pdp/_home_card.html", takes_context=True)
def pdp_home_card(context):
    """The home page's card: your current plan, and for a manager the line's plans waiting for
    them. One query, whatever the size of the line."""
    roles = context["roles"]
    me = roles.employee
    if me is None:
        return {"me": None}
    mine = Q(employee=me)
    scope = mine
    if roles.is_manager:
        scope |= Q(employee__in=access.line_of(me).values("pk"))
    waiting = (
        Q(status=Plan.Status.DRAFT, employee_signed_off_at__isnull=False, manager_signed_off_at__isnull=True) & ~mine
    )
    # The aggregates are named apart from the fields they read: Django refuses a clash.
    found = Plan.objects.filter(scope, is_current=True).aggregate(
        **{f"my_{name}": Max(name, filter=mine) for name in CARD_FIELDS},
        my_action_count=Count("actions", filter=mine),
        my_done_count=Count("actions", filter=mine & Q(actions__status=Action.Status.DONE)),
        waiting_count=Count("pk", filter=waiting, distinct=True),
    )
    plan = None
    if found["my_pk"] is not None:
        plan = SimpleNamespace(**{name[3:]: value for name, value in found.items() if name.startswith("my_")})
        plan.get_status_display = Plan.Status(plan.status).label
        today = timezone.localdate()
        upcoming = [day for day in (plan.review_6_month_on, plan.review_12_month_on) if day and day >= today]
        plan.next_review = upcoming[0] if upcoming else None
    return {"me": me, "plan": plan, "is_manager": roles.is_manager, "waiting": found["waiting_count"]}
