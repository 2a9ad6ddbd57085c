"""Reading a staff file as people have it: the table of cells, whatever the file's format.

CSV in UTF-8 (with or without a byte order mark), Excel's Windows-1252 "CSV (Comma
delimited)" or UTF-16 ("Unicode Text"), separated by commas, semicolons or tabs; or an
Excel .xlsx workbook (its first sheet). Report title rows and blank lines above the header
row are skipped: the header is the first row that names a staff number column
(`staff_number`, or ESR's `Employee Number`). A file that is none of these (an Excel 97
.xls, a PDF, a web page saved as .xls, another zip) is refused with a message that says
what it looks like and what to do.

`read_table` returns a `Table`: how the file was read, the header and its line, and the rows
as (line, cells), read lazily so that a large file is never all in memory as cells.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

HEADER_SEARCH_ROWS = 30  # title rows an extract may have above its header
STAFF_NUMBER_HEADINGS = {"staff_number", "employee_number"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


class StaffFileError(Exception):
    """The file cannot be read as a staff file; the message says why, for the person who chose it."""

    def __init__(self, message: str, line: int = 1):
        self.message, self.line = message, line
        super().__init__(message)


def heading_key(heading: str) -> str:
    """'Staff number', 'staff-number' and ' STAFF_NUMBER ' are all 'staff_number'; 'Org L3' is 'org_l3'."""
    return re.sub(r"[^a-z0-9]+", "_", heading.strip().lower()).strip("_")


@dataclass
class Table:
    kind: str  # how it was read, e.g. "CSV, Windows-1252, semicolon-separated"
    header_line: int
    header: list[str]  # the headings as keys (heading_key)
    headings: list[str]  # as written
    rows: Iterator[tuple[int, list[str]]]  # (line, cells), blank rows left out


def _what_it_looks_like(data: bytes) -> str | None:
    """The message for a file that is plainly not a staff table, or None."""
    head = data[:2048].lstrip()
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "this looks like an Excel 97-2003 .xls file: open it in Excel and save it as .xlsx or CSV"
    if head.startswith(b"%PDF"):
        return "this looks like a PDF: export the report from the HR system as CSV or Excel (.xlsx) instead"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in lowered:
        return (
            "this looks like a web page (HTML), as some reports save under .xls: open it in Excel "
            "and save it as .xlsx or CSV"
        )
    return None


def read_table(data: bytes) -> Table:
    """The staff table in `data`, or StaffFileError saying why it cannot be read."""
    if not data.strip():
        raise StaffFileError("the file is empty")
    if message := _what_it_looks_like(data):
        raise StaffFileError(message)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    text, encoding = _decode(data)
    return _read_csv(text, encoding)


# CSV ------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise StaffFileError("the file says it is UTF-16 text but is not; save it again as CSV") from None
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        # UTF-16 without a byte order mark: every other byte of plain text is zero.
        encoding = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        try:
            return data.decode(encoding), "UTF-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise StaffFileError(
            "the file holds binary data, not text: export it from the HR system as CSV or Excel (.xlsx)"
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Excel's "CSV (Comma delimited)" on Windows. (Five bytes have no Windows-1252 character.)
    return data.decode("cp1252", errors="replace"), "Windows-1252"


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every row; the line is where the row starts (a quoted value can span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise StaffFileError(f"the file is not valid CSV: {error}", line) from None


def _is_header(cells: list[str]) -> bool:
    return any(heading_key(cell) in STAFF_NUMBER_HEADINGS for cell in cells)


def _read_csv(text: str, encoding: str) -> Table:
    text = text.removeprefix("\ufeff")
    first_lines = text[:20000].splitlines()[:HEADER_SEARCH_ROWS]
    # The separator is the one that makes a header row; failing that, the commonest.
    counts = {delimiter: sum(line.count(delimiter) for line in first_lines) for delimiter in DELIMITERS}
    order = sorted(DELIMITERS, key=lambda delimiter: -counts[delimiter])
    for delimiter in order:
        if any(_is_header(next(csv.reader([line], delimiter=delimiter), [])) for line in first_lines):
            break
    else:
        delimiter = order[0] if counts[order[0]] else ","
    rows = _csv_rows(text, delimiter)
    kind = f"CSV, {encoding}" + (f", {DELIMITERS[delimiter]}-separated" if delimiter != "," else "")
    return _table(rows, kind)


def _table(rows: Iterator[tuple[int, list[str]]], kind: str) -> Table:
    """The table from its rows: the header is found among the first rows; blank rows are left out."""
    seen = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if _is_header(cells):
            header = [heading_key(cell) for cell in cells]
            return Table(kind, line, header, [cell.strip() for cell in cells], _without_blanks(rows))
        seen.append((line, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise StaffFileError("the file is empty")
    raise StaffFileError(
        "no header row found: the first rows name neither the staff import's columns (staff_number, "
        "first_name, ...) nor an ESR staff list's (Employee Number, Last Name, ...)",
        seen[0][0],
    )


def _without_blanks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in rows:
        if any(cell.strip() for cell in cells):
            yield line, cells


# Excel -----------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a staff number Excel keeps as a number
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # only when a workbook is uploaded

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise StaffFileError(
            "this is a zip file but not an Excel .xlsx workbook: export the staff list as CSV or .xlsx"
        ) from None
    except Exception:
        raise StaffFileError(
            "this Excel workbook cannot be read: open it in Excel and save it again as .xlsx"
        ) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise StaffFileError("the workbook has no sheets")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        finally:
            workbook.close()

    name = f" (sheet {sheet.title!r})" if len(workbook.worksheets) > 1 else ""
    return _table(rows(), f"Excel workbook{name}")
