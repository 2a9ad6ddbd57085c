"""The 9-box dashboard for a scope, its drill-down per box, the people not yet placed, and exports."""

import csv
from urllib.parse import urlencode

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from people.access import roles_for

from .. import access
from ..selectors import (
    box_people,
    export_header,
    export_rows,
    grid_in_use,
    grid_summary,
    roles_without_ready_successor,
    unplaced_people,
)
from .common import (
    box_or_404,
    page_of,
    querystring_without_page,
    safe_cell,
    scope_from_request,
    talent_grid_or_404,
    workbook_response,
)

AT_RISK_SHOWN = 5


@require_GET
def dashboard(request):
    talent_grid_or_404(request)
    grid = grid_in_use()
    form, scope = scope_from_request(request)
    summary = grid_summary(user=request.user, scope=scope, grid=grid)
    access.log_placement_reads(
        request,
        ((person["placement_pk"], person["pk"]) for row in summary.rows for cell in row for person in cell.people),
    )
    at_risk = list(roles_without_ready_successor(user=request.user, scope=scope)[: AT_RISK_SHOWN + 1])
    return render(
        request,
        "grid/dashboard.html",
        {
            "grid": grid,
            "definition": grid.definition,
            "form": form,
            "scope": scope,
            "summary": summary,
            "grid_rows": [(grid.definition.y_level(cells[0].box.potential), cells) for cells in summary.rows],
            "querystring": scope.querystring(),
            "at_risk": at_risk[:AT_RISK_SHOWN],
            "more_at_risk": len(at_risk) > AT_RISK_SHOWN,
            "is_hr": roles_for(request.user).is_hr,
        },
    )


@require_GET
def box(request, performance: int, potential: int):
    talent_grid_or_404(request)
    position = box_or_404(performance, potential)
    grid = grid_in_use()
    form, scope = scope_from_request(request)
    page = page_of(request, box_people(user=request.user, scope=scope, performance=performance, potential=potential))
    access.log_placement_reads(request, ((placement.pk, placement.employee_id) for placement in page.object_list))
    return render(
        request,
        "grid/box.html",
        {
            "grid": grid,
            "definition": grid.definition,
            "grid_box": grid.box(*position),
            "x_level": grid.definition.x_level(performance),
            "y_level": grid.definition.y_level(potential),
            "export_query": urlencode({**scope.query_params(), "performance": performance, "potential": potential}),
            "form": form,
            "scope": scope,
            "page": page,
            "querystring": querystring_without_page(request),
            "scope_querystring": scope.querystring(),
        },
    )


@require_GET
def unplaced(request):
    talent_grid_or_404(request)
    form, scope = scope_from_request(request)
    page = page_of(request, unplaced_people(user=request.user, scope=scope))
    return render(
        request,
        "grid/unplaced.html",
        {
            "form": form,
            "scope": scope,
            "page": page,
            "querystring": querystring_without_page(request),
            "scope_querystring": scope.querystring(),
            "roles": roles_for(request.user),
        },
    )


def _export_box(request) -> tuple[int, int] | None:
    """An optional box (?performance=3&potential=2); without one, the whole scope. A box that
    does not exist never widens a download: 404."""
    raw = request.GET.get("performance", ""), request.GET.get("potential", "")
    if raw == ("", ""):
        return None
    if not all(value in {"1", "2", "3"} for value in raw):
        raise Http404("No such box.")
    return int(raw[0]), int(raw[1])


def _export_scope(request):
    """The scope to export. A filter that was not understood never widens a download: 404."""
    form, scope = scope_from_request(request)
    if form.errors:
        raise Http404("That view of the grid does not exist.")
    return scope


def _export_filename(extension: str) -> str:
    return f"talent-grid-{timezone.localdate().isoformat()}.{extension}"


class _Logged:
    """Wraps export rows so that each person exported is written to the access log, in batches."""

    BATCH = 2000

    def __init__(self, request, header, rows):
        self.request, self.header, self.rows, self.pending = request, header, rows, []

    def __iter__(self):
        yield self.header
        for row, read in self.rows:
            self.pending.append(read)
            if len(self.pending) >= self.BATCH:
                self.flush()
            yield row
        self.flush()

    def flush(self):
        access.log_placement_reads(self.request, self.pending)
        self.pending = []


class _Echo:
    def write(self, value):
        return value


def _export(request):
    """The grid in use, the scope to export and its rows (each read logged)."""
    talent_grid_or_404(request)
    grid = grid_in_use()
    scope = _export_scope(request)
    rows = _Logged(
        request,
        export_header(grid),
        export_rows(user=request.user, scope=scope, grid=grid, box=_export_box(request)),
    )
    return grid, scope, rows


@require_GET
def export_csv(request):
    _, _, rows = _export(request)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte order mark, so that Excel reads the file as UTF-8
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_filename("csv")}"'
    return response


@require_GET
def export_xlsx(request):
    grid, scope, rows = _export(request)
    about = [
        ["Scope", scope.describe()],  # names typed by people: a department, a site, a manager
        ["Grid", grid.definition.name],
        ["Exported", timezone.localtime().strftime("%d/%m/%Y %H:%M")],
    ]
    return workbook_response({"Talent grid": rows}, _export_filename("xlsx"), about=about)
