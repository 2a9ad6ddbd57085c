"""The reminder scan, with a fixed clock: what is sent when, to whom, and only once."""

import datetime
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from conversations.factories import ConversationFactory, ReviewFactory
from conversations.models import Conversation, Notice
from conversations.outbox import STALE_CLAIM
from conversations.reminders import notices_scan

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def scan_on(day: datetime.date, hour: int = 9) -> list:
    """Run a scan at that moment; return the emails it sent as (recipient, subject)."""
    before = len(mail.outbox)
    with time_machine.travel(at(day, hour), tick=False):
        notices_scan()
    return [(message.to[0], message.subject) for message in mail.outbox[before:]]


@pytest.fixture
def review(cast):
    return ReviewFactory(
        follows__employee=cast.employee, follows__host=cast.manager, due_on=MONDAY + datetime.timedelta(days=28)
    )


def both(cast, subject_start: str):
    return lambda sent: (
        sorted(to for to, subject in sent if subject.startswith(subject_start))
        == sorted([cast.employee.user.email, cast.manager.user.email])
    )


def test_it_sends_nothing_while_a_review_is_far_off(review):
    assert scan_on(MONDAY) == []


def test_it_reminds_both_people_14_days_and_1_day_ahead(review, cast):
    due = review.due_on
    assert both(cast, "Coming up")(scan_on(due - datetime.timedelta(days=14)))
    assert scan_on(due - datetime.timedelta(days=13)) == []
    assert scan_on(due - datetime.timedelta(days=2)) == []
    assert both(cast, "Coming up")(scan_on(due - datetime.timedelta(days=1)))


def test_it_reminds_on_the_day(review, cast):
    sent = scan_on(review.due_on)
    assert both(cast, "Due now")(sent)
    assert "is due today" in mail.outbox[-1].body


def test_it_reminds_weekly_while_overdue(review, cast):
    due = review.due_on
    scan_on(due)
    assert scan_on(due + datetime.timedelta(days=3)) == []
    assert both(cast, "Overdue")(scan_on(due + datetime.timedelta(days=7)))
    assert scan_on(due + datetime.timedelta(days=10)) == []
    assert both(cast, "Overdue")(scan_on(due + datetime.timedelta(days=14)))
    assert "was due on" in mail.outbox[-1].body
    assert "14 days ago" in mail.outbox[-1].body


def test_it_sends_the_due_reminder_late_if_the_day_itself_was_missed(review, cast):
    assert both(cast, "Due now")(scan_on(review.due_on + datetime.timedelta(days=2)))


def test_it_stops_reminding_once_the_review_is_held_or_closed(review):
    scan_on(review.due_on)
    Conversation.objects.filter(pk=review.pk).update(status=Conversation.Status.CLOSED)
    assert scan_on(review.due_on + datetime.timedelta(days=7)) == []


def test_it_skips_a_reminder_whose_review_was_held_before_it_went(review):
    with time_machine.travel(at(review.due_on), tick=False):
        from conversations.reminders import reminders_create

        reminders_create()
    Conversation.objects.filter(pk=review.pk).update(status=Conversation.Status.HELD)
    assert scan_on(review.due_on, hour=10) == []
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SKIPPED}


def test_it_takes_reminder_days_from_settings(review, cast, settings):
    settings.REVIEW_REMINDER_DAYS_AHEAD = (7,)
    assert scan_on(review.due_on - datetime.timedelta(days=14)) == []
    assert both(cast, "Coming up")(scan_on(review.due_on - datetime.timedelta(days=7)))


def test_it_sends_each_reminder_once_however_often_it_scans(review):
    for hour in range(9, 18):
        scan_on(review.due_on, hour)
    assert len(mail.outbox) == 2
    assert Notice.objects.filter(status=Notice.Status.SENT).count() == 2


@pytest.fixture
def nomination(cast):
    with time_machine.travel(at(MONDAY), tick=False):
        return ConversationFactory(
            employee=cast.employee,
            host=cast.manager,
            origin=Conversation.Origin.NOMINATION,
            started_by=cast.employee.user,
        )


def test_it_chases_an_unanswered_request_after_5_working_days(nomination, cast):
    assert scan_on(MONDAY + datetime.timedelta(days=6)) == []  # Sunday: 4 working days
    sent = scan_on(MONDAY + datetime.timedelta(days=7))
    assert sent == [
        (
            cast.manager.user.email,
            f"Waiting for your reply: {cast.employee.full_name}'s request for a talent conversation",
        )
    ]
    assert scan_on(MONDAY + datetime.timedelta(days=8)) == []
    assert len(scan_on(MONDAY + datetime.timedelta(days=14))) == 1


def test_it_stops_chasing_once_the_request_is_answered(nomination):
    Conversation.objects.filter(pk=nomination.pk).update(status=Conversation.Status.DECLINED)
    assert scan_on(MONDAY + datetime.timedelta(days=7)) == []


def test_it_does_not_chase_a_conversation_the_manager_started(cast):
    with time_machine.travel(at(MONDAY), tick=False):
        ConversationFactory(employee=cast.employee, host=cast.manager)
    assert scan_on(MONDAY + datetime.timedelta(days=14)) == []


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_it_retries_a_failed_send_later_with_backoff(review, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    scan_on(review.due_on, 9)
    notice = Notice.objects.first()
    assert (notice.status, notice.attempts) == (Notice.Status.PENDING, 1)
    assert notice.next_attempt_at == at(review.due_on, 9) + datetime.timedelta(minutes=2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at(review.due_on, 9) + datetime.timedelta(minutes=1), tick=False):
        notices_scan()
    assert mail.outbox == []
    with time_machine.travel(at(review.due_on, 9) + datetime.timedelta(minutes=3), tick=False):
        notices_scan()
    assert len(mail.outbox) == 2


def test_it_releases_a_claim_abandoned_by_a_dead_worker(review):
    with time_machine.travel(at(review.due_on), tick=False):
        from conversations.reminders import reminders_create

        reminders_create()
    Notice.objects.update(status=Notice.Status.SENDING, claimed_at=at(review.due_on))
    assert scan_on(review.due_on, 9) == []
    later = at(review.due_on) + STALE_CLAIM + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        notices_scan()
    assert len(mail.outbox) == 2
