"""How placements moved between two dates: a from-box by to-box table, and who moved."""

from django.db.models import Subquery
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import access
from ..selectors import NOT_PLACED, grid_in_use, latest_placement_at, movement_table, movers
from .common import (
    dates_from_request,
    page_of,
    querystring_without,
    querystring_without_page,
    scope_from_request,
    talent_grid_or_404,
)

BOX_NUMBERS = set(range(1, 10))


def _asked(request) -> dict:
    """What both movement pages start from, as template context: the grid in use, the scope and
    the two dates (None while they cannot be used), with their forms."""
    talent_grid_or_404(request)
    grid = grid_in_use()
    filter_form, scope = scope_from_request(request)
    date_form, dates = dates_from_request(request)
    return {
        "grid": grid,
        "form": filter_form,
        "date_form": date_form,
        "scope": scope,
        "dates": dates,
        "querystring": querystring_without_page(request),
    }


@require_GET
def movement(request):
    context = _asked(request)
    grid, scope, dates = context["grid"], context["scope"], context["dates"]
    table = None
    rows = []
    if dates is not None:
        table = movement_table(user=request.user, scope=scope, start=dates[0], end=dates[1], grid=grid)
        rows = [
            (
                grid.box_numbered(from_number),
                from_number,
                [(grid.box_numbered(to), to, table.count(from_number, to)) for to in table.numbers],
            )
            for from_number in table.numbers
        ]
    return render(
        request,
        "grid/movement.html",
        {
            **context,
            "table": table,
            "rows": rows,
            "columns": [grid.box_numbered(number) for number in table.numbers] if table else [],
        },
    )


def _number(request, name: str) -> int | None:
    """A box number from the query (NOT_PLACED: none); None when absent; 404 when not a box."""
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        number = int(raw)
    except ValueError:
        raise Http404("No such box.") from None
    if number != NOT_PLACED and number not in BOX_NUMBERS:
        raise Http404("No such box.")
    return number


@require_GET
def movement_people(request):
    context = _asked(request)
    grid, scope, dates = context["grid"], context["scope"], context["dates"]
    from_number, to_number = _number(request, "from_box"), _number(request, "to_box")
    page = None
    if dates is not None:
        latest = latest_placement_at(dates[1])
        people = movers(
            user=request.user,
            scope=scope,
            start=dates[0],
            end=dates[1],
            grid=grid,
            from_number=from_number,
            to_number=to_number,
        ).annotate(to_placement=Subquery(latest.values("pk")[:1]))
        page = page_of(request, people)
        access.log_placement_reads(
            request, ((person.to_placement, person.pk) for person in page.object_list if person.to_placement)
        )
    return render(
        request,
        "grid/movement_people.html",
        {
            **context,
            "heading": _heading(grid, from_number, to_number),
            "page": page,
            "back_querystring": querystring_without(request, "from_box", "to_box", "page"),
        },
    )


def _heading(grid, from_number: int | None, to_number: int | None) -> str:
    def place(number: int) -> str:
        box = grid.box_numbered(number)
        return f"box {box.number}, {box.label}" if box else "not placed"

    if from_number is None and to_number is None:
        return "Everyone who changed box"
    if to_number is None:
        return f"Moved out of {place(from_number)}"
    if from_number is None:
        return f"Moved into {place(to_number)}"
    return f"From {place(from_number)} to {place(to_number)}"
