"""The iCalendar (.ics) invite for a booked conversation, as sent by email and offered
as a download.

One event per conversation for its whole life: the UID never changes and SEQUENCE goes
up on every rebooking and on cancellation (`sequence_moved_on`, used by the services), so
calendar programs update or remove the event they already have instead of adding one.
The invite says who, when and where, never what: no statement, answers or notes.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from .models import Conversation

UID_DOMAIN = "talent-conversations"


def sequence_moved_on(conversation: Conversation) -> dict:
    """The change to make with a move that alters a booked conversation (rebooking, cancelling,
    closing a review): its calendar sequence goes up so calendars apply the new version. Nothing
    for a conversation that was never in a calendar."""
    if conversation.status != Conversation.Status.BOOKED:
        return {}
    return {"calendar_sequence": F("calendar_sequence") + 1}


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
        organizer=vCalAddress.new(host.user.email, cn=host.full_name),
        attendees=[
            vCalAddress.new(host.user.email, cn=host.full_name, role="CHAIR", partstat="ACCEPTED", rsvp=False),
            vCalAddress.new(
                employee.user.email, cn=employee.full_name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
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
    # A VTIMEZONE covering a year either side keeps the file small but right across
    # the clock changes near the event.
    calendar.add_missing_timezones(
        first_date=starts_at.date() - timedelta(days=366), last_date=ends_at.date() + timedelta(days=366)
    )
    return calendar.to_ical()
