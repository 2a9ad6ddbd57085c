"""Booking while Redis is out of reach: run by tests/test_broker_outage.py in a child process.

Settings are read at start-up, so the parent starts this with REDIS_URL (and
OUTAGE_REDIS_URL, the same address) pointing at a Redis that refuses connections or
never answers, and with no DATABASE_URL (SQLite). Skipped when run any other way.
"""

import datetime
import importlib
import os
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conversations.factories import ConversationFactory
from conversations.models import Conversation, Notice

OUTAGE_REDIS_URL = os.environ.get("OUTAGE_REDIS_URL", "")
pytestmark = [
    pytest.mark.skipif(not OUTAGE_REDIS_URL, reason="run by tests/test_broker_outage.py"),
    pytest.mark.real_broker,  # the booking must really try the (broken) broker
]


def a_weekday_four_weeks_ahead() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=28)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_it_books_during_the_outage_and_the_scan_sends_the_emails_later(client, cast, transactional_db, caplog):
    assert settings.REDIS_URL == OUTAGE_REDIS_URL
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "the booking must really try to publish to the broker"
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    slot = {
        "date": a_weekday_four_weeks_ahead().isoformat(),
        "time": "14:00",
        "duration_minutes": "60",
        "venue": "Sister's office, Ward 7",
        "venue_is_private": "on",
    }

    url = reverse("conversations:book", args=[conversation.pk])
    # Time the request, not Python's first imports: open the form once, and load the
    # Redis client and transport, without connecting, as a running server already has.
    assert client.get(url).status_code == 200
    importlib.import_module("kombu.transport.redis")

    started = time.monotonic()
    response = client.post(url, slot)
    seconds = time.monotonic() - started

    print(f"booking answered in {seconds:.2f} s")
    assert response.status_code == 302
    assert seconds < 5
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.BOOKED
    notices = Notice.objects.filter(conversation=conversation)
    assert sorted(notices.values_list("kind", "status")) == [(Notice.Kind.BOOKED, Notice.Status.PENDING)] * 2
    assert "the next reminder scan will send them" in caplog.text  # tried once, gave up on both
    assert mail.outbox == []

    call_command("send_reminders", stdout=StringIO())

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [cast.employee.user.email, cast.manager.user.email]
    )
    assert set(notices.values_list("status", flat=True)) == {Notice.Status.SENT}
