import io
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from openpyxl import Workbook

from .. import access
from ..forms import GridFilterForm, MovementForm
from ..scope import Scope

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def talent_grid_or_404(request: HttpRequest) -> None:
    if not access.may_see_talent_grid(request.user):
        raise Http404("No such page.")


def scope_from_request(request: HttpRequest) -> tuple[GridFilterForm, Scope]:
    """The filter form and the scope it chose; fields with errors are left out (and shown)."""
    form = GridFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    return form, form.scope()


def box_or_404(performance: int, potential: int) -> tuple[int, int]:
    if performance not in (1, 2, 3) or potential not in (1, 2, 3):
        raise Http404("No such box.")
    return performance, potential


def page_of(request: HttpRequest, items, per_page: int = PER_PAGE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def querystring_without(request: HttpRequest, *names: str) -> str:
    querystring = request.GET.copy()
    for name in names:
        querystring.pop(name, None)
    return querystring.urlencode()


def querystring_without_page(request: HttpRequest) -> str:
    return querystring_without(request, "page")


def safe_cell(value):
    """Spreadsheets run text that starts like a formula; an apostrophe keeps it text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dates_from_request(request: HttpRequest) -> tuple[MovementForm, tuple | None]:
    """The From and To dates (default: the last 12 months) and their form; None while invalid."""
    form = MovementForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["start"], form.cleaned_data["end"])


def workbook_response(sheets: dict[str, Iterable[list]], filename: str) -> HttpResponse:
    """An Excel download of `sheets` (title -> rows, which may be a generator: the workbook is
    written as it goes), with text that looks like a formula kept as text."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
