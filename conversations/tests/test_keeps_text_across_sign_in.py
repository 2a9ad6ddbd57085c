"""Text posted after the session ended survives signing in again (conversations.middleware)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from conversations.factories import BookedConversationFactory
from conversations.models import Preparation
from people.factories import PASSWORD

from .writing import page_text, preparation_post, record_post, url


@pytest.fixture
def conversation(cast):
    return BookedConversationFactory(employee=cast.employee, host=cast.manager)


def sign_in(client, employee, next_url=""):
    response = client.post(
        reverse("login"), {"username": employee.user.username, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302, "the sign-in failed"
    return response


def end_the_session():
    """What an idle timeout does: the session is gone on the server, the browser still sends its cookie."""
    Session.objects.all().delete()


def test_it_keeps_the_text_through_signing_in_again(client, cast, conversation):
    page = url("record", conversation)
    sign_in(client, cast.manager)
    client.get(page)
    end_the_session()

    response = client.post(page, record_post(conversation, goal="A long goal typed over lunch"))
    login = f"{reverse('login')}?next={page}"
    assert response.status_code == 302
    assert response["Location"] == login
    assert "Your session had ended. Sign in again and your text will be restored." in page_text(client.get(login))

    signed_in = sign_in(client, cast.manager, next_url=page)
    assert signed_in["Location"] == page
    restored = client.get(page)
    content = page_text(restored)
    assert "We kept the text you typed before your session ended. It is not saved yet: check it and save." in content
    assert "A long goal typed over lunch" in content
    conversation.refresh_from_db()
    assert conversation.goal == ""  # not saved until the person saves

    assert "A long goal typed over lunch" not in page_text(client.get(page))  # kept once, then gone


def test_it_keeps_the_text_with_csrf_checks_on(cast, conversation):
    client = Client(enforce_csrf_checks=True)
    page = url("prepare", conversation)

    def token():
        return client.cookies["csrftoken"].value

    client.get(reverse("login"))
    client.post(
        reverse("login"),
        {"username": cast.employee.user.username, "password": PASSWORD, "csrfmiddlewaretoken": token()},
    )
    client.get(page)
    end_the_session()

    response = client.post(
        page, {**preparation_post(enjoyed="Typed before the timeout"), "csrfmiddlewaretoken": token()}
    )
    assert response.status_code == 302
    client.get(response["Location"])
    client.post(
        reverse("login"),
        {"username": cast.employee.user.username, "password": PASSWORD, "next": page, "csrfmiddlewaretoken": token()},
    )
    content = page_text(client.get(page))
    assert "Typed before the timeout" in content
    assert "We kept the text you typed" in content

    saved = client.post(page, {**preparation_post(enjoyed="Typed before the timeout"), "csrfmiddlewaretoken": token()})
    assert saved.status_code == 302
    assert Preparation.objects.get().enjoyed == "Typed before the timeout"


def test_it_answers_an_autosave_after_the_session_ended_with_401(client, cast, conversation):
    page = url("private_notes", conversation)
    sign_in(client, cast.manager)
    end_the_session()
    response = client.post(page, {"text": "Autosaved while signed out", "version": "1", "autosave": "1"})
    assert response.status_code == 401
    assert response.json()["message"].startswith("Not saved: you may have been signed out.")
    sign_in(client, cast.manager)
    assert "Autosaved while signed out" in page_text(client.get(page))


def test_it_shows_the_kept_text_only_on_the_page_it_was_typed_on(client, cast, conversation):
    sign_in(client, cast.manager)
    end_the_session()
    client.post(url("record", conversation), record_post(conversation, topic="Only for the record page"))
    sign_in(client, cast.manager)
    assert "Only for the record page" not in page_text(client.get(url("private_notes", conversation)))
    assert "Only for the record page" in page_text(client.get(url("record", conversation)))


def test_it_leaves_other_pages_to_the_sign_in_redirect(client, cast, conversation):
    response = client.post(url("checklist", conversation), {"prep_framework": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "kept_text" not in client.session


def test_it_does_not_keep_text_too_long_to_hold(client, cast, conversation):
    response = client.post(url("private_notes", conversation), {"text": "x" * 250_000, "version": "1"}, follow=True)
    assert "your text was too long to keep" in page_text(response)
    assert "kept_text" not in client.session
