"""Writes to conversations: starting, booking, the moves between states, and saves that
refuse to overwrite someone else's newer edit.

Which moves are legal, for whom, and what a refused one says is decided in
conversations.states; its `apply` is the only writer of `status`. Saves of long text use
the stale-edit kit (core.versions).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.dates import working_days_between
from core.versions import save_versioned
from people.models import Employee

from . import states
from .calendar import sequence_moved_on
from .events import Event
from .models import Conversation, Preparation, PrivateNote
from .notifications import notify
from .reviews import reviews_schedule

Status = Conversation.Status


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
        states.apply(
            conversation,
            "book",
            by,
            starts_at=booking.starts_at,
            duration_minutes=booking.duration_minutes,
            venue=booking.venue,
            venue_is_private=booking.venue_is_private,
            **sequence_moved_on(conversation),
        )
        notify(conversation, Event.REBOOKED if rebooking else Event.BOOKED)
    return conversation


def conversation_decline(*, conversation: Conversation, by: Employee, reason: str) -> Conversation:
    with transaction.atomic():
        states.apply(conversation, "decline", by, decline_reason=reason)
        notify(conversation, Event.DECLINED)
    return conversation


def conversation_cancel(*, conversation: Conversation, by: Employee, reason: str) -> Conversation:
    with transaction.atomic():
        states.apply(conversation, "cancel", by, cancel_reason=reason, **sequence_moved_on(conversation))
        notify(conversation, Event.CANCELLED, cancelled_by=by.pk)
    return conversation


def conversation_hold(*, conversation: Conversation, by: Employee) -> Conversation:
    """The conversation took place: the host records it; a talent conversation's reviews are scheduled."""
    with transaction.atomic():
        states.apply(conversation, "hold", by, held_at=timezone.now())
        reviews_schedule(conversation=conversation)
    return conversation


def conversation_sign_off(*, conversation: Conversation, by: Employee) -> Conversation:
    """The host signs off the record first; then the employee, which completes it."""
    now = timezone.now()
    with transaction.atomic():
        if conversation.role_of(by) == "host":
            states.apply(conversation, "host_sign_off", by, host_signed_off_at=now)
            notify(conversation, Event.READY_FOR_SIGN_OFF)
        else:
            states.apply(conversation, "employee_sign_off", by, employee_signed_off_at=now)
            notify(conversation, Event.SIGNED_OFF)
    return conversation


def record_save(*, conversation: Conversation, by: Employee, data: dict, version: int) -> int:
    """Save the host's record (TGROW, checklist, shared notes). Returns the new version."""
    states.check(conversation, "edit_record", by)
    return save_versioned(
        Conversation.objects.filter(pk=conversation.pk, status=conversation.status, host_signed_off_at=None),
        version=version,
        field="record_version",
        changes={**data, "record_updated_at": timezone.now(), "updated_at": timezone.now()},
        current=lambda: Conversation.objects.get(pk=conversation.pk),
    )


def comments_save(*, conversation: Conversation, by: Employee, text: str, version: int) -> int:
    states.check(conversation, "comment", by)
    return save_versioned(
        Conversation.objects.filter(pk=conversation.pk, status=conversation.status),
        version=version,
        field="comments_version",
        changes={"employee_comments": text, "updated_at": timezone.now()},
        current=lambda: Conversation.objects.get(pk=conversation.pk),
    )


def preparation_save(*, conversation: Conversation, by: Employee, data: dict, version: int, share: bool) -> int:
    """Save the employee's answers as a draft; `share` also shares them with the host."""
    states.check(conversation, "prepare", by)
    preparation, _ = Preparation.objects.get_or_create(conversation=conversation)
    changes = dict(data)
    sharing_now = share and preparation.shared_at is None
    if sharing_now:
        changes["shared_at"] = timezone.now()
    with transaction.atomic():
        new_version = save_versioned(
            Preparation.objects.filter(pk=preparation.pk),
            version=version,
            changes={**changes, "updated_at": timezone.now()},
            current=lambda: Preparation.objects.get(pk=preparation.pk),
        )
        if sharing_now:
            notify(conversation, Event.PREPARATION_SHARED)
    return new_version


def private_note_save(*, conversation: Conversation, by: Employee, text: str, version: int) -> int:
    states.check(conversation, "keep_private_notes", by)
    note, _ = PrivateNote.objects.get_or_create(conversation=conversation, author=by.user)
    return save_versioned(
        PrivateNote.objects.filter(pk=note.pk),
        version=version,
        changes={"text": text, "updated_at": timezone.now()},
        current=lambda: PrivateNote.objects.get(pk=note.pk),
    )


def checklist_save(*, conversation: Conversation, by: Employee, ticks: dict[str, bool]) -> None:
    """The host ticks off their preparation checklist, while the conversation is open or being recorded."""
    states.apply(conversation, "edit_checklist", by, **ticks)
