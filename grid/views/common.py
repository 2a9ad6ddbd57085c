import datetime
import io
import itertools
from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .. import access
from ..forms import GridFilterForm, MovementForm
from ..scope import Scope

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Column widths come from the header and the first rows (the rest stream past); within these.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 50
BOLD = Font(bold=True)


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
    """For CSV: spreadsheets run text that starts like a formula; an apostrophe keeps it text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dates_from_request(request: HttpRequest) -> tuple[MovementForm, tuple | None]:
    """The From and To dates (default: the last 12 months) and their form; None while invalid."""
    form = MovementForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["start"], form.cleaned_data["end"])


def xlsx_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    """One cell: dates in the British order, and text always stored as text, so that text which
    starts like a formula is shown as typed and never run (no apostrophe needed)."""
    cell = WriteOnlyCell(sheet)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never "f" (formula), whatever the text starts with
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def shown_width(value) -> int:
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return len(str(value)) if value is not None else 0


def write_sheet(sheet, rows: Iterable[list], *, headed: bool) -> None:
    """Rows into a write-only sheet. With `headed`, the first row is a header: bold, frozen and
    filtered. Column widths fit the header and the first rows."""
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths: dict[int, int] = {}
    for row in sample:
        for index, value in enumerate(row, start=1):
            widths[index] = max(widths.get(index, 0), shown_width(value))
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    if headed:
        sheet.freeze_panes = "A2"
    count, last_column = 0, 0
    for count, row in enumerate(itertools.chain(sample, rows), start=1):
        # headed sheets: the header is bold; two-column "About" sheets: the labels are
        sheet.append(
            [xlsx_cell(sheet, value, bold=(count == 1) if headed else index == 0) for index, value in enumerate(row)]
        )
        last_column = max(last_column, len(row))
    if headed and count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(last_column)}{count}"


def workbook_response(sheets: dict[str, Iterable[list]], filename: str, *, about: list[list]) -> HttpResponse:
    """An Excel download of `sheets` (title -> rows, the first row the header; rows may be a
    generator: the workbook is written as it goes), then an "About" sheet of label and value."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets.items():
        write_sheet(workbook.create_sheet(title), rows, headed=True)
    write_sheet(workbook.create_sheet("About"), about, headed=False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
