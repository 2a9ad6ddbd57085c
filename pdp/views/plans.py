"""Reading plans: your own, one plan, a person's plans, the plans of a manager's line (or of
everyone, for HR), a plan's history and its PDF."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from people.access import get_employee_for_user, roles_for

from .. import access, services
from ..forms import PlanFilterForm
from ..models import Plan
from ..pdf import plan_pdf, plan_pdf_filename
from ..selectors import action_groups, current_plan_of, current_plans_for, plan_people

PER_PAGE = 50
HISTORY_PER_PAGE = 50


def plan_page_context(request, plan: Plan) -> dict:
    me = roles_for(request.user).employee
    role = services.role_in(plan, me)
    objectives, groups, action_count = action_groups(plan)
    signed = plan.employee_signed_off_at if role == "employee" else plan.manager_signed_off_at
    return {
        "plan": plan,
        "today": timezone.localdate(),
        "person": plan.employee,
        "role": role,
        "is_employee": role == "employee",
        "can_edit": services.may_edit(plan, role),
        "can_sign": plan.is_open and role in ("employee", "manager") and not signed and action_count > 0,
        "signed_by_me": bool(signed),
        "objectives": objectives,
        "groups": groups,
        "action_count": action_count,
        "recent_changes": list(plan.changes.select_related("by")[:5]),
        "past_count": Plan.objects.filter(employee=plan.employee, is_current=False).count(),
        "review_conversations": sorted(
            services.scheduled_reviews(plan.source_conversation).values() if plan.source_conversation_id else [],
            key=lambda review: review.due_on or plan.created_at.date(),
        ),
    }


@require_GET
def mine(request):
    """The signed-in employee's current plan, or what to do when there is none."""
    roles = roles_for(request.user)
    if roles.employee is None:
        raise Http404("No staff record.")
    plan = current_plan_of(roles.employee)
    if plan is None:
        past = Plan.objects.filter(employee=roles.employee).count()
        return render(request, "pdp/mine_empty.html", {"person": roles.employee, "past_count": past})
    return render(request, "pdp/plan.html", {**plan_page_context(request, plan), "is_mine_page": True})


@require_GET
def plan_detail(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    return render(request, "pdp/plan.html", plan_page_context(request, plan))


@require_GET
def plan_pdf_download(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    now = timezone.now()
    response = HttpResponse(plan_pdf(plan, generated_at=now), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{plan_pdf_filename(plan, on=now)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def person_plans(request, pk: int):
    """A person's current plan and past plans, with a way to start one for their managers."""
    person = get_employee_for_user(request, pk)
    plans = list(
        Plan.objects.filter(employee=person)
        .select_related("manager__user", "source_conversation")
        .order_by("-is_current", "-created_at")
    )
    current = next((plan for plan in plans if plan.is_current), None)
    return render(
        request,
        "pdp/person.html",
        {
            "person": person,
            "current": current,
            "past": [plan for plan in plans if not plan.is_current],
            "may_start": access.may_write_plan_for(request.user, person),
            "is_me": person.user_id == request.user.pk,
        },
    )


@require_GET
def plan_list(request):
    """The plans of a manager's whole line, or of everyone for HR: who has one, and how far it is."""
    roles = roles_for(request.user)
    if not (roles.is_hr or roles.is_manager):
        raise Http404("No such page.")
    form = PlanFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = plan_people(request.user, query=filters.get("q", ""), status=filters.get("status", ""))
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    plans = current_plans_for(list(page.object_list))
    rows = [(person, plans.get(person.pk)) for person in page.object_list]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "pdp/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "querystring": querystring.urlencode(),
            "filtered": bool(filters.get("q") or filters.get("status")),
            "is_hr": roles.is_hr,
            "today": timezone.localdate(),
        },
    )


@require_GET
def plan_history(request, pk: int):
    plan = access.get_plan_for_user(request, pk)
    changes = plan.changes.select_related("by")
    page = Paginator(changes, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "pdp/history.html", {"plan": plan, "page": page, "querystring": ""})
