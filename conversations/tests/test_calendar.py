import datetime
from zoneinfo import ZoneInfo

import pytest
import vobject
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


# The time zone as Outlook and Google write it: yearly rules, not a list of dates. Read back by
# two libraries that share no code (icalendar and vobject, which uses dateutil's rules).


def test_it_writes_the_time_zone_as_yearly_rules(conversation):
    calendar, _ = parse(invite_ics(conversation))
    [zone] = calendar.timezones
    rules = {part.name: part for part in zone.subcomponents}

    assert set(rules) == {"STANDARD", "DAYLIGHT"}
    assert "RDATE" not in invite_ics(conversation).decode()
    summer, winter = rules["DAYLIGHT"], rules["STANDARD"]
    assert dict(summer["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert dict(winter["RRULE"]) == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    # Onsets in the local time before the change: 01:00 GMT becomes 02:00 BST, and
    # 02:00 BST becomes 01:00 GMT.
    assert summer["DTSTART"].dt == datetime.datetime(1970, 3, 29, 1, 0)
    assert winter["DTSTART"].dt == datetime.datetime(1970, 10, 25, 2, 0)
    assert (summer["TZOFFSETFROM"].td, summer["TZOFFSETTO"].td) == (datetime.timedelta(0), datetime.timedelta(hours=1))
    assert (winter["TZOFFSETFROM"].td, winter["TZOFFSETTO"].td) == (datetime.timedelta(hours=1), datetime.timedelta(0))


@pytest.mark.parametrize(
    ("starts_at", "utc_hour"),
    [
        (datetime.datetime(2026, 7, 7, 9, 30), 8),  # summer: BST, UTC+1
        (datetime.datetime(2026, 12, 8, 9, 30), 9),  # winter: GMT, UTC+0
        (datetime.datetime(2027, 3, 28, 10, 0), 9),  # the day the clocks go forward
        (datetime.datetime(2027, 10, 31, 10, 0), 10),  # the day the clocks go back
        (datetime.datetime(2027, 3, 28, 0, 30), 0),  # just before 01:00 GMT: still GMT
        (datetime.datetime(2027, 3, 28, 3, 0), 2),  # just after: BST
        (datetime.datetime(2027, 10, 31, 0, 30), 23),  # before 02:00 BST: still BST
        (datetime.datetime(2027, 10, 31, 2, 30), 2),  # after: GMT
    ],
)
def test_two_calendar_libraries_read_the_same_utc_time(conversation, starts_at, utc_hour):
    conversation.starts_at = starts_at.replace(tzinfo=LONDON)
    ics = invite_ics(conversation)

    # icalendar, with the file's own VTIMEZONE rather than the system's zone database
    [zone] = Calendar.from_ical(ics).timezones
    own_zone = zone.to_tz()
    local = starts_at.replace(tzinfo=own_zone)
    assert local.astimezone(datetime.UTC).hour == utc_hour
    # vobject reads the VTIMEZONE through dateutil's rrule
    parsed = vobject.readOne(ics.decode())
    start = parsed.vevent.dtstart.value
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert start.astimezone(datetime.UTC).minute == starts_at.minute


def test_it_makes_the_site_the_organiser_so_the_host_gets_an_event_in_their_own_calendar(conversation, settings):
    settings.DEFAULT_FROM_EMAIL = "Talent conversations <talent@trust.nhs.uk>"
    _, event = parse(invite_ics(conversation))

    assert event.organizer == "mailto:talent@trust.nhs.uk"
    attendees = {str(attendee): attendee.params for attendee in event.attendees}
    assert set(attendees) == {"mailto:grace.okafor@example.nhs.uk", "mailto:amara.obrien@example.nhs.uk"}
    host, employee = attendees["mailto:grace.okafor@example.nhs.uk"], attendees["mailto:amara.obrien@example.nhs.uk"]
    assert (host["ROLE"], host["CN"]) == ("CHAIR", "Grace Okafor")
    assert (employee["ROLE"], employee["CN"]) == ("REQ-PARTICIPANT", "Amara O'Brien")
    assert all(params["RSVP"] == "FALSE" for params in attendees.values())
