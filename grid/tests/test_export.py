import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from grid.factories import PlacementFactory
from people.factories import DepartmentFactory, DirectorateFactory
from people.models import AccessLogRecord


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_exports_the_current_view_to_csv(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=2, specialist_track=True)
    PlacementFactory(employee=cast.other_employee, performance=1, potential=1)
    client.force_login(cast.hr.user)
    response = client.get(reverse("grid:export_csv"), {"department": cast.employee.department_id})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["Staff number", "First name", "Last name"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Staff number"] == cast.employee.staff_number
    assert row["Box"] == "4"
    assert row["Box label"] == "High performer, ready to grow"
    assert (row["Performance"], row["Potential"], row["Specialist track"]) == ("High", "Moderate", "Yes")


def test_it_exports_one_box(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=2)
    PlacementFactory(employee=cast.other_employee, performance=1, potential=1)
    client.force_login(cast.hr.user)
    _, *rows = csv_rows(client.get(reverse("grid:export_csv"), {"performance": "1", "potential": "1"}))
    assert [row[0] for row in rows] == [cast.other_employee.staff_number]


def test_it_keeps_spreadsheet_formulas_out_of_the_csv(client, cast):
    PlacementFactory(employee=cast.employee, potential=3, override_reason='=HYPERLINK("http://evil")')
    cast.employee.user.first_name = "+SUM(A1)"
    cast.employee.user.save()
    client.force_login(cast.hr.user)
    header, row = csv_rows(client.get(reverse("grid:export_csv")))
    values = dict(zip(header, row, strict=True))
    assert values["First name"] == "'+SUM(A1)"
    assert values["Reason for overriding the suggestion"].startswith("'=")


def test_it_exports_the_same_rows_to_excel(client, cast):
    PlacementFactory(employee=cast.employee, performance=2, potential=2, override_reason="")
    cast.employee.user.last_name = "@Smith"
    cast.employee.user.save()
    client.force_login(cast.manager.user)
    response = client.get(reverse("grid:export_xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Talent grid"].iter_rows(values_only=True))
    assert rows[0][0] == "Staff number"
    assert rows[1][0] == cast.employee.staff_number
    assert rows[1][2] == "@Smith"  # kept as text, without a visible apostrophe
    assert workbook["Talent grid"]["C2"].data_type == "s"
    assert workbook["About"]["B1"].value == "Whole organisation"


def test_it_exports_only_a_managers_line(client, cast):
    PlacementFactory(employee=cast.employee)
    PlacementFactory(employee=cast.other_employee)
    client.force_login(cast.manager.user)
    assert client.get(reverse("grid:export_csv"), {"manager": cast.other_manager.staff_number}).status_code == 404
    _, *rows = csv_rows(client.get(reverse("grid:export_csv")))
    assert [row[0] for row in rows] == [cast.employee.staff_number]


def test_it_logs_every_person_exported(client, cast):
    PlacementFactory(employee=cast.employee)
    PlacementFactory(employee=cast.other_employee)
    client.force_login(cast.hr.user)
    csv_rows(client.get(reverse("grid:export_csv")))
    assert set(AccessLogRecord.objects.values_list("subject", flat=True)) == {cast.employee.pk, cast.other_employee.pk}


def test_it_answers_404_for_a_box_or_filter_it_does_not_know(client, cast):
    client.force_login(cast.hr.user)
    for params in ({"performance": "4", "potential": "1"}, {"performance": "x"}, {"band": "99"}):
        assert client.get(reverse("grid:export_csv"), params).status_code == 404
        assert client.get(reverse("grid:export_xlsx"), params).status_code == 404


def test_it_keeps_spreadsheet_formulas_out_of_the_excel_about_sheet(client, cast):
    department = cast.employee.department
    department.name = '=HYPERLINK("http://x","y")'
    department.save()
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.hr.user)
    response = client.get(reverse("grid:export_xlsx"), {"department": department.pk})
    about = load_workbook(io.BytesIO(response.content))["About"]
    assert about["B1"].value == '=HYPERLINK("http://x","y")'
    assert about["B1"].data_type == "s"


def grid_sheet(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("grid:export_xlsx"), params)
    return load_workbook(io.BytesIO(response.content))["Talent grid"]


def test_it_heads_the_excel_sheet_for_hr_to_sort_and_filter(client, cast):
    PlacementFactory(employee=cast.employee)
    PlacementFactory(employee=cast.other_employee)
    sheet = grid_sheet(client, cast.hr.user)

    header = [cell for cell in sheet[1]]
    assert all(cell.font.bold for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}3"
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert all(widths.get(cell.column_letter, 0) >= len(cell.value) for cell in header)


def test_it_writes_dates_as_dates_in_the_british_order(client, cast):
    PlacementFactory(employee=cast.employee, placed_at=datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC))
    sheet = grid_sheet(client, cast.hr.user)

    header = [cell.value for cell in sheet[1]]
    placed_on = sheet.cell(row=2, column=header.index("Placed on") + 1)
    assert placed_on.value.date() == datetime.date(2026, 3, 4)
    assert placed_on.number_format == "dd/mm/yyyy"


def test_it_names_the_directorate_department_and_line_manager(client, cast):
    directorate = DirectorateFactory(name="Nursing and Midwifery")
    department = DepartmentFactory(name="Surgery", level=2, parent=directorate)
    ward = DepartmentFactory(name="Ward 7", level=3, parent=department)
    cast.employee.department = ward
    cast.employee.save()
    PlacementFactory(employee=cast.employee)
    sheet = grid_sheet(client, cast.hr.user)

    header, row = ([cell.value for cell in line] for line in sheet.iter_rows(max_row=2))
    values = dict(zip(header, row, strict=True))
    assert values["Directorate"] == "Nursing and Midwifery"
    assert values["Department"] == "Surgery"
    assert values["Team"] == "Ward 7"
    assert values["Line manager"] == cast.manager.full_name
    assert values["Line manager's staff number"] == cast.manager.staff_number
