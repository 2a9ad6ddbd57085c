import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grid.factories import CriticalRoleFactory, PlacementFactory, SuccessorFactory
from grid.models import Successor
from grid.tests.bulk import staff_with_placements
from people.factories import DepartmentFactory, EmployeeFactory, make_hr
from people.models import AccessLogRecord, Department

URL = reverse("grid:dashboard")


def cells(response) -> dict:
    return {
        (cell.box.performance, cell.box.potential): cell for row in response.context["summary"].rows for cell in row
    }


def test_it_counts_and_names_people_per_box_for_hr(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    PlacementFactory(employee=cast.other_employee, performance=3, potential=3)
    PlacementFactory(employee=cast.manager, performance=1, potential=2)
    client.force_login(cast.hr.user)
    response = client.get(URL)
    grid = cells(response)
    assert grid[(3, 3)].count == 2
    assert grid[(1, 2)].count == 1
    assert {person["name"] for person in grid[(3, 3)].people} == {
        cast.employee.full_name,
        cast.other_employee.full_name,
    }
    assert response.context["summary"].not_placed == 4
    content = response.content.decode()
    assert "Ready for promotion now" in content
    assert cast.employee.full_name in content


def test_it_shows_a_manager_their_line_only(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    PlacementFactory(employee=cast.other_employee, performance=3, potential=3)
    client.force_login(cast.senior_manager.user)
    response = client.get(URL)
    assert cells(response)[(3, 3)].count == 1
    assert cast.other_employee.full_name not in response.content.decode()
    assert response.context["summary"].total == 2  # the manager and the employee


def test_it_keeps_a_manager_in_their_line_whatever_the_filter(client, cast):
    PlacementFactory(employee=cast.other_employee, performance=3, potential=3)
    client.force_login(cast.manager.user)
    response = client.get(
        URL, {"manager": cast.other_manager.staff_number, "department": cast.other_employee.department_id}
    )
    assert response.status_code == 200
    assert "No one you can choose here matches" in response.content.decode()
    # A department outside the line is not offered (refused beside the field); the line stays the limit.
    assert "department" in response.context["form"].errors
    assert response.context["summary"].placed == 0
    assert cast.other_employee.full_name not in response.content.decode()


def test_it_filters_by_directorate_including_its_departments(client, cast):
    PlacementFactory(employee=cast.employee, performance=2, potential=2)
    PlacementFactory(employee=cast.other_employee, performance=2, potential=2)
    client.force_login(cast.hr.user)
    response = client.get(URL, {"department": cast.employee.department.parent_id})
    assert cells(response)[(2, 2)].count == 1
    assert response.context["scope"].department == cast.employee.department.parent


def test_it_filters_by_a_managers_line_band_site_and_track(client, cast):
    PlacementFactory(employee=cast.employee, performance=2, potential=2, specialist_track=True)
    PlacementFactory(employee=cast.manager, performance=2, potential=2)
    client.force_login(cast.hr.user)
    assert cells(client.get(URL, {"manager": cast.manager.staff_number}))[(2, 2)].count == 1
    assert cells(client.get(URL, {"track": "specialist"}))[(2, 2)].count == 1
    assert cells(client.get(URL, {"track": "other"}))[(2, 2)].count == 1
    assert cells(client.get(URL, {"band": "5", "site": "Riverside General"}))[(2, 2)].count == 2
    assert cells(client.get(URL, {"band": "9"}))[(2, 2)].count == 0


def test_it_offers_hr_everything_and_a_manager_the_sites_and_units_of_their_line(client, cast):
    EmployeeFactory(site="Castle Hill", line_manager=cast.other_manager)
    ward = cast.employee.department.children.create(name="Ward 7", level=Department.Level.TEAM)
    EmployeeFactory(site="Moorside", line_manager=cast.manager, department=ward)

    def offered(user):
        client.force_login(user)
        fields = client.get(URL).context["form"].fields
        return [value for value, _ in fields["site"].choices], set(fields["department"].queryset)

    sites, units = offered(cast.hr.user)
    assert sites == ["", "Castle Hill", "Moorside", "Riverside General"]
    assert cast.other_employee.department in units
    sites, units = offered(cast.manager.user)
    assert sites == ["", "Moorside", "Riverside General"]
    # the department of the employee and of the ward, and the directorate above both
    assert units == {cast.employee.department, cast.employee.department.parent}


@pytest.mark.parametrize(
    "params",
    [
        {"department": "not-a-number"},
        {"department": "999999"},
        {"band": "band-99"},
        {"site": "Atlantis"},
        {"track": "sideways"},
        {"manager": "x" * 500},
    ],
)
def test_it_explains_bad_filter_values_without_failing(client, cast, params):
    client.force_login(cast.hr.user)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_it_logs_the_placements_it_names(client, cast):
    placement = PlacementFactory(employee=cast.employee)
    client.force_login(cast.hr.user)
    client.get(URL)
    log = AccessLogRecord.objects.get()
    assert (log.entry.user, log.subject, log.record_type, log.record_id) == (
        cast.hr.user,
        cast.employee,
        "grid.placement",
        placement.pk,
    )


def test_it_lists_critical_roles_with_no_one_ready_now(client, cast):
    uncovered = CriticalRoleFactory(title="Director of Nursing", incumbent=cast.senior_manager)
    SuccessorFactory(role=uncovered, employee=cast.manager, readiness=Successor.Readiness.ONE_TO_TWO_YEARS)
    covered = CriticalRoleFactory(title="Chief Pharmacist", incumbent=cast.other_manager)
    SuccessorFactory(role=covered, employee=cast.other_employee)
    client.force_login(cast.hr.user)
    content = client.get(URL).content.decode()
    assert "Director of Nursing" in content
    assert "Chief Pharmacist" not in content


def test_it_shows_the_wording_of_the_grid_in_use(client, cast):
    from grid.models import GridDefinition, GridSettings

    GridSettings.objects.update(definition=GridDefinition.objects.get(name="Impact and growth"))
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    client.force_login(cast.hr.user)
    content = client.get(URL).content.decode()
    assert "Impact" in content
    assert "Future leader" in content
    assert "Ready for promotion now" not in content


def dashboard_queries(client, user) -> int:
    client.force_login(user)
    client.get(URL)  # warm: the session, the grid settings row
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"band": "5"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["hr", "manager"])
def test_it_issues_the_same_few_queries_at_500_and_5000_employees(client, db, role):
    department = DepartmentFactory()
    hr = make_hr()
    manager = EmployeeFactory(department=department)
    counts = []
    for size, prefix in [(500, "small"), (5000, "large")]:
        staff_with_placements(size - len(counts) * 500, department=department, line_manager=manager, prefix=prefix)
        user = hr.user if role == "hr" else manager.user
        counts.append(dashboard_queries(client, user))
    assert counts[0] == counts[1]
    assert counts[1] <= 16  # the access log is two inserts: the entry and its records


def test_it_counts_in_the_database(client, cast):
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.hr.user)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    sql = [query["sql"] for query in queries]
    assert any("COUNT(" in query and "GROUP BY" in query and "UNION ALL" in query for query in sql)
    # The names: ranked per box in the database (SQLite), or the first few of each box read by
    # nine LIMITed queries in one UNION (PostgreSQL); never every placement.
    names = [
        query for query in sql if 'FROM "grid_placement"' in query and "COUNT(" not in query and "INSERT" not in query
    ]
    assert len(names) == 1
    assert "ROW_NUMBER() OVER" in names[0] or names[0].count("LIMIT 5") == 9
