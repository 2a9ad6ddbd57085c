import pytest
from django.urls import reverse

from pdp.factories import ActionFactory, PlanFactory
from people.factories import EmployeeFactory, make_hr

URL = reverse("pdp:list")


def listed(client, **filters):
    return [person for person, _ in client.get(URL, filters).context["rows"]]


def test_it_lists_a_managers_whole_line_with_their_plans(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    client.force_login(cast.senior_manager.user)
    response = client.get(URL)
    assert dict(response.context["rows"]) == {cast.manager: None, cast.employee: plan}
    assert cast.other_employee.full_name not in response.content.decode()


def test_it_filters_by_plan_state(client, cast):
    PlanFactory(employee=cast.employee, manager=cast.manager)
    client.force_login(cast.senior_manager.user)
    assert listed(client, status="draft") == [cast.employee]
    assert listed(client, status="none") == [cast.manager]
    assert listed(client, status="agreed") == []


def test_it_lists_everyone_for_hr(client, cast):
    client.force_login(cast.hr.user)
    assert len(listed(client)) == 7


def test_it_is_not_for_employees(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(URL).status_code == 404


def test_it_survives_bad_filters(client, cast):
    client.force_login(cast.hr.user)
    assert client.get(URL, {"status": "nonsense", "page": "x", "q": "z" * 500}).status_code == 200


@pytest.mark.parametrize("staff", [5, 60])
def test_it_lists_in_constant_queries(client, db, django_assert_max_num_queries, staff):
    hr = make_hr()
    manager = EmployeeFactory()
    for _ in range(staff):
        plan = PlanFactory(employee=EmployeeFactory(line_manager=manager), manager=manager)
        ActionFactory(plan=plan)
    for user in (hr.user, manager.user):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(URL).status_code == 200


@pytest.mark.parametrize("query", ["Zeb\x00edee", "\x00Zebedee"])
def test_it_ignores_nul_characters_in_the_search(client, cast, query):
    cast.employee.user.last_name = "Zebedee"
    cast.employee.user.save()
    client.force_login(cast.hr.user)
    assert listed(client, q=query) == [cast.employee]
    assert client.get(URL, {"q": "\x00"}).status_code == 200
