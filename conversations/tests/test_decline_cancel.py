from django.urls import reverse

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation


def test_it_declines_with_a_reason_the_employee_reads(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager, origin="nomination")
    client.force_login(cast.manager.user)
    client.post(
        reverse("conversations:decline", args=[conversation.pk]), {"reason": "Let's talk after your preceptorship."}
    )
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.DECLINED
    client.force_login(cast.employee.user)
    content = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "after your preceptorship" in content


def test_it_requires_a_reason_to_decline(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:decline", args=[conversation.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.REQUESTED


def test_it_lets_either_person_cancel_a_booking(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    client.post(reverse("conversations:cancel", args=[conversation.pk]), {"reason": "I am on leave that week."})
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CANCELLED
    assert conversation.cancel_reason == "I am on leave that week."
    assert conversation.calendar_sequence == 1


def test_it_refuses_to_cancel_a_held_conversation(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:cancel", args=[conversation.pk]), {"reason": "x"}, follow=True)
    assert "not possible now" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.HELD


def test_it_does_not_decline_twice(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    url = reverse("conversations:decline", args=[conversation.pk])
    client.post(url, {"reason": "Not now."})
    response = client.post(url, {"reason": "Again."}, follow=True)
    assert "not possible now" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.decline_reason == "Not now."
