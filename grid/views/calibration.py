"""Calibration: HR opens a session for a scope, moves people between boxes with reasons
(drag and drop, or the plain form), and closes the session, which locks it."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.confirm import Question, confirm_page
from core.refusal import Refused
from people.access import log_reads
from people.models import Employee

from .. import access
from ..forms import CalibrationMoveForm, CalibrationOpenForm
from ..inclusion import PROTECTED, inclusion_figures
from ..models import CalibrationMove, CalibrationSession, Placement
from ..scope import Scope
from ..selectors import LEVELS_LEFT_RIGHT, LEVELS_TOP_DOWN, current_placements, grid_in_use
from ..services import calibration_move, calibration_session_close, calibration_session_open

BOARD_LIMIT = 300  # larger scopes are moved by staff number rather than shown as cards


def _calibration_or_404(request) -> None:
    if not access.may_calibrate(request.user):
        raise Http404("No such page.")


def _session_or_404(pk: int) -> CalibrationSession:
    session = (
        CalibrationSession.objects.select_related("department", "line_manager__user", "opened_by", "closed_by")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404("No such calibration session.")
    return session


@require_http_methods(["GET", "POST"])
def sessions(request):
    _calibration_or_404(request)
    form = CalibrationOpenForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = calibration_session_open(opened_by=request.user, name=form.cleaned_data["name"], scope=form.scope())
        messages.success(request, f"Session opened for {form.scope().describe()}. Move people to record a change.")
        return redirect("grid:calibration_session", pk=session.pk)
    all_sessions = CalibrationSession.objects.select_related("department", "line_manager__user", "opened_by").annotate(
        move_count=Count("moves")
    )
    for session in all_sessions:
        session.scope_text = Scope.of_session(session).describe()
    return render(request, "grid/calibration_list.html", {"form": form, "sessions": all_sessions})


@require_http_methods(["GET", "POST"])
def session_detail(request, pk: int):
    _calibration_or_404(request)
    session = _session_or_404(pk)
    grid = grid_in_use()
    scope = Scope.of_session(session)
    board = None
    if session.is_open:
        placements = list(
            current_placements(user=request.user, scope=scope)
            .select_related("employee__user")
            .order_by("employee__user__last_name", "employee__user__first_name", "pk")[: BOARD_LIMIT + 1]
        )
        board = placements if len(placements) <= BOARD_LIMIT else None
    on_the_grid = Employee.objects.filter(
        pk__in=current_placements(user=request.user, scope=scope).values("employee_id")
    )
    form = CalibrationMoveForm(
        request.POST if request.method == "POST" else None,
        placements=board,
        boxes=grid.boxes_by_number,
        people=on_the_grid,
    )
    if request.method == "POST":
        if not session.is_open:
            messages.error(request, "This session is closed: its placements can no longer change.")
            return redirect("grid:calibration_session", pk=session.pk)
        if form.is_valid():
            employee = _person(form, board)
            if employee is None:
                form.add_error("person", "That person is not on the grid in this session's scope.")
            else:
                performance, potential = form.cleaned_data["box"]
                try:
                    calibration_move(
                        session=session,
                        employee=employee,
                        performance=performance,
                        potential=potential,
                        reason=form.cleaned_data["reason"],
                        moved_by=request.user,
                    )
                except Refused as error:
                    form.add_error(None, error.message)
                else:
                    target = grid.box(performance, potential)
                    messages.success(request, f"{employee.full_name} moved to box {target.number}, {target.label}.")
                    return redirect("grid:calibration_session", pk=session.pk)
    cells = {}
    for placement in board or []:
        cells.setdefault((placement.performance, placement.potential), []).append(placement)
    rows = [
        (
            grid.definition.y_level(potential),
            [
                (grid.box(performance, potential), cells.get((performance, potential), []))
                for performance in LEVELS_LEFT_RIGHT
            ],
        )
        for potential in LEVELS_TOP_DOWN
    ]
    moves = list(
        CalibrationMove.objects.filter(session=session)
        .select_related("employee__user", "moved_by")
        .order_by("-moved_at", "-pk")
    )
    access.log_placement_reads(request, ((placement.pk, placement.employee_id) for placement in board or []))
    log_reads(request, (("grid.calibrationmove", move.pk, move.employee_id) for move in moves))
    for move in moves:
        move.from_box = grid.box(move.from_performance, move.from_potential)
        move.to_box = grid.box(move.to_performance, move.to_potential)
    checks = None
    if session.is_open:  # the checks are there while the placements can still be changed
        today = timezone.localdate()
        people = Employee.objects.filter(access.talent_grid_scope(request.user), scope.employee_q())
        checks = inclusion_figures(people, start=today, end=today, dimensions=PROTECTED)
    return render(
        request,
        "grid/calibration_session.html",
        {
            "checks": checks,
            "session": session,
            "scope": scope,
            "grid": grid,
            "definition": grid.definition,
            "form": form,
            "board": board,
            "board_limit": BOARD_LIMIT,
            "rows": rows,
            "moves": moves,
        },
    )


def _person(form: CalibrationMoveForm, board: list[Placement] | None) -> Employee | None:
    value = form.cleaned_data["person"]
    if board is not None:
        placement = form.placements.get(value)
        return placement.employee if placement else None
    return value  # chosen by name or staff number among the people on the grid in scope


@require_http_methods(["GET", "POST"])
def session_close(request, pk: int):
    """GET asks once, saying what closing does; POST closes."""
    _calibration_or_404(request)
    session = _session_or_404(pk)
    if request.method == "GET":
        if not session.is_open:
            messages.info(request, "This session was already closed.")
            return redirect("grid:calibration_session", pk=session.pk)
        return confirm_page(
            request,
            Question(
                title=f"Close {session.name}?",
                what_happens=[
                    "The moves made in it stand, with their reasons.",
                    "Once it is closed, no more moves can be made in this session, and it cannot be opened again.",
                    "To move people later, open a new session.",
                ],
                told=["Nobody is emailed: the session shows as closed, with its moves, to HR."],
                button="Yes, close and lock the session",
                action=reverse("grid:calibration_close", args=[session.pk]),
                back=reverse("grid:calibration_session", args=[session.pk]),
                back_label="No, back to the session",
                breadcrumb=[(reverse("grid:dashboard"), "Talent grid"), (reverse("grid:calibration"), "Calibration")],
            ),
        )
    try:
        calibration_session_close(session=session, closed_by=request.user)
    except Refused:
        messages.info(request, "This session was already closed.")
    else:
        messages.success(request, "Session closed. Its moves stand and it can no longer change.")
    return redirect("grid:calibration_session", pk=session.pk)
