import pytest
from django.utils import timezone

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.forms_record import TEXT_LIMIT
from conversations.models import Conversation, Preparation

from .writing import page_text, preparation_post, signed_in, url


@pytest.fixture
def conversation(cast):
    return BookedConversationFactory(employee=cast.employee, host=cast.manager)


def test_it_asks_the_eight_questions_as_a_private_draft(client, cast, conversation):
    client.force_login(cast.employee.user)
    response = client.get(url("prepare", conversation))
    assert response.status_code == 200
    content = page_text(response)
    for question in Preparation.QUESTIONS.values():
        assert question.replace("'", "&#x27;") in content
    assert "Private draft: only you can see these answers." in content
    assert "Save draft" in content
    assert f"Share with {cast.manager.user.first_name}" in content
    assert not Preparation.objects.exists()  # opening the page creates nothing


def test_it_saves_a_draft_without_sharing_it(client, cast, conversation):
    client.force_login(cast.employee.user)
    response = client.post(
        url("prepare", conversation), preparation_post(achievements="Ran the falls audit"), follow=True
    )
    assert "Draft saved at" in page_text(response)
    preparation = Preparation.objects.get(conversation=conversation)
    assert preparation.achievements == "Ran the falls audit"
    assert preparation.shared_at is None
    assert preparation.version == 2


def test_it_shares_the_answers_on_submit(client, cast, conversation, django_capture_on_commit_callbacks):
    client.force_login(cast.employee.user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            url("prepare", conversation), {**preparation_post(enjoyed="Teaching students"), "share": "1"}, follow=True
        )
    content = page_text(response)
    host = cast.manager.user.first_name
    assert f"Shared with {host} at" in content
    assert f"<strong>Shared with {host}</strong>" in content
    assert "Save changes" in content
    assert len(callbacks) == 1  # the host is told
    assert Preparation.objects.get(conversation=conversation).shared_at is not None


def test_it_answers_an_autosave_with_json_and_never_shares(client, cast, conversation):
    client.force_login(cast.employee.user)
    response = client.post(url("prepare", conversation), {**preparation_post(outcomes="Fewer falls"), "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response.json()["message"].startswith("Draft saved at")
    assert Preparation.objects.get(conversation=conversation).shared_at is None


def test_it_refuses_a_stale_save_and_keeps_both_texts(cast, conversation):
    first, second = signed_in(cast.employee), signed_in(cast.employee)
    first.post(url("prepare", conversation), preparation_post(development="Saved on the ward PC"))
    response = second.post(url("prepare", conversation), preparation_post(development="Typed on my phone"))
    assert response.status_code == 200
    content = page_text(response)
    assert "A newer version was saved at" in content
    assert "Typed on my phone" in content
    assert "Saved on the ward PC" in content
    assert Preparation.objects.get(conversation=conversation).development == "Saved on the ward PC"


def test_it_answers_a_stale_autosave_with_409(cast, conversation):
    first, second = signed_in(cast.employee), signed_in(cast.employee)
    first.post(url("prepare", conversation), preparation_post(enjoyed="First"))
    response = second.post(url("prepare", conversation), {**preparation_post(enjoyed="Second"), "autosave": "1"})
    assert response.status_code == 409
    assert Preparation.objects.get(conversation=conversation).enjoyed == "First"


def test_it_keeps_overlong_text_with_a_message_beside_the_field(client, cast, conversation):
    client.force_login(cast.employee.user)
    long_text = "z" * (TEXT_LIMIT + 2)
    response = client.post(url("prepare", conversation), preparation_post(difficulties=long_text))
    assert response.status_code == 200
    content = page_text(response)
    assert 'id="id_difficulties_error"' in content
    assert long_text in content
    assert not Preparation.objects.exists()


def test_it_keeps_the_draft_from_the_host_until_shared(cast, conversation):
    employee, host = signed_in(cast.employee), signed_in(cast.manager)
    employee.post(url("prepare", conversation), preparation_post(aspirations="Run the ward one day"))

    assert host.get(url("prepare", conversation)).status_code == 404
    assert "Run the ward one day" not in page_text(host.get(url("record", conversation)))

    employee.post(
        url("prepare", conversation), {**preparation_post(aspirations="Run the ward one day", version=2), "share": "1"}
    )
    assert host.get(url("prepare", conversation)).status_code == 404  # the host reads answers elsewhere
    assert "Run the ward one day" in page_text(host.get(url("record", conversation)))


def test_it_keeps_the_draft_from_the_host_on_the_detail_page_until_shared(cast, conversation):
    employee, host = signed_in(cast.employee), signed_in(cast.manager)
    detail = url("detail", conversation)
    employee.post(url("prepare", conversation), preparation_post(aspirations="Run the ward one day"))
    assert "Run the ward one day" not in page_text(host.get(detail))
    employee.post(
        url("prepare", conversation), {**preparation_post(aspirations="Run the ward one day", version=2), "share": "1"}
    )
    assert "Run the ward one day" in page_text(host.get(detail))


@pytest.mark.parametrize("role", ["senior_manager", "hr", "other_manager", "supporter"])
def test_it_never_shows_the_answers_to_anyone_else(cast, conversation, role):
    Preparation.objects.create(conversation=conversation, enjoyed="Night shifts", shared_at=timezone.now())
    other = signed_in(getattr(cast, role))
    assert other.get(url("prepare", conversation)).status_code == 404
    assert "Night shifts" not in page_text(other.get(url("detail", conversation)))


@pytest.mark.parametrize("status", [Conversation.Status.HELD, Conversation.Status.SIGNED_OFF])
def test_it_shows_the_preparation_read_only_once_held(client, cast, status):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, status=status)
    Preparation.objects.create(conversation=conversation, enjoyed="Mentoring")
    client.force_login(cast.employee.user)
    response = client.get(url("prepare", conversation))
    assert response.status_code == 200
    content = page_text(response)
    assert "Your conversation has been held, so your preparation can no longer be changed." in content
    assert "Mentoring" in content
    assert "data-autosave" not in content


def test_it_refuses_a_save_once_held_with_a_message(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    response = client.post(url("prepare", conversation), preparation_post(enjoyed="After the meeting"))
    assert response.status_code == 409
    content = page_text(response)
    assert "can no longer be changed" in content
    assert "After the meeting" in content
    assert not Preparation.objects.exists()


def test_it_lets_the_employee_prepare_before_booking(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    response = client.post(url("prepare", conversation), preparation_post(responsibilities="Ward 7 nights"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["manager", "other_employee", "senior_manager", "hr"])
def test_it_is_404_for_everyone_but_the_employee(client, cast, conversation, role):
    client.force_login(getattr(cast, role).user)
    assert client.get(url("prepare", conversation)).status_code == 404
    assert client.post(url("prepare", conversation), preparation_post(enjoyed="Not mine")).status_code == 404
    assert not Preparation.objects.exists()
