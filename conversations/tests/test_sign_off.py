"""Marking held and signing off ask once, on a page that says what will happen and who will be
told (conversations.views.sign_off); the answer Yes makes the move, and nothing changes before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from conversations.factories import BookedConversationFactory, HeldConversationFactory
from conversations.models import Conversation, Notice
from conversations.reviews import review_due_dates, reviews_schedule
from conversations.states import SIGN_OFF_NEEDS_TEXT

Status = Conversation.Status


def started(cast, **fields):
    return BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=timezone.now() - datetime.timedelta(hours=1), **fields
    )


def held(cast, **fields):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, **fields)
    reviews_schedule(conversation=conversation)
    return conversation


def day(value) -> str:
    return date_format(value, "j F Y")


def question(client, person, url):
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.templates[0].name == "confirm.html"
    return response.content.decode()


# Marking held --------------------------------------------------------------------------


def test_it_asks_before_marking_held_and_says_which_reviews_it_schedules(client, cast):
    conversation = started(cast)
    hold = reverse("conversations:hold", args=[conversation.pk])
    page = question(client, cast.manager, hold)
    due = review_due_dates(timezone.localdate())
    assert f"Mark the talent conversation with {cast.employee.full_name} as held?" in page
    assert f"the 6-month review is due {day(due['six_month'])}" in page
    assert f"the 12-month review {day(due['twelve_month'])}" in page
    assert f"Nobody is emailed now. {cast.employee.user.first_name} is emailed once you sign off the record." in page
    assert f'<form method="post" action="{hold}"' in page
    assert "Yes, mark as held" in page
    assert f'href="{reverse("conversations:detail", args=[conversation.pk])}">No, back to the conversation' in page
    conversation.refresh_from_db()
    assert conversation.status == Status.BOOKED
    assert not conversation.reviews.exists()


def test_it_marks_held_on_yes_and_says_who_was_told(client, cast):
    conversation = started(cast)
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:hold", args=[conversation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("conversations:record", args=[conversation.pk])
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD
    assert conversation.reviews.count() == 2
    content = response.content.decode()
    assert "Marked as held." in content
    assert f"Nobody has been emailed: {cast.employee.user.first_name} is emailed once you sign off." in content
    assert not Notice.objects.filter(conversation=conversation).exclude(kind="booked").exists()


def test_it_promises_no_reviews_when_holding_a_career_conversation(client, cast):
    conversation = BookedConversationFactory(
        employee=cast.employee,
        host=cast.supporter,
        kind=Conversation.Kind.CAREER,
        origin="supporter_request",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )
    page = question(client, cast.supporter, reverse("conversations:hold", args=[conversation.pk]))
    assert "Mark the career conversation with" in page
    assert "review" not in page[page.index("What will happen") : page.index("Who will be told")]


def test_it_does_not_ask_before_the_time_has_come(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    response = client.get(reverse("conversations:hold", args=[conversation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("conversations:detail", args=[conversation.pk])
    assert "This conversation is booked; that is not possible now." in response.content.decode()


@pytest.mark.parametrize("outsider", ["other_employee", "other_manager", "senior_manager", "hr", "supporter"])
def test_it_asks_nobody_but_the_two_people(client, cast, outsider):
    conversation = started(cast)
    client.force_login(getattr(cast, outsider).user)
    for name in ("hold", "sign_off"):
        assert client.get(reverse(f"conversations:{name}", args=[conversation.pk])).status_code == 404


def test_it_links_to_the_questions_from_the_conversation_and_record_pages(client, cast):
    conversation = started(cast)
    hold = reverse("conversations:hold", args=[conversation.pk])
    client.force_login(cast.manager.user)
    for page in ("detail", "record"):
        content = client.get(reverse(f"conversations:{page}", args=[conversation.pk])).content.decode()
        assert f'href="{hold}"' in content, page
        assert f'action="{hold}"' not in content, page


# Signing off ---------------------------------------------------------------------------


def test_it_asks_the_host_before_signing_off_and_names_who_is_emailed(client, cast):
    conversation = held(cast)
    sign_off = reverse("conversations:sign_off", args=[conversation.pk])
    page = question(client, cast.manager, sign_off)
    assert f"Sign off the record of the talent conversation with {cast.employee.full_name}?" in page
    assert "Moving towards a charge nurse role" in page  # the Topic, to check before signing
    assert "Shadow the charge nurse on two shifts a month" in page  # and the Way forward
    assert "The record is locked: you can no longer change it." in page
    assert f"{cast.employee.full_name} is emailed that the record is ready for them to read and sign off." in page
    six = conversation.reviews.get(kind="six_month")
    assert f"the 6-month review is due {day(six.due_on)}" in page
    assert f'<form method="post" action="{sign_off}"' in page
    conversation.refresh_from_db()
    assert conversation.host_signed_off_at is None
    assert not Notice.objects.filter(kind="ready_for_sign_off").exists()


def test_it_signs_off_for_the_host_on_yes_and_emails_the_employee(client, cast):
    conversation = held(cast)
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    conversation.refresh_from_db()
    assert conversation.host_signed_off_at is not None
    assert Notice.objects.get(kind="ready_for_sign_off").recipient == cast.employee
    assert f"Signed off. {cast.employee.full_name} has been emailed to read and sign off" in response.content.decode()


@pytest.mark.parametrize("blank", ["topic", "way_forward"])
def test_it_does_not_ask_to_sign_off_an_empty_record(client, cast, blank):
    conversation = held(cast, **{blank: ""})
    client.force_login(cast.manager.user)
    response = client.get(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("conversations:detail", args=[conversation.pk])
    assert SIGN_OFF_NEEDS_TEXT in response.content.decode()


def test_it_asks_the_employee_before_their_sign_off_and_says_what_comes_next(client, cast):
    conversation = held(cast, host_signed_off_at=timezone.now(), employee_comments="Thank you: agreed.")
    page = question(client, cast.employee, reverse("conversations:sign_off", args=[conversation.pk]))
    assert f"Sign off the record of your talent conversation with {cast.manager.full_name}?" in page
    assert "Thank you: agreed." in page
    assert "neither of you can change it, and your comments are final" in page
    twelve = conversation.reviews.get(kind="twelve_month")
    assert f"the 12-month review {day(twelve.due_on)}" in page
    assert "Your line manager can then start your development plan from its way forward." in page
    assert f"{cast.manager.full_name} is emailed that you signed it off." in page
    conversation.refresh_from_db()
    assert conversation.status == Status.HELD


def test_it_completes_the_record_on_the_employees_yes(client, cast):
    conversation = held(cast, host_signed_off_at=timezone.now())
    client.force_login(cast.employee.user)
    response = client.post(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    conversation.refresh_from_db()
    assert conversation.status == Status.SIGNED_OFF
    assert Notice.objects.get(kind="signed_off").recipient == cast.manager
    content = response.content.decode()
    assert f"{cast.manager.full_name} has been emailed that you signed it off." in content
    assert "Your reviews are due on" in content


def test_it_does_not_ask_the_employee_before_the_host_has_signed(client, cast):
    conversation = held(cast)
    client.force_login(cast.employee.user)
    response = client.get(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("conversations:detail", args=[conversation.pk])
    assert "not possible now" in response.content.decode()
