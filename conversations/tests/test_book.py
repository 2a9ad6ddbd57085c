import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from conversations.factories import BookedConversationFactory, ConversationFactory
from conversations.models import Conversation

LONDON = ZoneInfo("Europe/London")
MONDAY_MORNING = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


def url(conversation):
    return reverse("conversations:book", args=[conversation.pk])


def slot(day: str, time: str = "14:00", **overrides) -> dict:
    return {
        "date": day,
        "time": time,
        "duration_minutes": "60",
        "venue": "Sister's office, Ward 7",
        "venue_is_private": "on",
        **overrides,
    }


@pytest.fixture
def requested(cast):
    return ConversationFactory(employee=cast.employee, host=cast.manager)


def test_it_books_with_enough_notice(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.post(url(requested), slot("2026-12-08"))
    assert response["Location"] == reverse("conversations:detail", args=[requested.pk])
    requested.refresh_from_db()
    assert requested.status == Conversation.Status.BOOKED
    assert requested.starts_at == datetime.datetime(2026, 12, 8, 14, 0, tzinfo=LONDON)
    assert (requested.duration_minutes, requested.venue_is_private) == (60, True)
    assert requested.calendar_sequence == 0


def test_it_refuses_a_time_in_the_past_beside_the_date(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.post(url(requested), slot("2026-11-23", "08:30"))
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Choose a time in the future."]
    requested.refresh_from_db()
    assert requested.status == Conversation.Status.REQUESTED


def test_it_requires_the_venue_to_be_confirmed_private(client, cast, requested):
    client.force_login(cast.manager.user)
    data = slot("2026-12-08")
    del data["venue_is_private"]
    response = client.post(url(requested), data)
    assert "choose a private venue" in str(response.context["form"].errors["venue_is_private"])
    assert 'value="Sister&#x27;s office, Ward 7"' in response.content.decode()


def test_it_warns_of_short_notice_and_books_when_confirmed(client, cast, requested):
    client.force_login(cast.manager.user)
    first = client.post(url(requested), slot("2026-11-27"))
    assert first.status_code == 200
    assert "Short notice: 4 working days away" in first.content.decode()
    requested.refresh_from_db()
    assert requested.status == Conversation.Status.REQUESTED

    confirmed = client.post(url(requested), first.context["form"].data)
    assert confirmed.status_code == 302
    requested.refresh_from_db()
    assert requested.status == Conversation.Status.BOOKED


def test_it_warns_again_when_the_time_changes_after_a_warning(client, cast, requested):
    client.force_login(cast.manager.user)
    first = client.post(url(requested), slot("2026-11-27"))
    changed = {**first.context["form"].data, "date": "2026-11-26"}
    second = client.post(url(requested), changed)
    assert second.status_code == 200
    assert "Short notice: 3 working days" in second.content.decode()


def test_it_warns_of_a_clash_with_the_hosts_other_conversation(client, cast, requested):
    BookedConversationFactory(
        host=cast.manager, starts_at=datetime.datetime(2026, 12, 8, 14, 30, tzinfo=LONDON), duration_minutes=60
    )
    client.force_login(cast.manager.user)
    response = client.post(url(requested), slot("2026-12-08"))
    assert "Clash: you have a conversation with" in response.content.decode()


def test_it_rebooks_and_bumps_the_invite_sequence(client, cast):
    booked = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    client.post(url(booked), slot("2026-12-15", "10:00"))
    booked.refresh_from_db()
    assert booked.starts_at == datetime.datetime(2026, 12, 15, 10, 0, tzinfo=LONDON)
    assert booked.calendar_sequence == 1


def test_it_does_not_let_the_employee_book(client, cast, requested):
    client.force_login(cast.employee.user)
    response = client.post(url(requested), slot("2026-12-08"))
    assert response["Location"] == reverse("conversations:detail", args=[requested.pk])
    requested.refresh_from_db()
    assert requested.status == Conversation.Status.REQUESTED


def test_it_answers_404_to_someone_else(client, cast, requested):
    client.force_login(cast.other_manager.user)
    assert client.get(url(requested)).status_code == 404


def test_it_survives_nonsense_input(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.post(url(requested), slot("31/02/2026", "25:99", duration_minutes="-5", venue="x" * 500))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"date", "time", "duration_minutes", "venue"}


def test_it_warns_of_a_weekend(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.post(url(requested), slot("2026-12-13"))
    assert "That is a Sunday." in response.content.decode()
