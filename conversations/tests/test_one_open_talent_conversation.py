"""One talent conversation under way per employee at a time: requested, booked or held and not
yet signed off. The start and request pages say so and link to the open one."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from conversations import services
from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation
from core.refusal import Refused

START = reverse("conversations:start")
NOMINATE = reverse("conversations:nominate")


def nomination(host):
    return {
        "host": host.pk,
        "reason": Conversation.NominationReason.ASPIRATION,
        "statement": "I would like to step up to band 6.",
        "growth_direction": Conversation.GrowthDirection.STRETCH,
    }


@pytest.mark.parametrize("factory", [ConversationFactory, BookedConversationFactory, HeldConversationFactory])
def test_the_database_refuses_a_second_open_talent_conversation(cast, factory):
    factory(employee=cast.employee, host=cast.manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConversationFactory(employee=cast.employee, host=cast.manager)


def test_the_database_allows_a_new_one_once_the_last_is_over_and_career_conversations_beside_it(cast):
    ConversationFactory(employee=cast.employee, host=cast.manager, status=Conversation.Status.DECLINED)
    HeldConversationFactory(employee=cast.employee, host=cast.manager, status=Conversation.Status.SIGNED_OFF)
    ConversationFactory(employee=cast.employee, host=cast.manager)
    ConversationFactory(employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER)
    assert Conversation.objects.filter(employee=cast.employee).count() == 4


def test_the_service_refuses_cleanly(cast):
    open_one = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    with pytest.raises(Refused, match="already has a talent conversation under way"):
        services.conversation_start(manager=cast.manager, employee=cast.employee)
    with pytest.raises(Refused, match="You already have a talent conversation under way"):
        services.nomination_create(
            employee=cast.employee, host=cast.manager, reason="aspiration", statement="Me.", growth_direction="depth"
        )
    assert list(Conversation.objects.all()) == [open_one]


def test_the_start_page_says_so_beside_the_field_and_links_to_the_open_one(client, cast):
    open_one = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.post(START, {"employee": cast.employee.pk})

    assert response.status_code == 200
    assert "already has a talent conversation under way" in response.context["form"].errors["employee"][0]
    assert reverse("conversations:detail", args=[open_one.pk]) in response.content.decode()
    assert Conversation.objects.count() == 1


def test_the_request_page_says_so_before_and_after_sending(client, cast):
    open_one = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    page = client.get(NOMINATE).content.decode()
    assert "You already have a talent conversation under way" in page
    assert reverse("conversations:detail", args=[open_one.pk]) in page

    response = client.post(NOMINATE, nomination(cast.manager))
    assert response.status_code == 200
    assert "already have a talent conversation under way" in response.context["form"].errors["host"][0]
    assert Conversation.objects.count() == 1


def test_a_career_conversation_can_still_be_asked_for(client, cast):
    from conversations.tests.test_nominate import listed_supporter

    ConversationFactory(employee=cast.employee, host=cast.manager)
    supporter = listed_supporter(cast.supporter)
    client.force_login(cast.employee.user)
    response = client.post(NOMINATE, nomination(supporter))
    assert response.status_code == 302
    assert Conversation.objects.filter(kind=Conversation.Kind.CAREER).count() == 1
