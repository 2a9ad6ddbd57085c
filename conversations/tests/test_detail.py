import datetime

import pytest
from django.urls import reverse

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation
from people.models import AccessLogRecord


def detail(conversation):
    return reverse("conversations:detail", args=[conversation.pk])


def test_it_offers_the_host_accept_and_decline_on_a_request(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager, statement="I want to grow.")
    client.force_login(cast.manager.user)
    response = client.get(detail(conversation))
    # The checklist and private notes are moves of the state machine too (conversations.states).
    assert response.context["actions"] == {"book", "decline", "cancel", "edit_checklist", "keep_private_notes"}
    content = response.content.decode()
    assert "Accept and book" in content
    assert "I want to grow." in content


def test_it_shows_the_employee_whose_turn_it_is(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    response = client.get(detail(conversation))
    assert response.context["actions"] == {"cancel", "prepare"}
    assert f"Waiting for {cast.manager.user.first_name} to book a time" in response.content.decode()


def test_it_lets_the_host_mark_held_only_once_the_time_has_come(client, cast):
    upcoming = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    client.post(reverse("conversations:hold", args=[upcoming.pk]))
    upcoming.refresh_from_db()
    assert upcoming.status == Conversation.Status.BOOKED

    upcoming.starts_at = datetime.datetime(2026, 1, 5, 10, 0, tzinfo=datetime.UTC)
    upcoming.save()
    past = upcoming
    client.post(reverse("conversations:hold", args=[past.pk]))
    past.refresh_from_db()
    assert past.status == Conversation.Status.HELD
    assert past.held_at is not None


def test_it_signs_off_host_first_then_employee(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    sign_off = reverse("conversations:sign_off", args=[conversation.pk])

    client.force_login(cast.employee.user)
    response = client.post(sign_off, follow=True)
    assert "not possible now" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.employee_signed_off_at is None

    client.force_login(cast.manager.user)
    client.post(sign_off)
    conversation.refresh_from_db()
    assert conversation.host_signed_off_at is not None
    assert conversation.status == Conversation.Status.HELD

    client.force_login(cast.employee.user)
    client.post(sign_off)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SIGNED_OFF
    assert conversation.employee_signed_off_at is not None


def test_it_refuses_a_second_sign_off_clearly(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    client.post(reverse("conversations:sign_off", args=[conversation.pk]))
    response = client.post(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    assert response.status_code == 200
    assert "not possible now" in response.content.decode()


def test_it_lets_managers_up_the_line_and_hr_read_and_logs_it(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    for reader in (cast.senior_manager, cast.hr):
        client.force_login(reader.user)
        response = client.get(detail(conversation))
        assert response.status_code == 200
        assert response.context["actions"] == set()
    assert set(AccessLogRecord.objects.values_list("entry__user__username", flat=True)) == {"senior", "hr"}
    assert set(AccessLogRecord.objects.values_list("record_type", flat=True)) == {"conversations.conversation"}


def test_it_keeps_career_conversations_from_the_line_manager(client, cast):
    career = ConversationFactory(
        employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER, origin="supporter_request"
    )
    client.force_login(cast.manager.user)
    assert client.get(detail(career)).status_code == 404
    client.force_login(cast.supporter.user)
    assert client.get(detail(career)).status_code == 200


def test_it_answers_404_to_other_people(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    for outsider in (cast.other_employee, cast.other_manager, cast.supporter):
        client.force_login(outsider.user)
        assert client.get(detail(conversation)).status_code == 404
        assert client.post(reverse("conversations:cancel", args=[conversation.pk]), {"reason": "x"}).status_code == 404
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.BOOKED


def test_it_saves_the_hosts_preparation_checklist(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    client.post(reverse("conversations:checklist", args=[conversation.pk]), {"prep_framework": "on"})
    conversation.refresh_from_db()
    assert conversation.prep_framework
    assert not conversation.prep_read_last_review


def test_it_keeps_the_checklist_to_the_host(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    assert "preparation checklist" not in client.get(detail(conversation)).content.decode()
    response = client.post(reverse("conversations:checklist", args=[conversation.pk]), {"prep_framework": "on"})
    assert response.status_code == 404


@pytest.mark.parametrize("blank", ["topic", "way_forward"])
def test_it_does_not_offer_or_allow_signing_off_an_empty_record(client, cast, blank):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, **{blank: "  "})
    sign_off = reverse("conversations:sign_off", args=[conversation.pk])
    client.force_login(cast.manager.user)

    page = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert f'href="{sign_off}"' not in page
    assert "Write the Topic and the Way forward before you sign off" in page
    response = client.post(sign_off, follow=True)
    assert "Write the Topic and the Way forward before you sign off" in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.host_signed_off_at is None


def test_it_offers_signing_off_once_topic_and_way_forward_have_text(client, cast):
    conversation = HeldConversationFactory(
        employee=cast.employee, host=cast.manager, topic="Ward leadership", way_forward="Shadow the charge nurse."
    )
    client.force_login(cast.manager.user)
    page = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert f'href="{reverse("conversations:sign_off", args=[conversation.pk])}"' in page
