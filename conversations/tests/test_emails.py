import datetime
import smtplib
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone
from icalendar import Calendar

from conversations import services
from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation, Notice, Preparation
from conversations.outbox import notice_send
from conversations.reminders import notices_scan
from people.factories import EmployeeFactory, make_supporter

LONDON = ZoneInfo("Europe/London")
TUESDAY_AT_TWO = datetime.datetime(2026, 12, 8, 14, 0, tzinfo=LONDON)
THURSDAY_AT_TEN = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LONDON)


class BrokenBackend(BaseEmailBackend):
    """An SMTP server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusesHostBackend(LocmemBackend):
    """Delivers to everyone but the host of the `pair` fixture."""

    def send_messages(self, email_messages):
        if any("grace.okafor@" in address for message in email_messages for address in message.to):
            raise smtplib.SMTPRecipientsRefused({"grace.okafor@example.nhs.uk": (450, b"Try again later")})
        return super().send_messages(email_messages)


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager(db):
    return EmployeeFactory(
        user__first_name="Grace",
        user__last_name="Okafor",
        user__email="grace.okafor@example.nhs.uk",
        job_title="Ward Manager",
    )


@pytest.fixture
def employee(manager):
    return EmployeeFactory(
        user__first_name="Amara",
        user__last_name="O'Brien",
        user__email="amara.obrien@example.nhs.uk",
        line_manager=manager,
    )


@pytest.fixture
def conversation(employee, manager):
    return ConversationFactory(employee=employee, host=manager)


def booking(starts_at=TUESDAY_AT_TWO) -> services.Booking:
    return services.Booking(starts_at=starts_at, duration_minutes=60, venue="Quiet room, Ward 7", venue_is_private=True)


def by_recipient() -> dict:
    return {message.to[0]: message for message in mail.outbox}


def html_of(message) -> str:
    [html] = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def invite_of(message) -> tuple[Calendar, object]:
    [(content, mimetype)] = [alt for alt in message.alternatives if alt.mimetype.startswith("text/calendar")]
    [(filename, attached, attached_type)] = message.attachments
    assert (filename, attached_type) == ("invite.ics", "application/ics")
    assert attached.decode() == content
    calendar = Calendar.from_ical(content)
    assert mimetype == f"text/calendar; method={calendar['METHOD']}"
    [event] = calendar.events
    return calendar, event


def everything_in(message) -> str:
    parts = [message.subject, message.body]
    parts += [str(content) for content, _ in message.alternatives]
    parts += [attached.decode() for _, attached, _ in message.attachments]
    return "\n".join(parts)


def test_it_tells_the_employee_when_their_manager_starts_a_conversation(
    employee, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.conversation_start(manager=manager, employee=employee)

    [message] = mail.outbox
    assert message.to == ["amara.obrien@example.nhs.uk"]
    assert message.from_email == "Talent conversations <talent@localhost>"
    assert message.subject == "Grace Okafor would like to have a talent conversation with you"
    assert message.body.startswith("Hello Amara,\n")
    assert f"http://127.0.0.1:8000/conversations/{conversation.pk}/" in message.body
    html = html_of(message)
    assert f'href="http://127.0.0.1:8000/conversations/{conversation.pk}/"' in html
    assert '<html lang="en-GB">' in html
    assert not message.attachments


def test_it_writes_names_plainly_in_text_and_escaped_in_html(conversation, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())

    message = by_recipient()["grace.okafor@example.nhs.uk"]
    assert "Amara O'Brien" in message.body
    assert "&#x27;" not in message.body
    assert "Amara O&#x27;Brien" in html_of(message)


def test_it_asks_the_manager_to_answer_a_nomination(employee, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_create(
            employee=employee,
            host=manager,
            reason=Conversation.NominationReason.ASPIRATION,
            statement="I would like to lead the night team.",
            growth_direction=Conversation.GrowthDirection.STRETCH,
        )

    [message] = mail.outbox
    assert message.to == ["grace.okafor@example.nhs.uk"]
    assert message.subject == "Amara O'Brien has nominated themselves for a talent conversation"
    assert "decline with a reason" in message.body
    assert "night team" not in everything_in(message)


def test_it_asks_a_career_supporter_to_answer_a_request(employee, django_capture_on_commit_callbacks):
    supporter = make_supporter(user__first_name="Priya", user__email="priya@example.nhs.uk")

    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_create(
            employee=employee,
            host=supporter,
            reason=Conversation.NominationReason.ASPIRATION,
            statement="Research careers",
            growth_direction=Conversation.GrowthDirection.BREADTH,
        )

    [message] = mail.outbox
    assert message.to == ["priya@example.nhs.uk"]
    assert message.subject == "Amara O'Brien has asked you for a career conversation"
    assert "career supporters directory" in message.body


def test_it_sends_both_people_an_invite_when_booked(conversation, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())

    messages = by_recipient()
    assert set(messages) == {"amara.obrien@example.nhs.uk", "grace.okafor@example.nhs.uk"}
    for message in messages.values():
        assert message.subject == "Talent conversation booked: Tuesday 8 December 2026 at 14:00"
        assert message.reply_to == [address for address in messages if address != message.to[0]]
        assert "When: Tuesday 8 December 2026 at 14:00 to 15:00 (60 minutes)" in message.body
        assert "Where: Quiet room, Ward 7" in message.body
        calendar, event = invite_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert event["UID"] == f"{conversation.calendar_uid}@talent-conversations"
        assert event["SEQUENCE"] == 0
        assert event.start == TUESDAY_AT_TWO
        assert str(event.start.tzinfo) == "Europe/London"
        assert event.organizer == "mailto:talent@localhost"  # the site: both people get an event of their own
        assert {str(attendee) for attendee in event.attendees} == {
            "mailto:grace.okafor@example.nhs.uk",
            "mailto:amara.obrien@example.nhs.uk",
        }
    assert "Grace Okafor has booked your talent conversation." in messages["amara.obrien@example.nhs.uk"].body
    assert "You have booked a talent conversation with Amara O'Brien." in messages["grace.okafor@example.nhs.uk"].body


def test_it_sends_the_calendar_part_with_its_method_in_the_mime_headers(
    conversation, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())

    raw = mail.outbox[0].message().as_string()
    assert 'Content-Type: text/calendar; method="REQUEST"; charset="utf-8"' in raw or (
        'Content-Type: text/calendar; method=REQUEST; charset="utf-8"' in raw
    )
    assert 'Content-Disposition: attachment; filename="invite.ics"' in raw


def test_it_sends_an_update_to_the_same_event_when_rebooked(conversation, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())
    _, first = invite_of(mail.outbox[0])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking(THURSDAY_AT_TEN))

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject == "Talent conversation moved to Thursday 10 December 2026 at 10:00"
        calendar, event = invite_of(message)
        assert calendar["METHOD"] == "REQUEST"
        assert event["UID"] == first["UID"]
        assert event["SEQUENCE"] == 1
        assert event.start == THURSDAY_AT_TEN


def test_it_sends_a_cancellation_when_a_booked_conversation_is_cancelled(
    conversation, employee, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())
    _, booked = invite_of(mail.outbox[0])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_cancel(conversation=conversation, by=employee, reason="I am moving to another trust.")

    messages = by_recipient()
    assert set(messages) == {"amara.obrien@example.nhs.uk", "grace.okafor@example.nhs.uk"}
    for message in messages.values():
        assert message.subject == "Cancelled: talent conversation on Tuesday 8 December 2026 at 14:00"
        assert "I am moving to another trust." in message.body
        assert "I am moving to another trust." in html_of(message)
        calendar, event = invite_of(message)
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event["UID"] == booked["UID"]
        assert event["SEQUENCE"] > booked["SEQUENCE"]
        assert event.start == TUESDAY_AT_TWO
    assert "Amara O'Brien has cancelled the talent conversation" in messages["grace.okafor@example.nhs.uk"].body
    assert "You have cancelled your talent conversation" in messages["amara.obrien@example.nhs.uk"].body


def test_it_sends_no_calendar_cancellation_for_a_conversation_never_booked(
    conversation, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_cancel(conversation=conversation, by=manager, reason="Amara has a secondment.")

    messages = by_recipient()
    assert messages["amara.obrien@example.nhs.uk"].subject == "Cancelled: talent conversation with Grace Okafor"
    assert messages["grace.okafor@example.nhs.uk"].subject == "Cancelled: talent conversation with Amara O'Brien"
    for message in messages.values():
        assert "Amara has a secondment." in message.body
        assert not message.attachments
        assert not [alt for alt in message.alternatives if alt.mimetype.startswith("text/calendar")]


def test_it_tells_the_employee_why_their_request_was_declined(employee, manager, django_capture_on_commit_callbacks):
    conversation = ConversationFactory(employee=employee, host=manager, origin=Conversation.Origin.NOMINATION)

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_decline(
            conversation=conversation, by=manager, reason="Let's first finish your preceptorship, then talk in spring."
        )

    [message] = mail.outbox
    assert message.to == ["amara.obrien@example.nhs.uk"]
    assert message.subject == "Your request for a talent conversation: a reply from Grace Okafor"
    assert "Let's first finish your preceptorship, then talk in spring." in message.body
    assert "Let&#x27;s first finish your preceptorship" in html_of(message)
    assert "http://127.0.0.1:8000/conversations/supporters/" in message.body


def test_it_tells_the_host_when_preparation_is_shared(conversation, employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.preparation_save(
            conversation=conversation, by=employee, data={"achievements": "Led the audit"}, version=1, share=False
        )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.preparation_save(
            conversation=conversation, by=employee, data={"achievements": "Led the audit"}, version=2, share=True
        )

    [message] = mail.outbox
    assert message.to == ["grace.okafor@example.nhs.uk"]
    assert message.subject == "Amara O'Brien has shared their preparation with you"
    assert "Led the audit" not in everything_in(message)


def test_it_asks_each_person_in_turn_to_sign_off(employee, manager, django_capture_on_commit_callbacks):
    conversation = HeldConversationFactory(employee=employee, host=manager)

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_sign_off(conversation=conversation, by=manager)
    [message] = mail.outbox
    assert message.to == ["amara.obrien@example.nhs.uk"]
    assert message.subject == "Your talent conversation record is ready for you to sign off"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_sign_off(conversation=conversation, by=employee)
    [message] = mail.outbox
    assert message.to == ["grace.okafor@example.nhs.uk"]
    assert message.subject == "Signed off: talent conversation with Amara O'Brien"


def test_it_never_puts_what_was_said_in_an_email(employee, manager, time_machine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.nomination_create(
            employee=employee,
            host=manager,
            reason=Conversation.NominationReason.HIGH_PERFORMANCE,
            statement="CONFIDENTIAL-STATEMENT",
            growth_direction=Conversation.GrowthDirection.DEPTH,
        )
        services.conversation_book(conversation=conversation, by=manager, booking=booking())
        answers = dict.fromkeys(Preparation.QUESTIONS, "CONFIDENTIAL-PREPARATION")
        services.preparation_save(conversation=conversation, by=employee, data=answers, version=1, share=True)
        services.private_note_save(conversation=conversation, by=manager, text="CONFIDENTIAL-PRIVATE-NOTE", version=1)
        services.conversation_book(conversation=conversation, by=manager, booking=booking(THURSDAY_AT_TEN))
    time_machine.move_to(THURSDAY_AT_TEN + datetime.timedelta(hours=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_hold(conversation=conversation, by=manager)
        fields = ("topic", "goal", "reality", "options", "way_forward", "shared_notes")
        record = dict.fromkeys(fields, "CONFIDENTIAL-RECORD")
        services.record_save(conversation=conversation, by=manager, data=record, version=1)
        conversation.refresh_from_db()  # as the sign-off page loads it: with its record
        services.conversation_sign_off(conversation=conversation, by=manager)
        services.comments_save(conversation=conversation, by=employee, text="CONFIDENTIAL-COMMENT", version=1)
        services.conversation_sign_off(conversation=conversation, by=employee)

    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 8, subjects
    for message in mail.outbox:
        assert "CONFIDENTIAL" not in everything_in(message), message.subject


def test_it_keeps_an_unsent_email_to_retry_later_and_still_saves_the_booking(
    conversation, manager, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.BOOKED
    assert mail.outbox == []
    notices = Notice.objects.filter(conversation=conversation, kind="booked")
    assert {notice.status for notice in notices} == {Notice.Status.PENDING}
    assert all(notice.attempts == 1 and notice.last_error for notice in notices)
    assert all(notice.next_attempt_at > timezone.now() for notice in notices)


def test_it_does_not_send_twice_to_someone_who_already_has_theirs(
    conversation, manager, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusesHostBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_book(conversation=conversation, by=manager, booking=booking())
    assert [message.to for message in mail.outbox] == [["amara.obrien@example.nhs.uk"]]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notices_scan(now=timezone.now() + timedelta(hours=1))
    assert [message.to for message in mail.outbox] == [["amara.obrien@example.nhs.uk"], ["grace.okafor@example.nhs.uk"]]
    notices_scan(now=timezone.now() + timedelta(hours=2))
    assert len(mail.outbox) == 2


def test_it_sends_nothing_for_a_notice_that_no_longer_exists(db):
    assert notice_send(987654) is False
    assert mail.outbox == []


def test_it_sends_no_late_invite_for_a_conversation_cancelled_since(db):
    conversation = BookedConversationFactory(status=Conversation.Status.CANCELLED)
    notice = Notice.objects.create(
        conversation=conversation, kind="booked", recipient=conversation.employee, next_attempt_at=timezone.now()
    )

    assert notice_send(notice.pk) is False

    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SKIPPED
