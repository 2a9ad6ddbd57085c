from django.contrib.auth.models import Group
from django.urls import reverse

from conversations.factories import SupporterProfileFactory
from conversations.models import SupporterProfile
from people.access import SUPPORTER_GROUP

DIRECTORY = reverse("conversations:supporters")
PROFILE = reverse("conversations:supporter_profile")


def make_listed(employee, **kwargs):
    employee.user.groups.add(Group.objects.get(name=SUPPORTER_GROUP))
    return SupporterProfileFactory(employee=employee, **kwargs)


def test_it_lists_supporters_with_what_they_help_with(client, cast):
    make_listed(cast.supporter, help_with="Research careers and clinical academic routes.")
    client.force_login(cast.employee.user)
    content = client.get(DIRECTORY).content.decode()
    assert cast.supporter.full_name in content
    assert "Research careers" in content
    assert f"?supporter={cast.supporter.pk}" in content


def test_it_searches_what_they_help_with(client, cast):
    make_listed(cast.supporter, help_with="Research careers.")
    client.force_login(cast.employee.user)
    assert cast.supporter.full_name not in client.get(DIRECTORY, {"q": "finance"}).content.decode()
    assert cast.supporter.full_name in client.get(DIRECTORY, {"q": "research"}).content.decode()


def test_it_shows_who_has_no_capacity_without_an_ask_button(client, cast):
    make_listed(cast.supporter, has_capacity=False)
    client.force_login(cast.employee.user)
    content = client.get(DIRECTORY).content.decode()
    assert "No space for new conversations" in content
    assert f"?supporter={cast.supporter.pk}" not in content


def test_it_leaves_out_people_no_longer_in_the_supporter_group(client, cast):
    SupporterProfileFactory(employee=cast.other_manager)
    client.force_login(cast.employee.user)
    assert cast.other_manager.full_name not in client.get(DIRECTORY).content.decode()


def test_it_lets_a_supporter_write_their_entry(client, cast):
    client.force_login(cast.supporter.user)
    response = client.post(PROFILE, {"help_with": "Moving into management.", "has_capacity": "on"})
    assert response["Location"] == DIRECTORY
    assert SupporterProfile.objects.get(employee=cast.supporter).help_with == "Moving into management."


def test_it_keeps_the_entry_form_to_supporters(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(PROFILE).status_code == 404


def test_it_refuses_an_overlong_entry_beside_the_field(client, cast):
    client.force_login(cast.supporter.user)
    response = client.post(PROFILE, {"help_with": "x" * 1001})
    assert "1,000 characters" in str(response.context["form"].errors["help_with"])


def test_it_ignores_nul_characters_in_the_search(client, cast):
    # PostgreSQL refuses NUL in text; the search drops it rather than fail.
    make_listed(cast.supporter, help_with="Research careers.")
    client.force_login(cast.employee.user)
    for query in ("rese\x00arch", "\x00research", f"{cast.supporter.user.last_name}\x00"):
        response = client.get(DIRECTORY, {"q": query})
        assert response.status_code == 200
        assert cast.supporter.full_name in response.content.decode(), query
        assert "\x00" not in response.content.decode()
    assert client.get(DIRECTORY, {"q": "\x00finance"}).status_code == 200
    assert cast.supporter.full_name not in client.get(DIRECTORY, {"q": "\x00finance"}).content.decode()
