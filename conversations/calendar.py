"""The iCalendar (.ics) invite for a booked conversation, as sent by email and offered
as a download.

One event per conversation for its whole life: the UID never changes and SEQUENCE goes
up on every rebooking and on cancellation (`sequence_moved_on`, used by the services), so
calendar programs update or remove the event they already have instead of adding one.
The invite says who, when and where, never what: no statement, answers or notes.

The site's own address is the organiser and both people are attendees, so both get the same
REQUEST and CANCEL and both calendars add, move and remove the event alike (a program such as
Outlook will not add a REQUEST to the calendar of the person it names as organiser). Nobody
is asked to reply (RSVP=FALSE): replies would reach the site's address, which nobody reads;
the conversation is answered, moved and cancelled on the site.

The time zone is written as yearly rules (RRULE), the form Outlook and Google write
themselves, rather than a list of dates.
"""

from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur

from .models import Conversation

UID_DOMAIN = "talent-conversations"


def sequence_moved_on(conversation: Conversation) -> dict:
    """The change to make with a move that alters a booked conversation (rebooking, cancelling,
    closing a review): its calendar sequence goes up so calendars apply the new version. Nothing
    for a conversation that was never in a calendar."""
    if conversation.status != Conversation.Status.BOOKED:
        return {}
    return {"calendar_sequence": F("calendar_sequence") + 1}


def uk_time_zone() -> Timezone:
    """Europe/London as yearly rules: British Summer Time starts at 01:00 GMT on the last Sunday
    of March (clocks to 02:00) and ends at 02:00 BST on the last Sunday of October (clocks to
    01:00). Each onset is the local time before the change, as RFC 5545 has it."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def site_address() -> str:
    """The address in DEFAULT_FROM_EMAIL, without its display name."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def invite_uid(conversation: Conversation) -> str:
    return f"{conversation.calendar_uid}@{UID_DOMAIN}"


def invite_ics(conversation: Conversation, *, cancel: bool = False) -> bytes:
    """An iTIP REQUEST (booking, rebooking) or, with `cancel`, a CANCEL for the conversation.

    The conversation must have been booked (it keeps its time when cancelled).
    """
    if conversation.starts_at is None or conversation.ends_at is None:
        raise ValueError("Only a conversation that has been booked has a calendar invite.")
    zone = ZoneInfo(settings.TIME_ZONE)
    starts_at = conversation.starts_at.astimezone(zone)
    ends_at = conversation.ends_at.astimezone(zone)
    employee, host = conversation.employee, conversation.host
    page = settings.SITE_URL + reverse("conversations:detail", args=[conversation.pk])

    event = Event.new(
        uid=invite_uid(conversation),
        sequence=conversation.calendar_sequence,
        stamp=timezone.now(),
        start=starts_at,
        end=ends_at,
        summary=f"{conversation.get_kind_display()}: {employee.full_name} and {host.full_name}",
        location=conversation.venue,
        description=f"Details and preparation: {page}",
        url=page,
        organizer=vCalAddress.new(site_address(), cn=settings.ORGANISATION_NAME),
        attendees=[
            vCalAddress.new(host.user.email, cn=host.full_name, role="CHAIR", partstat="ACCEPTED", rsvp=False),
            vCalAddress.new(
                employee.user.email, cn=employee.full_name, role="REQ-PARTICIPANT", partstat="ACCEPTED", rsvp=False
            ),
        ],
        status="CANCELLED" if cancel else "CONFIRMED",
        classification="PRIVATE",
        transparency="OPAQUE",
    )
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.ORGANISATION_NAME}//Talent conversations//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add_component(event)
    if settings.TIME_ZONE == "Europe/London":
        calendar.add_component(uk_time_zone())
    else:
        # Another zone: icalendar's VTIMEZONE from the zone database, a year either side.
        calendar.add_missing_timezones(
            first_date=starts_at.date() - timedelta(days=366), last_date=ends_at.date() + timedelta(days=366)
        )
    return calendar.to_ical()
