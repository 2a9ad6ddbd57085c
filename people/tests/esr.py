"""ESR-style staff files for tests, made here (never a real extract): an ESR "Staff List
(Assignment Level)" report with its title rows, one row per assignment, in any encoding or as
an Excel workbook."""

import csv
import io
import unicodedata

ESR_HEADER = [
    "Employee Number",
    "Assignment Number",
    "Title",
    "Last Name",
    "First Name",
    "Known As",
    "Email Address",
    "Position Number",
    "Position Title",
    "Job Role",
    "Staff Group",
    "Grade",
    "Pay Band",
    "Org L3",
    "Org L4",
    "Organisation",
    "Location",
    "Supervisor Full Name",
    "Supervisor Employee Number",
    "Supervisor Assignment Number",
    "Assignment Category",
    "Primary Assignment",
    "Assignment Status",
    "FTE",
    "Hire Date",
    "Assignment Start Date",
    "Actual Termination Date",
]
TITLE_ROWS = [
    ["Staff List (Assignment Level)"],
    ["VPD: 245 Riverside University Hospitals NHS Foundation Trust"],
    ["Run Date: 01-DEC-2026 09:14"],
    [],
]


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name.replace("Ł", "L").replace("ł", "l")).encode("ascii", "ignore").decode()


def assignment(number: str, last: str, first: str, supervisor: str = "", **values) -> dict[str, str]:
    """One row of the extract: a permanent, primary, active Band 5 post in Medicine."""
    return {
        "Employee Number": number,
        "Assignment Number": f"{number}-1",
        "Title": "Ms",
        "Last Name": last,
        "First Name": first,
        "Known As": "",
        "Email Address": f"{_ascii(first).lower()}.{number}@nhs.net",
        "Position Number": f"P{number}",
        "Position Title": "Staff Nurse",
        "Job Role": "Staff Nurse",
        "Staff Group": "Nursing and Midwifery Registered",
        "Grade": "",
        "Pay Band": "Band 5",
        "Org L3": "245 Division of Medicine",
        "Org L4": "245 Emergency Department",
        "Organisation": "245 Ward 7",
        "Location": "245 Riverside General Hospital",
        "Supervisor Full Name": "",
        "Supervisor Employee Number": supervisor,
        "Supervisor Assignment Number": f"{supervisor}-1" if supervisor else "",
        "Assignment Category": "Permanent",
        "Primary Assignment": "Yes",
        "Assignment Status": "Active Assignment",
        "FTE": "1",
        "Hire Date": "05-AUG-2020",
        "Assignment Start Date": "05-AUG-2020",
        "Actual Termination Date": "",
        **values,
    }


def trust() -> list[dict[str, str]]:
    """A small trust: a director, two managers and their teams, a consultant, a second post,
    a bank post and a leaver."""
    return [
        assignment(
            "10000001",
            "O'Neill",
            "Siobhán",
            **{
                "Position Title": "Director of Nursing",
                "Pay Band": "Very Senior Manager",
                "Org L3": "245 Corporate Services",
                "Org L4": "",
                "Organisation": "245 Nursing Directorate",
            },
        ),
        assignment(
            "10000002",
            "Clarke-Hughes",
            "Zoë",
            "10000001",
            **{"Position Title": "Ward Manager", "Pay Band": "Band 7", "Hire Date": "01/03/2015"},
        ),
        assignment(
            "10000003",
            "Wiśniewski",
            "Łukasz",
            "10000002",
            **{"Known As": "Luke", "Pay Band": "Band 8 - Range A", "Position Title": "Matron"},
        ),
        assignment("10000004", "Patel", "Anita", "10000002"),
        # Anita's second post: bank shifts in another department. The primary post is the record.
        assignment(
            "10000004",
            "Patel",
            "Anita",
            "10000009",
            **{
                "Assignment Number": "10000004-2",
                "Org L4": "245 Cardiology",
                "Organisation": "245 Cardiac Day Unit",
                "Pay Band": "Band 6",
                "Assignment Category": "Bank",
                "Primary Assignment": "No",
            },
        ),
        assignment("10000005", "Mensah", "Kwame", "10000002"),
        assignment(
            "10000006",
            "Rahman",
            "Farah",
            "10000001",
            **{
                "Position Title": "Consultant in Emergency Medicine",
                "Job Role": "Consultant",
                "Staff Group": "Medical and Dental",
                "Grade": "Consultant",
                "Pay Band": "",
            },
        ),
        assignment(
            "10000007",
            "Jones",
            "Gareth",
            "10000006",
            **{"Grade": "Specialty Registrar", "Pay Band": "", "Staff Group": "Medical and Dental"},
        ),
        assignment(
            "10000008",
            "Evans",
            "Bethan",
            "10000002",
            **{"Assignment Status": "Terminate Process Assignment", "Actual Termination Date": "30-SEP-2026"},
        ),
        assignment(
            "10000009",
            "Okafor",
            "Chidi",
            "10000001",
            **{"Position Title": "Ward Manager", "Pay Band": "Band 7", "Org L4": "245 Cardiology", "Organisation": ""},
        ),
        assignment("10000010", "Brown", "Amy", "10000009", **{"Org L4": "245 Cardiology", "Organisation": ""}),
        assignment("10000011", "Smith", "Tom", "10000009", **{"Org L4": "245 Cardiology", "Organisation": ""}),
    ]


def _rows(rows: list[dict[str, str]], header: list[str], titles: bool) -> list[list[str]]:
    return [*(TITLE_ROWS if titles else []), header, *([row.get(column, "") for column in header] for row in rows)]


def esr_csv(
    rows: list[dict[str, str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    titles: bool = True,
    header: list[str] = ESR_HEADER,
) -> bytes:
    """The extract as CSV in `encoding` (Windows-1252 as Excel saves it, with CRLF line ends);
    names the encoding cannot hold are written as Excel writes them: without their accents."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(_rows(rows, header, titles))
    text = out.getvalue()
    if encoding == "cp1252":
        text = text.replace("Ł", "L").replace("ł", "l").replace("ś", "s")
    return text.encode(encoding)


def esr_xlsx(rows: list[dict[str, str]], *, titles: bool = True) -> bytes:
    """The extract as an Excel workbook, as ESR's 'Export to Excel' and Excel's own save make it:
    dates as dates and numbers as numbers."""
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Staff List"
    for cells in _rows(rows, ESR_HEADER, titles):
        values = []
        for cell in cells:
            if cell and cell[:2].isdigit() and cell.count("-") == 2 and len(cell) == 11:
                values.append(datetime.strptime(cell, "%d-%b-%Y"))
            elif cell.isdigit():
                values.append(int(cell))
            else:
                values.append(cell)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def many(count: int) -> list[dict[str, str]]:
    """`count` people in a tree ten wide, every tenth with a second (bank) post."""
    rows = []
    for index in range(count):
        number = f"{30000000 + index}"
        supervisor = f"{30000000 + (index - 1) // 10}" if index else ""
        rows.append(
            assignment(number, f"Surname{index}", "Sam", supervisor, **{"Org L4": f"245 Department {index % 7}"})
        )
        if index % 10 == 3:
            rows.append({**rows[-1], "Assignment Number": f"{number}-2", "Primary Assignment": "No"})
    return rows
