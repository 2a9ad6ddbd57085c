import pytest
from django.urls import reverse

from pdp import services
from pdp.factories import PlanFactory


def test_it_lists_current_and_past_plans(client, cast):
    PlanFactory(employee=cast.employee, manager=cast.manager)
    current = services.plan_start(employee=cast.employee, by=cast.manager)
    client.force_login(cast.manager.user)
    response = client.get(reverse("pdp:person", args=[cast.employee.pk]))
    assert response.context["current"] == current
    assert len(response.context["past"]) == 1
    assert "Start a new plan" in response.content.decode()


def test_it_does_not_offer_hr_or_the_employee_to_start_a_plan(client, cast):
    for person in (cast.hr, cast.employee):
        client.force_login(person.user)
        assert "Start a plan" not in client.get(reverse("pdp:person", args=[cast.employee.pk])).content.decode()


def test_it_shows_every_change_in_the_history(client, cast):
    plan = services.plan_start(employee=cast.employee, by=cast.manager)
    client.force_login(cast.employee.user)
    content = client.get(reverse("pdp:history", args=[plan.pk])).content.decode()
    assert "Plan started" in content
    assert cast.manager.full_name in content


@pytest.mark.parametrize("past", [1, 12])
def test_it_lists_past_plans_in_constant_queries(client, cast, django_assert_max_num_queries, past):
    for _ in range(past):
        services.plan_start(employee=cast.employee, by=cast.manager)
    client.force_login(cast.manager.user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("pdp:person", args=[cast.employee.pk])).status_code == 200


@pytest.mark.parametrize("actions", [2, 30])
def test_it_shows_a_plan_in_constant_queries(client, cast, django_assert_max_num_queries, actions):
    from pdp.tests.helpers import typical_plan

    plan = typical_plan(employee=cast.employee, actions=actions)
    for user in (cast.employee.user, cast.manager.user):
        client.force_login(user)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("pdp:detail", args=[plan.pk])).status_code == 200
        with django_assert_max_num_queries(16):
            assert client.get(reverse("pdp:history", args=[plan.pk])).status_code == 200
