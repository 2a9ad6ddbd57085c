import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conversations.calendar import invite_ics
from conversations.factories import BookedConversationFactory, ConversationFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def conversation(db):
    return BookedConversationFactory(
        employee__user__first_name="Amara",
        employee__user__last_name="O'Brien",
        employee__user__email="amara.obrien@example.nhs.uk",
        host__user__first_name="Grace",
        host__user__last_name="Okafor",
        host__user__email="grace.okafor@example.nhs.uk",
        starts_at=datetime.datetime(2026, 12, 8, 14, 0, tzinfo=LONDON),
        duration_minutes=45,
        venue="Quiet room, Ward 7; level 2",
        statement="SECRET-STATEMENT I want to lead",
        shared_notes="SECRET-SHARED-NOTES",
        topic="SECRET-TOPIC",
    )


def parse(ics: bytes) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(ics)
    [event] = calendar.events
    return calendar, event


def test_it_builds_a_request_that_calendar_programs_can_read(conversation):
    calendar, event = parse(invite_ics(conversation))

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert "Talent conversations" in calendar["PRODID"]
    assert event["UID"] == f"{conversation.calendar_uid}@talent-conversations"
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert "DTSTAMP" in event
    assert event["SUMMARY"] == "Talent conversation: Amara O'Brien and Grace Okafor"
    assert event["LOCATION"] == "Quiet room, Ward 7; level 2"
    assert event.start == datetime.datetime(2026, 12, 8, 14, 0, tzinfo=LONDON)
    assert event.end == datetime.datetime(2026, 12, 8, 14, 45, tzinfo=LONDON)
    assert str(event.start.tzinfo) == "Europe/London"
    assert f"/conversations/{conversation.pk}/" in event["DESCRIPTION"]


def test_it_names_the_host_as_organiser_and_both_people_as_attendees(conversation):
    _, event = parse(invite_ics(conversation))

    assert event.organizer == "mailto:grace.okafor@example.nhs.uk"
    assert event.organizer.params["CN"] == "Grace Okafor"
    attendees = {str(attendee): attendee.params for attendee in event.attendees}
    assert set(attendees) == {"mailto:grace.okafor@example.nhs.uk", "mailto:amara.obrien@example.nhs.uk"}
    host, employee = attendees["mailto:grace.okafor@example.nhs.uk"], attendees["mailto:amara.obrien@example.nhs.uk"]
    assert (host["ROLE"], host["PARTSTAT"], host["CN"]) == ("CHAIR", "ACCEPTED", "Grace Okafor")
    assert (employee["ROLE"], employee["PARTSTAT"], employee["RSVP"], employee["CN"]) == (
        "REQ-PARTICIPANT",
        "NEEDS-ACTION",
        "TRUE",
        "Amara O'Brien",
    )


def test_it_includes_the_time_zone_so_summer_times_stay_right(conversation):
    conversation.starts_at = datetime.datetime(2026, 7, 7, 9, 30, tzinfo=LONDON)
    ics = invite_ics(conversation)
    calendar, event = parse(ics)

    assert b"DTSTART;TZID=Europe/London:20260707T093000" in ics
    assert [timezone.tz_name for timezone in calendar.timezones] == ["Europe/London"]
    assert calendar.get_missing_tzids() == set()
    assert event.start.utcoffset() == datetime.timedelta(hours=1)
    assert event.start.astimezone(datetime.UTC).hour == 8


def test_it_builds_a_cancellation_for_the_same_event(conversation):
    _, request = parse(invite_ics(conversation))
    conversation.calendar_sequence = 1
    calendar, event = parse(invite_ics(conversation, cancel=True))

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == request["UID"]
    assert event["SEQUENCE"] == 1
    assert event.start == request.start
    assert len(event.attendees) == 2


def test_it_keeps_what_was_said_out_of_the_invite(conversation):
    ics = invite_ics(conversation).decode()

    assert "SECRET" not in ics


def test_it_refuses_a_conversation_that_was_never_booked(db):
    with pytest.raises(ValueError, match="booked"):
        invite_ics(ConversationFactory())
