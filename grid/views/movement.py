"""How placements moved between two dates: a from-box by to-box table, and who moved."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import access
from ..movement import movement_table, movers
from ..selectors import NOT_PLACED, grid_in_use
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


@dataclass(frozen=True)
class Cell:
    """One count of the movement table, with its link to the people behind it."""

    count: int
    href: str
    description: str  # for screen readers: "people from box 5 to box 1"
    same_box: bool


def _rows(grid, table, people_url: str) -> list[tuple]:
    """The table's rows as (box, cells), each cell worked out here once: a template tag per cell
    would cost more than the counting."""

    def place(number: int) -> str:
        box = grid.box_numbered(number)
        return f"box {box.number}" if box else "not placed"

    rows = []
    for from_number in table.numbers:
        cells = []
        for to_number in table.numbers:
            count = table.count(from_number, to_number)
            people = "person" if count == 1 else "people"
            cells.append(
                Cell(
                    count=count,
                    href=f"{people_url}from_box={from_number}&to_box={to_number}",
                    description=f"{people} from {place(from_number)} to {place(to_number)}",
                    same_box=from_number == to_number,
                )
            )
        rows.append((grid.box_numbered(from_number), cells))
    return rows


@require_GET
def movement(request):
    context = _asked(request)
    grid, scope, dates = context["grid"], context["scope"], context["dates"]
    table = None
    rows = []
    if dates is not None:
        table = movement_table(user=request.user, scope=scope, start=dates[0], end=dates[1], grid=grid)
        querystring = context["querystring"]
        rows = _rows(grid, table, f"{reverse('grid:movement_people')}?{querystring}{'&' if querystring else ''}")
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
        people = movers(
            user=request.user,
            scope=scope,
            start=dates[0],
            end=dates[1],
            grid=grid,
            from_number=from_number,
            to_number=to_number,
        )
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
