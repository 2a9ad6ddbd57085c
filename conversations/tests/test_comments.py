import pytest
from django.utils import timezone

from conversations.factories import BookedConversationFactory, HeldConversationFactory
from conversations.forms_record import TEXT_LIMIT
from conversations.models import Conversation

from .writing import page_text, signed_in, url


@pytest.fixture
def signed_off_by_host(cast):
    return HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())


def comments_post(text, version=1) -> dict:
    return {"employee_comments": text, "version": str(version)}


def test_it_shows_the_record_beside_the_comments(client, cast, signed_off_by_host):
    client.force_login(cast.employee.user)
    response = client.get(url("comments", signed_off_by_host))
    assert response.status_code == 200
    content = page_text(response)
    assert "Lead shifts on Ward 7 within a year" in content
    assert "data-autosave" in content


def test_it_saves_the_comments(client, cast, signed_off_by_host):
    client.force_login(cast.employee.user)
    response = client.post(url("comments", signed_off_by_host), comments_post("I agree with the plan."), follow=True)
    assert "Saved at" in page_text(response)
    signed_off_by_host.refresh_from_db()
    assert signed_off_by_host.employee_comments == "I agree with the plan."
    assert signed_off_by_host.comments_version == 2


def test_it_answers_an_autosave_with_json(client, cast, signed_off_by_host):
    client.force_login(cast.employee.user)
    response = client.post(url("comments", signed_off_by_host), {**comments_post("Draft"), "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_it_refuses_a_stale_save_and_keeps_both_texts(cast, signed_off_by_host):
    first, second = signed_in(cast.employee), signed_in(cast.employee)
    first.post(url("comments", signed_off_by_host), comments_post("From my laptop"))
    response = second.post(url("comments", signed_off_by_host), comments_post("From my phone"))
    assert response.status_code == 200
    content = page_text(response)
    assert "A newer version was saved at" in content
    assert "From my laptop" in content
    assert "From my phone" in content
    signed_off_by_host.refresh_from_db()
    assert signed_off_by_host.employee_comments == "From my laptop"
    autosave = second.post(url("comments", signed_off_by_host), {**comments_post("Again"), "autosave": "1"})
    assert autosave.status_code == 409


def test_it_keeps_overlong_comments_with_a_message(client, cast, signed_off_by_host):
    client.force_login(cast.employee.user)
    response = client.post(url("comments", signed_off_by_host), comments_post("c" * (TEXT_LIMIT + 1)))
    assert response.status_code == 200
    assert 'id="id_employee_comments_error"' in page_text(response)


def test_it_shows_the_page_read_only_until_the_host_signs_off(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.employee.user)
    response = client.get(url("comments", conversation))
    assert response.status_code == 200
    content = page_text(response)
    assert f"You can add comments once {cast.manager.user.first_name} has written and signed off the record." in content
    assert "data-autosave" not in content
    refused = client.post(url("comments", conversation), comments_post("Too early"))
    assert refused.status_code == 409
    assert "Too early" in page_text(refused)
    conversation.refresh_from_db()
    assert conversation.employee_comments == ""


def test_it_refuses_comments_once_the_employee_signed_off(client, cast):
    conversation = HeldConversationFactory(
        employee=cast.employee,
        host=cast.manager,
        status=Conversation.Status.SIGNED_OFF,
        host_signed_off_at=timezone.now(),
        employee_signed_off_at=timezone.now(),
        employee_comments="Final words",
    )
    client.force_login(cast.employee.user)
    response = client.post(url("comments", conversation), {**comments_post("Changed my mind"), "autosave": "1"})
    assert response.status_code == 409
    assert "your comments are final" in response.json()["message"]
    conversation.refresh_from_db()
    assert conversation.employee_comments == "Final words"


@pytest.mark.parametrize("role", ["manager", "senior_manager", "hr", "other_employee", "supporter"])
def test_it_is_404_for_everyone_but_the_employee(client, cast, signed_off_by_host, role):
    client.force_login(getattr(cast, role).user)
    assert client.get(url("comments", signed_off_by_host)).status_code == 404
    assert client.post(url("comments", signed_off_by_host), comments_post("Not mine")).status_code == 404
