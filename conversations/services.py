"""Writes to conversations: starting, booking, the moves between states, and saves that
refuse to overwrite someone else's newer edit.

Which moves are legal, for whom, and what a refused one says is decided in
conversations.states; its `apply` is the only writer of `status`. Saves of long text use
the stale-edit kit (core.versions).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, PositiveIntegerField, Q, When
from django.utils import timezone

from core.dates import working_days_between
from core.refusal import Refused
from core.versions import save_versioned
from people.models import Employee

from . import states
from .calendar import sequence_moved_on
from .events import Event
from .models import Conversation, Preparation, PrivateNote
from .notifications import notify, notify_each
from .reviews import reviews_schedule

Status = Conversation.Status


def open_talent_conversation(employee: Employee) -> Conversation | None:
    """The employee's talent conversation under way (requested, booked, or held and not signed
    off), if any: there is at most one (a database constraint)."""
    return Conversation.objects.filter(
        employee=employee, kind=Conversation.Kind.TALENT, status__in=states.UNDER_WAY
    ).first()


def _refuse_a_second(employee: Employee, *, by_self: bool) -> None:
    if open_talent_conversation(employee) is not None:
        who = "You already have" if by_self else f"{employee.full_name} already has"
        raise Refused(f"{who} a talent conversation under way; there can be one at a time.")


def _create_talent_conversation(**fields) -> Conversation:
    """Create it, or Refused if another one for the same employee was created a moment ago."""
    try:
        with transaction.atomic():
            return Conversation.objects.create(**fields)
    except IntegrityError:
        _refuse_a_second(fields["employee"], by_self=fields["started_by"] == fields["employee"].user)
        raise


def conversation_start(*, manager: Employee, employee: Employee) -> Conversation:
    """A manager starts a talent conversation with someone in their line; it waits to be booked.
    Refused while the employee has one under way."""
    _refuse_a_second(employee, by_self=False)
    conversation = _create_talent_conversation(
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
    """An employee nominates themselves to their line manager (refused while they have a talent
    conversation under way), or asks a career supporter."""
    to_supporter = host.pk != employee.line_manager_id
    fields = {
        "employee": employee,
        "host": host,
        "kind": Conversation.Kind.CAREER if to_supporter else Conversation.Kind.TALENT,
        "origin": Conversation.Origin.SUPPORTER_REQUEST if to_supporter else Conversation.Origin.NOMINATION,
        "started_by": employee.user,
        "nomination_reason": reason,
        "statement": statement,
        "growth_direction": growth_direction,
    }
    if to_supporter:
        conversation = Conversation.objects.create(**fields)
    else:
        _refuse_a_second(employee, by_self=True)
        conversation = _create_talent_conversation(**fields)
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


# Changes of the organisation (the staff import, through conversations.staff_changes) ----------

HANDED_OVER_KINDS = [Conversation.Kind.TALENT, Conversation.Kind.SIX_MONTH, Conversation.Kind.TWELVE_MONTH]
LEFT_THE_ORGANISATION = "left the organisation"
BATCH = 2000


def _in_batches(ids: list[int]):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def conversations_to_hand_over(moves) -> dict:
    """The open talent conversations and reviews that follow people to their new line manager:
    those hosted by the manager they had, by conversation id, with the person's move (a
    people.signals.ManagerMove: its new manager may be nobody, or not in the system yet)."""
    by_employee = {move.employee_id: move for move in moves if move.old_manager_id is not None}
    found = {}
    for ids in _in_batches(sorted(by_employee)):
        rows = Conversation.objects.filter(
            employee_id__in=ids, kind__in=HANDED_OVER_KINDS, status__in=states.OPEN
        ).values_list("pk", "employee_id", "host_id")
        for pk, employee_id, host_id in rows:
            move = by_employee[employee_id]
            if host_id == move.old_manager_id:
                found[pk] = move
    return found


def conversations_hand_over(moves) -> tuple[int, int]:
    """Give the open talent conversations and reviews of people whose line manager changed to the
    new manager, who is emailed about each. Not a move between states: the host changes, the
    conversation stays as it is (a booked one keeps its time). Returns (handed over, left with
    their host because the person has no manager now)."""
    found = conversations_to_hand_over(moves)
    by_new_host: dict[int, list[int]] = {}
    for pk, move in found.items():
        if move.new_manager_id is not None:
            by_new_host.setdefault(move.new_manager_id, []).append(pk)
    now = timezone.now()
    for new_host, pks in by_new_host.items():
        for ids in _in_batches(pks):
            Conversation.objects.filter(pk__in=ids, status__in=states.OPEN).update(host_id=new_host, updated_at=now)
    wanted = [pk for pks in by_new_host.values() for pk in pks]
    host_of = {}
    for ids in _in_batches(wanted):
        host_of.update(Conversation.objects.filter(pk__in=ids).values_list("pk", "host_id"))
    handed = [pk for pk in wanted if host_of.get(pk) == found[pk].new_manager_id]
    notify_each(handed, Event.HANDED_OVER, recipient_of=host_of)
    return len(handed), len(found) - len(handed)


def _open_conversations_of(employee_ids: list[int]):
    return Conversation.objects.filter(
        Q(employee_id__in=employee_ids) | Q(host_id__in=employee_ids), status__in=states.OPEN
    )


def conversations_of_leavers(employee_ids: list[int], *, except_ids: set[int] = frozenset()) -> int:
    """How many open conversations and reviews leavers take part in (closed when they leave),
    leaving out `except_ids` (those handed to a new manager first)."""
    found = set()
    for ids in _in_batches(employee_ids):
        found.update(_open_conversations_of(ids).values_list("pk", flat=True))
    return len(found - set(except_ids))


def conversations_close_for_leavers(employee_ids: list[int]) -> int:
    """Close the open conversations and reviews that leavers take part in, as host or employee,
    with the reason "left the organisation" (the system's move `close_for_leaver`): reminders
    stop. A booked one is taken out of the other person's calendar. Returns how many closed."""
    closed = 0
    for ids in _in_batches(employee_ids):
        conversations = _open_conversations_of(ids)
        booked = list(conversations.filter(status=Status.BOOKED).values_list("pk", flat=True))
        closed += states.apply_as_system(
            conversations,
            "close_for_leaver",
            close_reason=LEFT_THE_ORGANISATION,
            calendar_sequence=Case(
                When(status=Status.BOOKED, then=F("calendar_sequence") + 1),
                default=F("calendar_sequence"),
                output_field=PositiveIntegerField(),
            ),
        )
        for conversation in Conversation.objects.filter(pk__in=booked, status=Status.CLOSED).select_related(
            "employee__user", "host__user"
        ):
            notify(conversation, Event.CANCELLED)
    return closed
