"""Inclusion and reach (grid.inclusion): the page with its charts and flags, its CSV and Excel
downloads, and for HR the people behind a flag.

HR sees any scope the dashboard offers; a manager only their own line (every figure is
computed on the people the access rules let them see, then suppressed); anyone else 404.
"""

import csv
import io

from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.ids import id_from_query
from people.access import LARGE_LINE, line_size, roles_for
from people.models import Department, Employee
from people.selectors import in_department_tree

from .. import access
from ..forms import InclusionScopeForm
from ..inclusion import (
    ALL,
    DIMENSIONS,
    HEADINGS,
    KEPT_FOR,
    MEASURES,
    NOT_RECORDED,
    PROTECTED,
    VALUES,
    Breakdown,
    Cell,
    group_label,
    inclusion_figures,
)
from ..models import Placement
from ..selectors import grid_in_use
from .common import (
    dates_from_request,
    page_of,
    querystring_without,
    querystring_without_page,
    safe_cell,
    talent_grid_or_404,
    workbook_response,
)

EXPORT_COLUMNS = ["measure", "dimension", "group", "population", "count", "share", "flag"]
CHART_MEASURES = ["conversation_reach", "plan_agreed"]
CHART_WIDTH = 320  # px of a bar at 100%
BAR_HEIGHT = 28


def _asked(request) -> dict:
    talent_grid_or_404(request)
    form = InclusionScopeForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    date_form, dates = dates_from_request(request)
    return {"form": form, "scope": form.scope(), "date_form": date_form, "dates": dates}


def people_in(request, scope) -> QuerySet[Employee]:
    return Employee.objects.filter(access.talent_grid_scope(request.user), scope.employee_q())


def figures_for(request, scope, *, start, end, recount: bool = False):
    """The figures for the people in `scope` the user may see. A manager's line under LARGE_LINE
    is counted person by person (grid.inclusion.people_counted) on every view; larger numbers
    (HR's organisation, a director's line: 100,000 people take about half a second) are counted
    once and kept for KEPT_FOR under who looks and what they chose, with when they were counted."""
    roles = roles_for(request.user)
    few = not roles.is_hr and line_size(roles.employee) < LARGE_LINE
    kept_as = None
    if not few:
        kept_as = (
            "hr" if roles.is_hr else roles.employee.pk,
            None if scope.department is None else scope.department.pk,
            None if scope.line_manager is None else scope.line_manager.pk,
            scope.site,
            scope.band,
        )
    return inclusion_figures(people_in(request, scope), start=start, end=end, few=few, kept_as=kept_as, recount=recount)


@require_GET
def inclusion(request):
    context = _asked(request)
    figures = None
    if context["dates"] is not None:
        start, end = context["dates"]
        recount = request.GET.get("recount") == "1"
        figures = figures_for(request, context["scope"], start=start, end=end, recount=recount)
        for breakdown in figures.breakdowns:
            breakdown.charts = _charts(breakdown)
    return render(
        request,
        "grid/inclusion.html",
        {
            **context,
            "figures": figures,
            "headings": HEADINGS,
            "legend": [(HEADINGS[name], label) for name, label in MEASURES.items()],
            "querystring": querystring_without(request, "page", "recount"),
            "kept_minutes": KEPT_FOR // 60,
            "is_hr": roles_for(request.user).is_hr,
        },
    )


def _charts(breakdown: Breakdown) -> list[dict]:
    """The bars to draw for the breakdown's chart measures (the table beside them has the same figures)."""
    if breakdown.dimension == ALL:
        return []
    charts = []
    for measure in CHART_MEASURES:
        bars = [
            {
                "label": cell.label,
                "percent": cell.percent,
                "width": 0 if cell.value is None else round(cell.value * CHART_WIDTH),
                "y": index * BAR_HEIGHT,
            }
            for index, cell in enumerate(breakdown.cells[measure])
        ]
        charts.append(
            {
                "id": f"chart-{breakdown.dimension}-{measure}",
                "title": f"{MEASURES[measure]}, by {breakdown.label.lower()}",
                "bars": bars,
                "height": len(bars) * BAR_HEIGHT + 4,
            }
        )
    return charts


# Downloads ----------------------------------------------------------------------------------


def _shown(cell: Cell) -> list:
    """A cell as a row of the download: suppressed figures are the word, never a number."""
    if cell.measure in VALUES:
        population = "suppressed" if cell.suppressed else ("" if cell.population is None else cell.population)
        share = "suppressed" if cell.suppressed else ("" if cell.value is None else cell.value)
        return [cell.measure, cell.dimension, cell.label, population, "", share, cell.flag]
    population = "suppressed" if cell.population is None else cell.population
    count = "suppressed" if cell.count is None else cell.count
    share = "suppressed" if cell.suppressed else ("" if cell.value is None else round(cell.value, 4))
    return [cell.measure, cell.dimension, cell.label, population, count, share, cell.flag]


def _download_rows(request) -> tuple[list[list], dict]:
    context = _asked(request)
    if context["dates"] is None:
        raise Http404("Choose valid dates.")
    start, end = context["dates"]
    figures = figures_for(request, context["scope"], start=start, end=end)
    return [_shown(cell) for cell in figures.cells()], context


def _filename(extension: str) -> str:
    return f"inclusion-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
def export_csv(request):
    rows, _ = _download_rows(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so that Excel reads UTF-8
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@require_GET
def export_xlsx(request):
    rows, context = _download_rows(request)
    start, end = context["dates"]
    about = [
        ["Scope", context["scope"].describe()],
        ["From", start.strftime("%d/%m/%Y")],
        ["To", end.strftime("%d/%m/%Y")],
        ["Suppressed", "Counts and populations under the threshold, and one more where one alone could be worked out"],
    ]
    return workbook_response({"Inclusion": [EXPORT_COLUMNS, *rows]}, _filename("xlsx"), about=about)


# The people behind a flag (HR) ---------------------------------------------------------------


def _group(dimension: str, group: str) -> tuple[Q, str]:
    """The people of one group of a breakdown, and the group's name; 404 for no such group."""
    if dimension in PROTECTED:
        field = f"equality_profile__{dimension}"
        if group == NOT_RECORDED:
            return Q(**{f"{field}__isnull": True}) | Q(**{field: ""}), group_label(dimension, group, {})
        return Q(**{field: group}), group_label(dimension, group, {})
    if dimension == "band":
        return Q(band=group), group_label(dimension, group, {})
    unit_id = id_from_query(group) if dimension in ("directorate", "department") else None
    department = Department.objects.filter(pk=unit_id).first() if unit_id else None
    if department is None:
        raise Http404("No such group.")
    return in_department_tree(department), department.name


@require_GET
def flagged_people(request):
    """The placed people of one group, with their boxes: what a flag is about. HR only; logged."""
    if not roles_for(request.user).is_hr:
        raise Http404("No such page.")
    context = _asked(request)
    dimension, group = request.GET.get("dimension", ""), request.GET.get("group", "")
    if dimension not in DIMENSIONS or dimension == ALL:
        raise Http404("No such group.")
    in_group, label = _group(dimension, group)
    people = people_in(request, context["scope"]).filter(in_group)
    placements = (
        Placement.objects.filter(is_current=True, employee__in=people)
        .select_related("employee__user", "employee__department")
        .order_by("employee__user__last_name", "employee__user__first_name", "pk")
    )
    page = page_of(request, placements)
    access.log_placement_reads(request, ((placement.pk, placement.employee_id) for placement in page.object_list))
    grid = grid_in_use()
    for placement in page.object_list:
        placement.box = grid.box(placement.performance, placement.potential)
    return render(
        request,
        "grid/inclusion_people.html",
        {
            **context,
            "page": page,
            "dimension": DIMENSIONS[dimension],
            "group": label,
            "querystring": querystring_without_page(request),
        },
    )
