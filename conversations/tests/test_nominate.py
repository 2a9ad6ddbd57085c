from django.contrib.auth.models import Group
from django.urls import reverse

from conversations.factories import SupporterProfileFactory
from conversations.models import Conversation
from people.access import SUPPORTER_GROUP

URL = reverse("conversations:nominate")


def nomination(host, **overrides):
    return {
        "host": host.pk,
        "reason": Conversation.NominationReason.ASPIRATION,
        "statement": "I have led the ward's falls project and would like to step up to band 6.",
        "growth_direction": Conversation.GrowthDirection.STRETCH,
        **overrides,
    }


def listed_supporter(employee):
    employee.user.groups.add(Group.objects.get(name=SUPPORTER_GROUP))
    SupporterProfileFactory(employee=employee)
    return employee


def test_it_nominates_the_employee_to_their_line_manager(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(URL, nomination(cast.manager))
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert (conversation.host, conversation.kind, conversation.origin) == (
        cast.manager,
        Conversation.Kind.TALENT,
        Conversation.Origin.NOMINATION,
    )
    assert conversation.growth_direction == "stretch"
    assert "step up to band 6" in conversation.statement


def test_it_asks_a_career_supporter_for_a_career_conversation(client, cast):
    supporter = listed_supporter(cast.supporter)
    client.force_login(cast.employee.user)
    client.post(URL, nomination(supporter))
    conversation = Conversation.objects.get()
    assert (conversation.host, conversation.kind, conversation.origin) == (
        supporter,
        Conversation.Kind.CAREER,
        Conversation.Origin.SUPPORTER_REQUEST,
    )


def test_it_preselects_a_supporter_from_the_directory(client, cast):
    supporter = listed_supporter(cast.supporter)
    client.force_login(cast.employee.user)
    response = client.get(URL, {"supporter": supporter.pk})
    assert response.context["form"].initial["host"] == supporter.pk


def test_it_refuses_a_host_who_is_neither_manager_nor_supporter(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(URL, nomination(cast.other_manager))
    assert response.status_code == 200
    assert "host" in response.context["form"].errors
    assert not Conversation.objects.exists()


def test_it_refuses_a_supporter_without_capacity(client, cast):
    supporter = listed_supporter(cast.supporter)
    supporter.supporter_profile.has_capacity = False
    supporter.supporter_profile.save()
    client.force_login(cast.employee.user)
    response = client.post(URL, nomination(supporter))
    assert "host" in response.context["form"].errors


def test_it_keeps_an_overlong_statement_and_says_why(client, cast):
    client.force_login(cast.employee.user)
    statement = "I would like to grow. " * 200
    response = client.post(URL, nomination(cast.manager, statement=statement))
    assert response.status_code == 200
    assert "at most 2000 characters" in str(response.context["form"].errors["statement"])
    assert "I would like to grow." in response.content.decode()
    assert not Conversation.objects.exists()


def test_it_requires_a_statement_and_a_direction(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(URL, nomination(cast.manager, statement="", growth_direction=""))
    assert set(response.context["form"].errors) == {"statement", "growth_direction"}
