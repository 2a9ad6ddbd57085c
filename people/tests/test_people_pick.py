"""The person picker: /people/pick/ finds the people the user may choose, by name; forms take a
typed name, or the person picked from the list."""

import pytest
from django.urls import reverse

from grid.factories import CriticalRoleFactory
from grid.models import Successor
from people.factories import EmployeeFactory, UserFactory, make_hr

URL = reverse("people_pick")


def named(first, last, **fields):
    return EmployeeFactory(user=UserFactory(first_name=first, last_name=last), **fields)


def test_it_lists_matches_by_full_name_as_choices_named_after_the_field(client, cast):
    sarah = named("Sarah", "Thompson", line_manager=cast.manager)
    named("Sarah", "Okafor", line_manager=cast.manager)
    client.force_login(cast.hr.user)

    response = client.get(URL, {"field": "staff_number", "staff_number": "Thompson Sarah"})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'name="staff_number_pick" id="staff_number_pick_{sarah.pk}" value="{sarah.staff_number}"' in content
    assert "Okafor" not in content
    assert "<html" not in content  # a fragment for htmx to swap in


def test_it_answers_json_too(client, cast):
    sarah = named("Sinéad", "Thompson", job_title="Matron")
    client.force_login(cast.hr.user)
    data = client.get(URL, {"q": "sinead", "format": "json"}).json()
    assert data == {
        "results": [
            {
                "staff_number": sarah.staff_number,
                "name": "Sinéad Thompson",
                "job_title": "Matron",
                "department": sarah.department.name,
            }
        ],
        "more": False,
    }


def test_it_offers_a_manager_only_their_line_and_themselves(client, cast):
    client.force_login(cast.manager.user)
    names = {row["name"] for row in client.get(URL, {"q": "", "format": "json"}).json()["results"]}
    assert names == set()
    found = lambda q: {row["staff_number"] for row in client.get(URL, {"q": q, "format": "json"}).json()["results"]}  # noqa: E731
    assert found(cast.employee.user.last_name) >= {cast.employee.staff_number}
    assert cast.other_employee.staff_number not in found(cast.other_employee.user.last_name)
    assert found(cast.other_employee.staff_number) == set()
    assert found(cast.manager.staff_number) == {cast.manager.staff_number}


def test_it_leaves_out_leavers(client, cast):
    leaver = named("Sarah", "Gone")
    leaver.user.is_active = False
    leaver.user.save()
    client.force_login(cast.hr.user)
    assert client.get(URL, {"q": "Sarah Gone", "format": "json"}).json()["results"] == []


@pytest.mark.parametrize("people", [10, 200])
def test_it_searches_in_constant_queries(client, db, django_assert_max_num_queries, people):
    hr = make_hr()
    for index in range(people):
        named("Sarah", f"Thompson{index}")
    client.force_login(hr.user)
    with django_assert_max_num_queries(9):  # session, user, roles, the search: not one per person
        data = client.get(URL, {"q": "sarah thom", "format": "json"}).json()
    assert len(data["results"]) == min(people, 10)
    assert data["more"] is (people > 10)


# Forms: without JavaScript a name is typed and submitted; several matches are listed to choose.


def test_a_successor_can_be_named_by_typing_their_full_name(client, cast):
    role = CriticalRoleFactory(incumbent=cast.manager)
    sarah = named("Sarah", "Thompson")
    client.force_login(cast.hr.user)
    url = reverse("grid:succession_role", args=[role.pk])
    response = client.post(url, {"staff_number": "Thompson, Sarah", "readiness": "1"})
    assert response.status_code == 302
    assert Successor.objects.get().employee == sarah


def test_several_matches_are_listed_beside_the_field_and_one_can_be_chosen(client, cast):
    role = CriticalRoleFactory(incumbent=cast.manager)
    first, second = named("Sarah", "Thompson"), named("Sarah", "Thomas")
    client.force_login(cast.hr.user)
    url = reverse("grid:succession_role", args=[role.pk])

    response = client.post(url, {"staff_number": "Sarah Thom", "readiness": "1", "notes": "Kept."})
    content = response.content.decode()
    assert response.status_code == 200
    assert "2 people match “Sarah Thom”: choose one below" in content
    assert f'value="{first.staff_number}"' in content
    assert f'value="{second.staff_number}"' in content
    assert 'value="Sarah Thom"' in content
    assert "Kept." in content
    assert not Successor.objects.exists()

    client.post(url, {"staff_number": "Sarah Thom", "staff_number_pick": second.staff_number, "readiness": "1"})
    assert Successor.objects.get().employee == second


def test_the_line_manager_filter_takes_a_name(client, cast):
    client.force_login(cast.senior_manager.user)
    response = client.get(reverse("grid:dashboard"), {"manager": cast.manager.full_name})
    assert response.status_code == 200
    assert response.context["form"].cleaned_data["manager"] == cast.manager
    response = client.get(reverse("grid:dashboard"), {"manager": cast.other_manager.full_name})
    assert "No one you can choose here matches" in response.content.decode()
