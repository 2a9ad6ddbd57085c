"""Ids typed into a query string (?employee=, ?supporter=, ?objective=, ?conversation=) that are
not plain whole numbers a row could have are ignored: the page opens as if none was given, never 500.

`str.isdigit()` accepts characters such as '²' that `int()` refuses, and a long run of digits
overflows the database's integer."""

import pytest
from django.urls import reverse

from conversations.factories import HeldConversationFactory, SupporterProfileFactory
from pdp.factories import ObjectiveFactory, PlanFactory
from people.access import SUPPORTER_GROUP
from people.factories import add_to_group

NOT_IDS = ["²", "1²", "١٢", "99999999999999999999", "9223372036854775808", "-1", " 1", "1.0", "0x1"]


@pytest.mark.parametrize("raw", NOT_IDS)
def test_it_ignores_a_preselected_employee_that_is_not_an_id(client, cast, raw):
    client.force_login(cast.manager.user)
    response = client.get(reverse("conversations:start"), {"employee": raw})
    assert response.status_code == 200
    assert response.context["form"].initial.get("employee") is None


@pytest.mark.parametrize("raw", NOT_IDS)
def test_it_ignores_a_preselected_supporter_that_is_not_an_id(client, cast, raw):
    add_to_group(cast.supporter.user, SUPPORTER_GROUP)
    SupporterProfileFactory(employee=cast.supporter)
    client.force_login(cast.employee.user)
    response = client.get(reverse("conversations:nominate"), {"supporter": raw})
    assert response.status_code == 200
    assert response.context["form"].initial["host"] == cast.manager.pk


@pytest.mark.parametrize("raw", NOT_IDS)
def test_it_ignores_a_preselected_objective_that_is_not_an_id(client, cast, raw):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    ObjectiveFactory(plan=plan)
    client.force_login(cast.manager.user)
    response = client.get(reverse("pdp:action_add", args=[plan.pk]), {"objective": raw})
    assert response.status_code == 200
    assert response.context["form"].initial.get("objective") is None


@pytest.mark.parametrize("raw", NOT_IDS)
def test_it_ignores_a_chosen_conversation_that_is_not_an_id(client, cast, raw):
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.get(reverse("grid:place", args=[cast.employee.pk]), {"conversation": raw})
    assert response.status_code == 200
    assert response.context["form"].initial["conversation"] == held.pk


def test_it_still_takes_a_plain_id(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    objective = ObjectiveFactory(plan=plan)
    client.force_login(cast.manager.user)
    response = client.get(reverse("pdp:action_add", args=[plan.pk]), {"objective": str(objective.pk)})
    assert response.context["form"].initial["objective"] == objective.pk
