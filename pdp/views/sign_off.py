"""Signing off a plan: GET asks once (core.confirm: what will happen, who will be told), POST
signs. The plan's page links here with the version it showed, and the question carries it on,
so that what is signed is what was read: a plan changed meanwhile is refused, on GET as on
POST, with the reason (core.versions.StaleVersion). Anyone but the employee and the managers
in their line gets 404; a sign-off not open to them now (closed, no actions, signed already)
goes back to the plan with the reason."""

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.views.decorators.http import require_http_methods

from core.confirm import Question, confirm_page
from core.refusal import Refused
from core.versions import StaleVersion
from people.access import roles_for

from .. import services
from ..forms import SignOffForm
from ..models import Plan
from .common import back_to_plan, plan_for


def _day(day) -> str:
    return date_format(day, "j F Y")


def _other(plan: Plan, role: str) -> str:
    """Who signs besides the person signing, by name."""
    if role == "manager":
        return plan.employee.full_name
    return plan.manager.full_name if plan.manager else "your line manager"


def _contents(plan: Plan) -> str:
    actions, objectives = plan.actions.count(), plan.objectives.count()
    said = f"{actions} action{'s' if actions != 1 else ''}"
    return said + (f" under {objectives} objective{'s' if objectives != 1 else ''}" if objectives else "")


def _breadcrumb(request, plan: Plan) -> list[tuple[str, str]]:
    roles = roles_for(request.user)
    crumbs = [(reverse("home"), "Home")]
    if roles.is_hr or roles.is_manager:
        crumbs.append((reverse("pdp:list"), "Development plans"))
    crumbs.append((reverse("pdp:person", args=[plan.employee_id]), plan.employee.full_name))
    crumbs.append((reverse("pdp:detail", args=[plan.pk]), f"Plan of {date_format(plan.created_at, 'j M Y')}"))
    return crumbs


def _question(request, plan: Plan, role: str, version: int) -> Question:
    other = _other(plan, role)
    agrees = bool(plan.manager_signed_off_at if role == "employee" else plan.employee_signed_off_at)
    today = timezone.localdate()
    reviews = {"review_6_month_on": plan.review_6_month_on, "review_12_month_on": plan.review_12_month_on}
    if not any(reviews.values()):  # agreeing plans them, 6 and 12 months on
        reviews = services.plan_review_dates(today)
    if agrees:
        what_next = [
            f"{capfirst(other)} has signed already, so the plan becomes agreed today, {_day(today)}.",
            f"Its reviews are planned for {_day(reviews['review_6_month_on'])} (6 months) and "
            f"{_day(reviews['review_12_month_on'])} (12 months)."
            if all(reviews.values())
            else "",
            "Progress and comments can still be recorded on the agreed plan. Changing the way forward, an "
            "objective or an action re-opens sign-off, and both of you sign again.",
        ]
        told = [f"Nobody is emailed. {capfirst(other)} sees the plan as agreed, on the plan and on their home page."]
    else:
        what_next = [
            f"The plan is agreed once {other} signs too. If it changes before then, both of you sign again.",
        ]
        waits = "for them to read it and sign it off" if role == "manager" else "for their sign-off"
        told = [
            f"Nobody is emailed. {capfirst(other)} sees your signature on the plan, and on their home page that it "
            f"waits {waits}."
        ]
    mine = role == "employee"
    return Question(
        title="Agree and sign off your development plan?"
        if mine
        else f"Sign off {plan.employee.full_name}'s development plan for the line?",
        facts=[
            ("Way forward", Truncator(plan.way_forward).words(80) or "None written"),
            ("Objectives and actions", _contents(plan)),
        ],
        what_happens=[
            "You sign the plan as it is now, as you read it on its page.",
            *what_next,
            "Your signature and its time are kept in the plan's history.",
        ],
        told=told,
        button="Yes, agree and sign off" if mine else "Yes, sign off for the line",
        action=reverse("pdp:sign_off", args=[plan.pk]),
        back=reverse("pdp:detail", args=[plan.pk]) + "#sign-off",
        back_label="No, back to the plan",
        breadcrumb=_breadcrumb(request, plan),
        hidden={"version": version},
    )


def _signed(plan: Plan, role: str) -> str:
    other = _other(plan, role)
    if plan.status == Plan.Status.AGREED:
        reviews = [day for day in (plan.review_6_month_on, plan.review_12_month_on) if day]
        planned = f" Reviews are planned for {' and '.join(_day(day) for day in reviews)}." if reviews else ""
        return (
            f"Signed off. You have both signed: the plan is agreed.{planned} Nobody was emailed; {other} sees it "
            "agreed."
        )
    return (
        f"Signed off. It is agreed once {other} signs too. Nobody was emailed; {other} sees on their home page "
        "that it waits for them."
    )


@require_http_methods(["GET", "POST"])
def sign_off(request, pk: int):
    plan, me = plan_for(request, pk, "employee", "manager")
    if request.method == "POST":
        form = SignOffForm(request.POST)
    else:  # the version the plan's page showed; asked from elsewhere, the plan as it is now
        form = SignOffForm(request.GET if "version" in request.GET else {"version": plan.version})
    if not form.is_valid():
        messages.error(request, "Reload the plan and sign off again.")
        return back_to_plan(plan)
    version = form.cleaned_data["version"]
    try:
        role = services.plan_sign_off_check(plan=plan, by=me)
        if request.method == "GET":
            if version != plan.version:
                raise StaleVersion(services.SIGNED_STALE)
            return confirm_page(request, _question(request, plan, role, version))
        plan = services.plan_sign_off(plan=plan, by=me, version=version)
    except (Refused, StaleVersion) as error:
        messages.error(request, str(error))
        return back_to_plan(plan, "sign-off")
    messages.success(request, _signed(plan, role))
    return back_to_plan(plan, "sign-off")
