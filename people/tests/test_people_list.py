import pytest
from django.urls import reverse

from people.factories import EmployeeFactory, make_hr

URL = reverse("people_list")


def test_it_lists_a_managers_whole_line_only(client, cast):
    client.force_login(cast.senior_manager.user)
    content = client.get(URL).content.decode()
    assert cast.manager.full_name in content
    assert cast.employee.full_name in content
    assert cast.other_employee.full_name not in content
    assert "Department" not in client.get(URL).context["form"].fields


def test_it_lists_everyone_for_hr(client, cast):
    client.force_login(cast.hr.user)
    response = client.get(URL)
    assert response.context["page"].paginator.count == 7


def test_it_searches_by_name_and_staff_number(client, cast):
    client.force_login(cast.hr.user)
    by_name = client.get(URL, {"q": cast.employee.user.last_name}).context["page"].object_list
    assert cast.employee in list(by_name)
    by_number = client.get(URL, {"q": cast.other_employee.staff_number}).context["page"].object_list
    assert list(by_number) == [cast.other_employee]


def test_it_filters_hr_by_department(client, cast):
    client.force_login(cast.hr.user)
    page = client.get(URL, {"department": cast.employee.department_id}).context["page"]
    assert list(page.object_list) == [cast.employee]


def test_it_ignores_a_manager_filtering_outside_their_line(client, cast):
    client.force_login(cast.manager.user)
    page = client.get(URL, {"q": cast.other_employee.staff_number}).context["page"]
    assert list(page.object_list) == []


def test_it_survives_bad_filter_values(client, cast):
    client.force_login(cast.hr.user)
    response = client.get(URL, {"department": "not-a-number", "page": "999", "q": "x" * 500})
    assert response.status_code == 200


def test_it_says_when_nobody_matches(client, cast):
    client.force_login(cast.hr.user)
    assert "No one matches" in client.get(URL, {"q": "zzzzzz"}).content.decode()


@pytest.mark.parametrize("staff", [5, 120])
def test_it_lists_in_constant_queries(client, db, django_assert_max_num_queries, staff):
    hr = make_hr()
    managers = EmployeeFactory.create_batch(3)
    for index in range(staff):
        EmployeeFactory(line_manager=managers[index % 3])
    client.force_login(hr.user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == min(staff + 4, 50)


@pytest.mark.parametrize("reports", [4, 80])
def test_it_lists_a_managers_line_in_constant_queries(client, db, django_assert_max_num_queries, reports):
    manager = EmployeeFactory()
    leads = EmployeeFactory.create_batch(2, line_manager=manager)
    for index in range(reports):
        EmployeeFactory(line_manager=leads[index % 2])
    client.force_login(manager.user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.context["page"].paginator.count == reports + 2


def test_it_filters_hr_by_directorate_including_its_teams(client, cast):
    team = cast.employee.department.children.create(name="Ward 7", level=3)
    in_team = EmployeeFactory(department=team)
    directorate = cast.employee.department.parent
    client.force_login(cast.hr.user)
    page = client.get(URL, {"department": directorate.pk}).context["page"]
    assert set(page.object_list) == {cast.employee, in_team}


@pytest.mark.parametrize("query", ["Zeb\x00edee", "\x00Zebedee", "Zebedee\x00"])
def test_it_ignores_nul_characters_in_the_search(client, cast, query):
    # PostgreSQL refuses NUL in text; the search drops it rather than fail.
    cast.employee.user.last_name = "Zebedee"
    cast.employee.user.save()
    client.force_login(cast.hr.user)
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [cast.employee]
    assert client.get(URL, {"q": "\x00"}).status_code == 200
