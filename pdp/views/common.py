"""What the plan pages share: the plan for someone with a part in it, and the way back to it."""

from django.http import Http404
from django.shortcuts import redirect

from people.access import roles_for

from .. import access, services
from ..models import Plan


def plan_for(request, pk: int, *roles: str) -> tuple[Plan, object]:
    """The plan and the signed-in employee, if they may read the plan and have one of `roles`
    in it (pdp.services.role_in); else 404."""
    plan = access.get_plan_for_user(request, pk)
    me = roles_for(request.user).employee
    if services.role_in(plan, me) not in roles:
        raise Http404("No such page.")
    return plan, me


def back_to_plan(plan: Plan, anchor: str = ""):
    """A redirect to the plan's page, at `anchor` if given."""
    response = redirect("pdp:detail", pk=plan.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
