"""A person's placement: the employee's own view (with their comment), the manager's and HR's
view with its history, and the manager's placement form."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from conversations.access import conversations_visible
from core.ids import id_from_query
from core.refusal import Refused
from people.access import roles_for

from .. import access
from ..forms import CommentForm, PlacementForm
from ..models import Placement, suggested_potential
from ..selectors import grid_in_use
from ..services import placement_comment_set, placement_create

HISTORY_SHOWN = 50


def _current(employee) -> Placement | None:
    return (
        Placement.objects.filter(employee=employee, is_current=True)
        .select_related("placed_by", "calibration_session", "conversation")
        .first()
    )


PLACEABLE_KINDS = ["talent", "six_month", "twelve_month"]  # a career conversation is not the manager's
HELD = ["held", "signed_off"]


def _conversations(request, employee):
    """The person's held talent conversations and reviews that the manager may read, newest first."""
    return (
        conversations_visible(request.user)
        .filter(employee=employee, kind__in=PLACEABLE_KINDS, status__in=HELD)
        .order_by("-starts_at", "-pk")
    )


def _conversation_chosen(request, conversations):
    """The conversation named in the address (?conversation=<id>, from its page), else the latest."""
    wanted = id_from_query(request.GET.get("conversation"))
    if wanted is not None:
        chosen = conversations.filter(pk=wanted).first()
        if chosen is not None:
            return chosen.pk
    latest = conversations.first()
    return latest.pk if latest else None


@require_http_methods(["GET", "POST"])
def mine(request):
    """The signed-in employee's current placement in plain words, when HR shows placements to staff."""
    roles = roles_for(request.user)
    grid = grid_in_use()
    shown = access.may_read_own_placement(request.user, shown_to_staff=grid.settings.employees_see_placement)
    placement = _current(roles.employee) if shown else None
    may_comment = placement is not None and grid.settings.employees_may_comment
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        initial={"comment": placement.employee_comment if placement else ""},
    )
    if request.method == "POST":
        if not may_comment:
            raise Http404("Comments are not open.")
        if form.is_valid():
            placement_comment_set(placement=placement, comment=form.cleaned_data["comment"])
            messages.success(
                request,
                "Your comment is saved." if form.cleaned_data["comment"].strip() else "Your comment is removed.",
            )
            return redirect("grid:mine")
    return render(
        request,
        "grid/mine.html",
        {
            "grid": grid,
            "definition": grid.definition,
            "shown": shown,
            "placement": placement,
            "grid_box": grid.box(placement.performance, placement.potential) if placement else None,
            "suggested_box": grid.box(placement.performance, placement.potential_suggested) if placement else None,
            "form": form,
            "may_comment": may_comment,
        },
    )


@require_GET
def person(request, pk: int):
    """A person's current placement and its history, for HR and the managers up their line."""
    roles = roles_for(request.user)
    if roles.employee is not None and roles.employee.pk == pk and not roles.is_hr:
        return redirect("grid:mine")
    employee = access.get_grid_subject_for_user(request, pk)
    grid = grid_in_use()
    history = list(
        Placement.objects.filter(employee=employee)
        .select_related("placed_by", "calibration_session", "conversation")
        .order_by("-placed_at", "-pk")[:HISTORY_SHOWN]
    )
    access.log_placement_reads(request, ((placement.pk, employee.pk) for placement in history))
    current = next((placement for placement in history if placement.is_current), None)
    for placement in history:
        placement.grid_box = grid.box(placement.performance, placement.potential)
    return render(
        request,
        "grid/person.html",
        {
            "grid": grid,
            "definition": grid.definition,
            "person": employee,
            "placement": current,
            "grid_box": grid.box(current.performance, current.potential) if current else None,
            "history": history,
            "may_place": access.may_place(request.user, employee),
        },
    )


@require_http_methods(["GET", "POST"])
def place(request, pk: int):
    """The line manager places someone in their line on the grid."""
    employee = access.get_grid_subject_for_user(request, pk)
    if not access.may_place(request.user, employee):
        raise Http404("No such person.")
    grid = grid_in_use()
    current = _current(employee)
    if current is not None:  # the form shows it
        access.log_placement_reads(request, [(current.pk, employee.pk)])
    conversations = _conversations(request, employee)
    initial = {"conversation": _conversation_chosen(request, conversations)}
    if current is not None:  # start from the current placement: often only part of it changes
        initial |= {
            "performance": current.performance,
            "aspiration": current.aspiration,
            "engagement": current.engagement,
            "ability": current.ability,
            "leadership_values": current.leadership_values,
            "potential": "" if not current.is_override else current.potential,
            "override_reason": current.override_reason,
            "growth_direction": current.growth_direction,
            "specialist_track": current.specialist_track,
        }
    form = PlacementForm(
        request.POST if request.method == "POST" else None, initial=initial, conversations=conversations
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement_create(
                employee=employee,
                placed_by=request.user,
                performance=data["performance"],
                potential=data["potential"],
                aspiration=data["aspiration"],
                engagement=data["engagement"],
                ability=data["ability"],
                leadership_values=data["leadership_values"],
                evidence=data["evidence"],
                override_reason=data["override_reason"],
                growth_direction=data["growth_direction"],
                specialist_track=data["specialist_track"],
                conversation=data.get("conversation"),
            )
        except Refused as error:
            form.add_error(None, error.message)
        else:
            grid_box = grid.box(data["performance"], data["potential"])
            messages.success(request, f"{employee.full_name} is placed in box {grid_box.number}, {grid_box.label}.")
            return redirect("grid:person", pk=employee.pk)
    return render(
        request,
        "grid/place.html",
        {
            "grid": grid,
            "definition": grid.definition,
            "person": employee,
            "current": current,
            "current_box": grid.box(current.performance, current.potential) if current else None,
            "form": form,
            "boxes": grid.boxes_by_number,
            "suggested_box": _suggested_box(form, grid),
        },
    )


def _suggested_box(form: PlacementForm, grid):
    """The box the ratings on the form point to (the chosen row, else the one the criteria
    suggest), worked out by the server for the page as sent; static/js/placement.js follows
    the ratings as they change."""
    values = form.data if form.is_bound else form.initial

    def rating(name: str) -> int | None:
        try:
            value = int(values.get(name) or 0)
        except (TypeError, ValueError):
            return None
        return value if 1 <= value <= 3 else None

    criteria = [rating(name) for name in ("aspiration", "engagement", "ability", "leadership_values")]
    performance = rating("performance")
    potential = rating("potential")
    if potential is None and None not in criteria:
        potential = suggested_potential(
            aspiration=criteria[0], engagement=criteria[1], ability=criteria[2], leadership_values=criteria[3]
        )
    if performance is None or potential is None:
        return None
    return grid.box(performance, potential)
