"""The opportunity pages: the list for every member of staff, one opportunity (with its interest
for those who manage it), registering interest, publishing and changing offers, the offers a
person is the contact for, HR's uptake table and places taken, and making a plan action from an
opportunity. Anything the user may not see answers 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.refusal import Refused
from core.versions import StaleVersion
from pdp import access as plan_access
from pdp import services as plan_services
from pdp.forms import ActionForm
from pdp.models import Action
from pdp.selectors import current_plan_of
from people.access import get_employee_for_user, roles_for

from . import access, selectors, services
from .forms import InterestForm, OpportunityFilterForm, OpportunityForm
from .models import Interest

PER_PAGE = 25


def _staff_only(request):
    if not access.is_staff_member(request.user):
        raise Http404("No staff record.")


@require_GET
def opportunity_list(request):
    _staff_only(request)
    form = OpportunityFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.opportunity_list(request.user, **filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opportunities/list.html",
        {
            "form": form,
            "page": page,
            "opportunities": page.object_list,
            "querystring": query.urlencode(),
            "open_to_me": filters["open_to_me"],
            "may_publish": access.may_publish(request.user),
            "has_employee": roles_for(request.user).employee is not None,
        },
    )


@require_GET
def opportunity_detail(request, pk: int):
    opportunity = access.get_opportunity_for_user(request, pk)
    me = roles_for(request.user).employee
    interest = Interest.objects.filter(opportunity=opportunity, employee=me).first() if me else None
    manages = access.may_manage(request.user, opportunity)
    interests = (
        list(opportunity.interests.select_related("employee__user", "employee__department").order_by("created_at"))
        if manages
        else []
    )
    access.log_interests(request, interests)
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "bands": [band.get_band_display() for band in opportunity.bands.order_by("pk")],
            "departments": list(opportunity.departments.all()),
            "interest": interest,
            "interest_form": InterestForm(),
            "is_current": opportunity.is_current(),
            "manages": manages,
            "may_edit": access.may_edit(request.user, opportunity),
            "may_mark_places": access.may_mark_places(request.user),
            "interests": interests,
            "taken": sum(1 for item in interests if item.took_place_at),
        },
    )


@require_POST
def interest(request, pk: int):
    """Register interest (with an optional note) or withdraw it."""
    opportunity = access.get_opportunity_for_user(request, pk)
    me = roles_for(request.user).employee
    if me is None:
        raise Http404("No staff record.")
    try:
        if request.POST.get("action") == "withdraw":
            services.interest_withdraw(opportunity=opportunity, by=me)
            messages.success(request, "Your interest is withdrawn.")
        else:
            form = InterestForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.interest_register(opportunity=opportunity, by=me, note=note)
            who = opportunity.contact.full_name if opportunity.contact else "The contact"
            messages.success(request, f"Interest registered. {who} can see it and will be in touch.")
    except Refused as error:
        messages.error(request, error.message)
    return redirect("opportunities:detail", pk=opportunity.pk)


def _opportunity_form_page(request, form, *, opportunity=None):
    if request.method == "POST" and form.is_valid():
        saved = services.opportunity_save(
            data=form.data_for_service(), by=roles_for(request.user).employee, opportunity=opportunity
        )
        messages.success(request, "Opportunity saved." if opportunity else "Opportunity published.")
        return redirect("opportunities:detail", pk=saved.pk)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": opportunity})


@require_http_methods(["GET", "POST"])
def opportunity_new(request):
    if not access.may_publish(request.user):
        raise Http404("No such page.")
    me = roles_for(request.user).employee
    initial = {"contact": me.staff_number, "provider": "organisation", "type": Action.Type.EXPOSURE}
    return _opportunity_form_page(request, OpportunityForm(request.POST or None, initial=initial))


@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk: int):
    opportunity = access.get_opportunity_for_user(request, pk)
    if not access.may_edit(request.user, opportunity):
        raise Http404("No such page.")
    form = OpportunityForm(request.POST or None, initial=OpportunityForm.initial_for(opportunity))
    return _opportunity_form_page(request, form, opportunity=opportunity)


@require_GET
def offers(request):
    """The offers the user published or is the contact for, with who is interested."""
    _staff_only(request)
    offers = selectors.offers_with_interest(request.user)
    access.log_interests(request, (interest for offer in offers for interest in offer.interests.all()))
    return render(request, "opportunities/offers.html", {"offers": offers})


@require_GET
def uptake(request):
    if not access.may_mark_places(request.user):
        raise Http404("No such page.")
    page = Paginator(selectors.uptake(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "opportunities/uptake.html", {"page": page, "opportunities": page.object_list})


@require_POST
def place_taken(request, interest_pk: int):
    """HR records that a person took a place on an opportunity, or did not after all."""
    if not access.may_mark_places(request.user):
        raise Http404("No such page.")
    interest = get_object_or_404(Interest.objects.select_related("opportunity", "employee__user"), pk=interest_pk)
    taken = request.POST.get("taken") == "yes"
    try:
        services.place_taken_mark(interest=interest, by=request.user, taken=taken)
    except Refused as error:
        messages.error(request, error.message)
    else:
        name = interest.employee.full_name
        messages.success(request, f"{name} took a place." if taken else f"{name} is no longer recorded with a place.")
    return redirect("opportunities:detail", pk=interest.opportunity_id)


@require_http_methods(["GET", "POST"])
def plan_action(request, pk: int, employee_pk: int):
    """A manager in the person's line adds an action to their current plan from an opportunity:
    its type, description and date filled in, and the action linked back to it."""
    opportunity = access.get_opportunity_for_user(request, pk)
    person = get_employee_for_user(request, employee_pk)
    if not plan_access.may_write_plan_for(request.user, person):
        raise Http404("No such page.")
    plan = current_plan_of(person)
    if plan is None or not plan.is_open:
        messages.error(request, f"{person.full_name} has no open development plan: start one, then add the action.")
        return redirect("pdp:person", pk=person.pk)
    me = roles_for(request.user).employee
    initial = {
        "version": plan.version,
        "description": opportunity.title + (f" ({opportunity.provider_name})" if opportunity.provider_name else ""),
        "type": opportunity.type,
        "due_on": opportunity.ends_on or opportunity.starts_on or opportunity.closes_on,
        "owner": Action.Owner.EMPLOYEE,
        "status": Action.Status.NOT_STARTED,
        "support_needed": f"Contact: {opportunity.contact.full_name}." if opportunity.contact else "",
    }
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.action_add(
                plan=plan,
                by=me,
                data=form.data_for_service(),
                version=form.cleaned_data["version"],
                opportunity=opportunity,
            )
        except (StaleVersion, Refused) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("pdp:detail", pk=plan.pk)
        messages.success(request, "Action added from the opportunity.")
        return redirect(reverse("pdp:detail", args=[plan.pk]) + "#actions")
    return render(request, "opportunities/plan_action.html", {"plan": plan, "opportunity": opportunity, "form": form})
