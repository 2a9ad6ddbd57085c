"""Writes to conversations: starting, booking, the moves between states, and saves that
refuse to overwrite someone else's newer edit.

Every state change is a conditional update (`WHERE status IN (...)`), so two people
acting at once cannot both succeed, and only the moves in TRANSITIONS are possible.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import Employee

from .models import Conversation, Preparation, PrivateNote
from .notifications import Event, notify

Status = Conversation.Status

# action: (states it may start from, the state it leads to, who may take it)
TRANSITIONS = {
    "book": ({Status.REQUESTED, Status.BOOKED}, Status.BOOKED, "host"),
    "decline": ({Status.REQUESTED}, Status.DECLINED, "host"),
    "cancel": ({Status.REQUESTED, Status.BOOKED}, Status.CANCELLED, "either"),
    "hold": ({Status.BOOKED}, Status.HELD, "host"),
    "host_sign_off": ({Status.HELD}, Status.HELD, "host"),
    "employee_sign_off": ({Status.HELD}, Status.SIGNED_OFF, "employee"),
    "close_review": ({Status.REQUESTED, Status.BOOKED}, Status.CLOSED, "host"),  # reviews only
}
RECORD_EDITABLE = {Status.BOOKED, Status.HELD}


class IllegalMove(Exception):
    """The conversation is not in a state where this can happen, or not by this person."""


class StaleVersion(Exception):
    """Someone saved a newer version since this one was loaded."""

    def __init__(self, current):
        self.current = current
        super().__init__("A newer version has been saved.")


def actions_available(conversation: Conversation, employee: Employee | None, *, now: datetime | None = None) -> set:
    """The actions `employee` may take on `conversation` now: what the page offers."""
    if employee is None:
        return set()
    now = now or timezone.now()
    role = conversation.role_of(employee)
    actions = set()
    for action, (sources, _, who) in TRANSITIONS.items():
        if conversation.status in sources and role and who in (role, "either"):
            actions.add(action)
    if "hold" in actions and conversation.starts_at > now:
        actions.discard("hold")
    if conversation.host_signed_off_at:
        actions.discard("host_sign_off")
    else:
        actions.discard("employee_sign_off")
    if role == "host" and conversation.status in RECORD_EDITABLE and not conversation.host_signed_off_at:
        actions.add("edit_record")
    if role == "employee" and conversation.status in {Status.REQUESTED, Status.BOOKED}:
        actions.add("prepare")
    if role == "employee" and conversation.status == Status.HELD and conversation.host_signed_off_at:
        actions.add("comment")
    if not conversation.is_review:
        actions.discard("close_review")
    elif conversation.status in {Status.REQUESTED, Status.BOOKED}:
        # A review is not declined or cancelled: it is moved to another date, or closed.
        actions -= {"decline", "cancel"}
        if role == "host":
            actions.add("reschedule")
    return actions


def move(conversation: Conversation, action: str, by: Employee, **changes) -> None:
    """Apply `action` if it is legal for `by` now, as one conditional update; else IllegalMove."""
    _, target, _ = TRANSITIONS[action]
    if action not in actions_available(conversation, by):
        raise IllegalMove(
            f"This conversation is {conversation.get_status_display().lower()}; that is not possible now."
        )
    changes = {"status": target, "updated_at": timezone.now(), **changes}
    updated = Conversation.objects.filter(pk=conversation.pk, status=conversation.status).update(**changes)
    if not updated:
        raise IllegalMove("Someone else changed this conversation a moment ago. Reload to see its state.")
    conversation.refresh_from_db()


def conversation_start(*, manager: Employee, employee: Employee) -> Conversation:
    """A manager starts a talent conversation with someone in their line; it waits to be booked."""
    conversation = Conversation.objects.create(
        employee=employee, host=manager, origin=Conversation.Origin.MANAGER, started_by=manager.user
    )
    notify(conversation, Event.STARTED)
    return conversation


def nomination_create(
    *,
    employee: Employee,
    host: Employee,
    reason: str,
    statement: str,
    growth_direction: str,
) -> Conversation:
    """An employee nominates themselves to their line manager, or asks a career supporter."""
    to_supporter = host.pk != employee.line_manager_id
    conversation = Conversation.objects.create(
        employee=employee,
        host=host,
        kind=Conversation.Kind.CAREER if to_supporter else Conversation.Kind.TALENT,
        origin=Conversation.Origin.SUPPORTER_REQUEST if to_supporter else Conversation.Origin.NOMINATION,
        started_by=employee.user,
        nomination_reason=reason,
        statement=statement,
        growth_direction=growth_direction,
    )
    notify(conversation, Event.REQUESTED)
    return conversation


@dataclass(frozen=True)
class Booking:
    starts_at: datetime
    duration_minutes: int
    venue: str
    venue_is_private: bool

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


def working_days_between(start: date, end: date) -> int:
    """Weekdays after `start` up to and including `end`."""
    days = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days


def booking_warnings(*, conversation: Conversation, booking: Booking, today: date | None = None) -> list[str]:
    """What the host should know before confirming: short notice, and clashes with their other conversations."""
    warnings = []
    today = today or timezone.localdate()
    notice = settings.BOOKING_NOTICE_WORKING_DAYS
    given = working_days_between(today, timezone.localdate(booking.starts_at))
    if given < notice:
        warnings.append(
            f"Short notice: {given} working day{'s' if given != 1 else ''} away. "
            f"Give at least {notice} working days so that {conversation.employee.user.first_name} can prepare."
        )
    weekday = timezone.localtime(booking.starts_at).weekday()
    if weekday >= 5:
        warnings.append(f"That is a {'Saturday' if weekday == 5 else 'Sunday'}.")
    clashes = (
        Conversation.objects.filter(host=conversation.host, status=Status.BOOKED, starts_at__lt=booking.ends_at)
        .exclude(pk=conversation.pk)
        .select_related("employee__user")
    )
    for other in clashes:
        if other.ends_at > booking.starts_at:
            warnings.append(
                f"Clash: you have a conversation with {other.employee.full_name} at "
                f"{timezone.localtime(other.starts_at):%H:%M on %d/%m/%Y}."
            )
    return warnings


def conversation_book(*, conversation: Conversation, by: Employee, booking: Booking) -> Conversation:
    """Accept and book, or rebook: both people get an invite, or an updated one."""
    rebooking = conversation.status == Status.BOOKED
    with transaction.atomic():
        move(
            conversation,
            "book",
            by,
            starts_at=booking.starts_at,
            duration_minutes=booking.duration_minutes,
            venue=booking.venue,
            venue_is_private=booking.venue_is_private,
            calendar_sequence=F("calendar_sequence") + (1 if rebooking else 0),
        )
        notify(conversation, Event.REBOOKED if rebooking else Event.BOOKED)
    return conversation


def conversation_decline(*, conversation: Conversation, by: Employee, reason: str) -> Conversation:
    with transaction.atomic():
        move(conversation, "decline", by, decline_reason=reason)
        notify(conversation, Event.DECLINED)
    return conversation


def conversation_cancel(*, conversation: Conversation, by: Employee, reason: str) -> Conversation:
    was_booked = conversation.status == Status.BOOKED
    with transaction.atomic():
        move(
            conversation,
            "cancel",
            by,
            cancel_reason=reason,
            calendar_sequence=F("calendar_sequence") + (1 if was_booked else 0),
        )
        notify(conversation, Event.CANCELLED, cancelled_by=by.pk)
    return conversation


def conversation_hold(*, conversation: Conversation, by: Employee) -> Conversation:
    """The conversation took place: the host records it; a talent conversation's reviews are scheduled."""
    from .reviews import reviews_schedule

    with transaction.atomic():
        move(conversation, "hold", by, held_at=timezone.now())
        reviews_schedule(conversation=conversation)
    return conversation


def conversation_sign_off(*, conversation: Conversation, by: Employee) -> Conversation:
    """The host signs off the record first; then the employee, which completes it."""
    now = timezone.now()
    with transaction.atomic():
        if conversation.role_of(by) == "host":
            move(conversation, "host_sign_off", by, host_signed_off_at=now)
            notify(conversation, Event.READY_FOR_SIGN_OFF)
        else:
            move(conversation, "employee_sign_off", by, employee_signed_off_at=now)
            notify(conversation, Event.SIGNED_OFF)
    return conversation


def _save_versioned(queryset, *, version: int, version_field: str, changes: dict, load_current):
    """Save `changes` only if the row is still at `version`; else StaleVersion with what is there now."""
    updated = queryset.filter(**{version_field: version}).update(**changes, **{version_field: F(version_field) + 1})
    if not updated:
        raise StaleVersion(load_current())
    return version + 1


def record_save(*, conversation: Conversation, by: Employee, data: dict, version: int) -> int:
    """Save the host's record (TGROW, checklist, shared notes). Returns the new version."""
    if "edit_record" not in actions_available(conversation, by):
        raise IllegalMove("The record can be edited by the host until they sign it off.")
    return _save_versioned(
        Conversation.objects.filter(pk=conversation.pk, status__in=RECORD_EDITABLE, host_signed_off_at=None),
        version=version,
        version_field="record_version",
        changes={**data, "record_updated_at": timezone.now(), "updated_at": timezone.now()},
        load_current=lambda: Conversation.objects.get(pk=conversation.pk),
    )


def comments_save(*, conversation: Conversation, by: Employee, text: str, version: int) -> int:
    if "comment" not in actions_available(conversation, by):
        raise IllegalMove("Comments can be added once the host has signed off the record, until you sign it off.")
    return _save_versioned(
        Conversation.objects.filter(pk=conversation.pk, status=Status.HELD),
        version=version,
        version_field="comments_version",
        changes={"employee_comments": text, "updated_at": timezone.now()},
        load_current=lambda: Conversation.objects.get(pk=conversation.pk),
    )


def preparation_save(*, conversation: Conversation, by: Employee, data: dict, version: int, share: bool) -> int:
    """Save the employee's answers as a draft; `share` also shares them with the host."""
    if "prepare" not in actions_available(conversation, by):
        raise IllegalMove("Preparation can be changed until the conversation is held.")
    preparation, _ = Preparation.objects.get_or_create(conversation=conversation)
    changes = dict(data)
    sharing_now = share and preparation.shared_at is None
    if sharing_now:
        changes["shared_at"] = timezone.now()
    with transaction.atomic():
        new_version = _save_versioned(
            Preparation.objects.filter(pk=preparation.pk),
            version=version,
            version_field="version",
            changes={**changes, "updated_at": timezone.now()},
            load_current=lambda: Preparation.objects.get(pk=preparation.pk),
        )
        if sharing_now:
            notify(conversation, Event.PREPARATION_SHARED)
    return new_version


def private_note_save(*, conversation: Conversation, by: Employee, text: str, version: int) -> int:
    if conversation.role_of(by) != "host":
        raise IllegalMove("Only the host keeps private notes on a conversation.")
    note, _ = PrivateNote.objects.get_or_create(conversation=conversation, author=by.user)
    return _save_versioned(
        PrivateNote.objects.filter(pk=note.pk),
        version=version,
        version_field="version",
        changes={"text": text, "updated_at": timezone.now()},
        load_current=lambda: PrivateNote.objects.get(pk=note.pk),
    )
