from django import template
from django.db.models import Count, Q

from people import access

from ..models import Action, Plan

register = template.Library()


@register.inclusion_tag("pdp/_home_card.html", takes_context=True)
def pdp_home_card(context):
    """The home page's card: your current plan, and for a manager the line's plans waiting for them."""
    roles = context["roles"]
    me = roles.employee
    if me is None:
        return {"me": None}
    plan = (
        Plan.objects.filter(employee=me, is_current=True)
        .annotate(
            action_count=Count("actions"), done_count=Count("actions", filter=Q(actions__status=Action.Status.DONE))
        )
        .first()
    )
    waiting = 0
    if roles.is_manager:
        waiting = Plan.objects.filter(
            employee__in=access.line_of(me).values("pk"),
            is_current=True,
            status=Plan.Status.DRAFT,
            employee_signed_off_at__isnull=False,
            manager_signed_off_at__isnull=True,
        ).count()
    return {"me": me, "plan": plan, "is_manager": roles.is_manager, "waiting": waiting}
