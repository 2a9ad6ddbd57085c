import datetime

import pytest
from django.utils import timezone

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.forms_record import TEXT_LIMIT
from conversations.models import Conversation, Preparation

from .writing import page_text, record_post, signed_in, url


@pytest.fixture
def conversation(cast):
    return BookedConversationFactory(employee=cast.employee, host=cast.manager)


def test_it_shows_each_tgrow_step_with_its_prompts_beside_it(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.get(url("record", conversation))
    assert response.status_code == 200
    content = page_text(response)
    for step in ["Topic", "Goal", "Reality", "Options", "Way forward"]:
        assert step in content
    assert "What would you like to talk about today?" in content
    assert "how committed are you?" in content
    assert 'aria-describedby="id_topic_prompts"' in content
    assert 'id="id_topic_prompts"' in content
    assert 'type="date" name="support_by"' in content
    assert "Meeting checklist" in content
    assert "data-autosave" in content


def test_it_saves_the_record_and_comes_back_with_a_message(client, cast, conversation):
    client.force_login(cast.manager.user)
    data = record_post(
        conversation,
        topic="Moving into a charge nurse role",
        way_forward="Shadow the charge nurse on nights",
        intention_strength="8",
        support_by="2031-03-31",
        discussed_feedback=True,
        competency_framework="NHS Leadership Framework",
    )
    response = client.post(url("record", conversation), data, follow=True)
    assert response.redirect_chain == [(url("record", conversation), 302)]
    assert "Saved at" in page_text(response)
    conversation.refresh_from_db()
    assert conversation.topic == "Moving into a charge nurse role"
    assert conversation.intention_strength == 8
    assert conversation.support_by == datetime.date(2031, 3, 31)
    assert conversation.discussed_feedback is True
    assert conversation.record_version == 2
    assert conversation.record_updated_at is not None


def test_it_answers_an_autosave_with_the_new_version_as_json(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.post(
        url("record", conversation), {**record_post(conversation, goal="Lead a shift"), "autosave": "1"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 2
    assert body["saved_at"] == timezone.localtime().strftime("%H:%M")
    assert body["message"].startswith("Draft saved at")
    conversation.refresh_from_db()
    assert conversation.goal == "Lead a shift"


def test_it_refuses_a_stale_save_and_keeps_both_texts(cast, conversation):
    first, second = signed_in(cast.manager), signed_in(cast.manager)
    first.get(url("record", conversation))
    second.get(url("record", conversation))

    saved = first.post(url("record", conversation), record_post(conversation, goal="The goal saved first"))
    assert saved.status_code == 302

    response = second.post(url("record", conversation), record_post(conversation, goal="The goal typed second"))
    assert response.status_code == 200
    content = page_text(response)
    assert "A newer version was saved at" in content
    assert "Your text is below, not saved. Here is what changed:" in content
    assert "The goal typed second" in content  # in the form
    assert "The goal saved first" in content  # beside it, as saved
    assert 'href="#id_goal">Goal</a>' in content
    assert 'name="version" value="2"' in content  # saving again is a deliberate choice
    assert 'data-autosave="paused"' in content
    conversation.refresh_from_db()
    assert conversation.goal == "The goal saved first"
    assert conversation.record_version == 2

    again = second.post(url("record", conversation), record_post(conversation, goal="The goal typed second", version=2))
    assert again.status_code == 302
    conversation.refresh_from_db()
    assert conversation.goal == "The goal typed second"


def test_it_answers_a_stale_autosave_with_409(client, cast, conversation):
    client.force_login(cast.manager.user)
    client.post(url("record", conversation), record_post(conversation, reality="Saved elsewhere"))
    response = client.post(
        url("record", conversation), {**record_post(conversation, reality="Typed here", version=1), "autosave": "1"}
    )
    assert response.status_code == 409
    assert "a newer version was saved" in response.json()["message"]
    assert response.json()["changed"] == ["Reality"]
    conversation.refresh_from_db()
    assert conversation.reality == "Saved elsewhere"


def test_it_accepts_a_stale_save_that_holds_the_same_text(client, cast, conversation):
    client.force_login(cast.manager.user)
    data = record_post(conversation, options="The same in both windows")
    client.post(url("record", conversation), data)
    response = client.post(url("record", conversation), {**data, "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["version"] == 3


def test_it_keeps_overlong_text_with_a_message_beside_the_field(client, cast, conversation):
    client.force_login(cast.manager.user)
    long_text = "x" * (TEXT_LIMIT + 1)
    response = client.post(url("record", conversation), record_post(conversation, options=long_text))
    assert response.status_code == 200
    content = page_text(response)
    assert f"This is {TEXT_LIMIT + 1:,} characters long; the limit is {TEXT_LIMIT:,}." in content
    assert 'id="id_options_error"' in content
    assert long_text in content
    conversation.refresh_from_db()
    assert conversation.options == ""


def test_it_answers_an_overlong_autosave_with_400_and_a_message(client, cast, conversation):
    client.force_login(cast.manager.user)
    data = {**record_post(conversation, goal="y" * (TEXT_LIMIT + 5)), "autosave": "1"}
    response = client.post(url("record", conversation), data)
    assert response.status_code == 400
    assert response.json()["message"].startswith("Not saved: Goal: This is 10,005 characters long")


@pytest.mark.parametrize("strength", ["0", "11", "ten"])
def test_it_refuses_an_intention_strength_outside_1_to_10(client, cast, conversation, strength):
    client.force_login(cast.manager.user)
    response = client.post(url("record", conversation), record_post(conversation, intention_strength=strength))
    assert response.status_code == 200
    assert 'id="id_intention_strength_error"' in page_text(response)
    conversation.refresh_from_db()
    assert conversation.intention_strength is None


def test_it_shows_the_record_read_only_once_the_host_signed_it_off(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())
    client.force_login(cast.manager.user)
    response = client.get(url("record", conversation))
    assert response.status_code == 200
    content = page_text(response)
    assert "You signed off the record on" in content
    assert "data-autosave" not in content
    assert "readonly" in content
    assert 'type="submit"' not in content.split("<main")[1]


def test_it_refuses_a_save_after_sign_off_with_a_message_and_keeps_the_text(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())
    client.force_login(cast.manager.user)
    response = client.post(url("record", conversation), record_post(conversation, goal="Too late"))
    assert response.status_code == 409
    content = page_text(response)
    assert "Not saved" in content
    assert "You signed off the record on" in content
    assert "Too late" in content
    conversation.refresh_from_db()
    assert conversation.goal == "Lead shifts on Ward 7 within a year"


def test_it_refuses_an_autosave_after_sign_off_with_409(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())
    client.force_login(cast.manager.user)
    response = client.post(url("record", conversation), {**record_post(conversation, goal="Late"), "autosave": "1"})
    assert response.status_code == 409
    assert response.json()["message"].startswith("Not saved: You signed off the record")


def test_it_refuses_a_save_when_the_record_was_signed_off_in_another_window(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    client.get(url("record", conversation))
    Conversation.objects.filter(pk=conversation.pk).update(host_signed_off_at=timezone.now())
    response = client.post(url("record", conversation), record_post(conversation, goal="After sign-off"))
    assert response.status_code == 409
    assert "You signed off the record on" in page_text(response)


def test_it_explains_that_the_record_opens_once_booked(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.get(url("record", conversation))
    assert response.status_code == 200
    assert "The record opens once the conversation is booked." in page_text(response)


def test_it_refuses_a_post_without_a_version_with_a_message(client, cast, conversation):
    client.force_login(cast.manager.user)
    data = record_post(conversation, topic="No version")
    del data["version"]
    response = client.post(url("record", conversation), data)
    assert response.status_code == 200
    assert "this page was out of date" in page_text(response)
    assert "No version" in page_text(response)


@pytest.mark.parametrize("role", ["employee", "senior_manager", "other_manager", "supporter", "hr"])
def test_it_is_404_for_everyone_but_the_host(client, cast, conversation, role):
    client.force_login(getattr(cast, role).user)
    assert client.get(url("record", conversation)).status_code == 404
    assert client.post(url("record", conversation), record_post(conversation, goal="Not mine")).status_code == 404
    conversation.refresh_from_db()
    assert conversation.goal == ""


def test_it_is_404_for_someone_elses_conversation_id(client, cast):
    theirs = BookedConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.manager.user)
    assert client.get(url("record", theirs)).status_code == 404
    assert client.get("/conversations/999999/record/").status_code == 404


def test_it_shows_the_host_the_preparation_once_shared_and_not_before(client, cast, conversation):
    preparation = Preparation.objects.create(conversation=conversation, achievements="Led the ward audit")
    client.force_login(cast.manager.user)
    assert "Led the ward audit" not in page_text(client.get(url("record", conversation)))
    preparation.shared_at = timezone.now()
    preparation.save()
    content = page_text(client.get(url("record", conversation)))
    assert "Led the ward audit" in content
    assert "preparation, shared" in content
