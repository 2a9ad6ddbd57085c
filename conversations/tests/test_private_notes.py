import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.factories import BookedConversationFactory, HeldConversationFactory
from conversations.forms_record import TEXT_LIMIT
from conversations.models import Conversation, PrivateNote
from people.factories import EmployeeFactory

from .writing import page_text, signed_in, url

SECRET = "Worried about her confidence after the incident review"


@pytest.fixture
def conversation(cast):
    return BookedConversationFactory(employee=cast.employee, host=cast.manager)


def note_post(text, version=1) -> dict:
    return {"text": text, "version": str(version)}


def test_it_tells_the_host_that_only_they_can_see_the_notes(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.get(url("private_notes", conversation))
    assert response.status_code == 200
    assert "Only you can see these notes." in page_text(response)
    assert not PrivateNote.objects.exists()


def test_it_saves_the_notes_for_their_author(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.post(url("private_notes", conversation), note_post(SECRET), follow=True)
    assert "Saved at" in page_text(response)
    assert SECRET in page_text(response)
    note = PrivateNote.objects.get()
    assert (note.author, note.text, note.version) == (cast.manager.user, SECRET, 2)


def test_it_answers_an_autosave_with_json(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.post(url("private_notes", conversation), {**note_post("First thoughts"), "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_it_refuses_a_stale_save_and_keeps_both_texts(cast, conversation):
    first, second = signed_in(cast.manager), signed_in(cast.manager)
    first.post(url("private_notes", conversation), note_post("Written on the ward"))
    response = second.post(url("private_notes", conversation), note_post("Written at home"))
    assert response.status_code == 200
    content = page_text(response)
    assert "A newer version was saved at" in content
    assert "Written on the ward" in content
    assert "Written at home" in content
    assert PrivateNote.objects.get().text == "Written on the ward"

    stale_autosave = second.post(url("private_notes", conversation), {**note_post("Again", 1), "autosave": "1"})
    assert stale_autosave.status_code == 409


def test_it_keeps_overlong_notes_with_a_message(client, cast, conversation):
    client.force_login(cast.manager.user)
    response = client.post(url("private_notes", conversation), note_post("n" * (TEXT_LIMIT + 1)))
    assert response.status_code == 200
    assert 'id="id_text_error"' in page_text(response)
    assert not PrivateNote.objects.exists()


def test_it_lets_the_host_keep_notes_after_sign_off(client, cast):
    conversation = HeldConversationFactory(
        employee=cast.employee, host=cast.manager, status=Conversation.Status.SIGNED_OFF
    )
    client.force_login(cast.manager.user)
    assert client.post(url("private_notes", conversation), note_post("Follow up in March")).status_code == 302


def pages_they_can_open(conversation) -> list[str]:
    return [
        reverse("home"),
        reverse("conversations:list"),
        url("detail", conversation),
        url("record", conversation),
        url("prepare", conversation),
        url("comments", conversation),
        url("private_notes", conversation),
    ]


@pytest.mark.parametrize("role", ["employee", "hr", "other_manager", "supporter", "senior_manager"])
def test_it_keeps_the_notes_from_everyone_but_their_author(cast, role):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())
    author = signed_in(cast.manager)
    author.post(url("private_notes", conversation), note_post(SECRET))
    assert SECRET in page_text(author.get(url("private_notes", conversation)))
    other = signed_in(getattr(cast, role))

    assert other.get(url("private_notes", conversation)).status_code == 404
    assert other.post(url("private_notes", conversation), note_post("Overwritten")).status_code == 404
    for page in pages_they_can_open(conversation):
        response = other.get(page)
        assert response.status_code in {200, 404}, page
        assert SECRET not in page_text(response), page
    assert PrivateNote.objects.get().text == SECRET


def test_it_keeps_a_supporters_notes_from_the_employee_and_their_manager(cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER, started_by=cast.employee.user
    )
    signed_in(cast.supporter).post(url("private_notes", conversation), note_post(SECRET))
    for person in [cast.employee, cast.manager, cast.hr]:
        other = signed_in(person)
        assert other.get(url("private_notes", conversation)).status_code == 404
        for page in pages_they_can_open(conversation):
            assert SECRET not in page_text(other.get(page)), page


def test_it_shows_each_author_only_their_own_note(client, cast, conversation):
    # A note by someone who is not (or no longer) the host stays theirs alone.
    former = EmployeeFactory()
    PrivateNote.objects.create(conversation=conversation, author=former.user, text="Someone else's note")
    client.force_login(cast.manager.user)
    content = page_text(client.get(url("private_notes", conversation)))
    assert "Someone else&#x27;s note" not in content
    assert "Someone else's note" not in content


def test_it_is_404_for_someone_elses_conversation_id(client, cast):
    theirs = BookedConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.manager.user)
    assert client.get(url("private_notes", theirs)).status_code == 404
