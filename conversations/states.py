"""The conversation's states and the moves between them: the one place that says what may
happen to a conversation now, who may make each move, what a refused move says, and whose
turn it is.

    requested --book--> booked --hold--> held --host_sign_off--> held --employee_sign_off--> signed off
        |  \\                  |   ^ book (rebook)
        |   decline            cancel
        |   cancel / close_review (reviews)
        v
    declined, cancelled, closed

A leaver's open conversations and reviews are closed by the system, not a person
(`close_for_leaver`, made with `apply_as_system`; SYSTEM is nobody's part in a conversation,
so `allowed` never offers it on a page).

A review (6- or 12-month) is not declined or cancelled: its host moves it to another date
(`reschedule`) or closes it without meeting (`close_review`). Some moves change no state but
are allowed only in some (`edit_record`, `prepare`, `comment`, `edit_checklist`, `invite`).

`apply` is the only code that writes `status`: one conditional UPDATE (`WHERE status = <the
state the move was checked against>`), so two people acting at once cannot both succeed.
Views ask `allowed`/`check` and give templates `page_context`; services call `apply`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from core.refusal import Refused
from people.models import Employee

from .models import Conversation

Status = Conversation.Status
HOST, EMPLOYEE, EITHER = "host", "employee", "either"
SYSTEM = "system"  # the site itself (the staff import), never a person

OPEN = frozenset({Status.REQUESTED, Status.BOOKED})  # waiting to be held
RECORDED = frozenset({Status.HELD, Status.SIGNED_OFF})
# A talent conversation under way: an employee has one of these at a time (a database constraint).
UNDER_WAY = frozenset({Status.REQUESTED, Status.BOOKED, Status.HELD})
ALL = frozenset(Status)

REFUSED = "This {noun} is {status}; that is not possible now."
RACED = "Someone else changed this {noun} a moment ago. Reload to see its state."
SIGN_OFF_NEEDS_TEXT = "Write the Topic and the Way forward before you sign off the record."


def _always(conversation: Conversation, now: datetime) -> bool:
    return True


def _has_started(conversation: Conversation, now: datetime) -> bool:
    return conversation.starts_at is not None and conversation.starts_at <= now


def _host_has_signed(conversation: Conversation, now: datetime) -> bool:
    return conversation.host_signed_off_at is not None


def _host_has_not_signed(conversation: Conversation, now: datetime) -> bool:
    return conversation.host_signed_off_at is None


def has_topic_and_way_forward(conversation: Conversation) -> bool:
    return bool(conversation.topic.strip() and conversation.way_forward.strip())


def _host_may_sign_off(conversation: Conversation, now: datetime) -> bool:
    return _host_has_not_signed(conversation, now) and has_topic_and_way_forward(conversation)


def _sign_off_refusal(conversation: Conversation) -> str:
    waiting = conversation.status == Status.HELD and not conversation.host_signed_off_at
    return SIGN_OFF_NEEDS_TEXT if waiting and not has_topic_and_way_forward(conversation) else REFUSED


@dataclass(frozen=True)
class Move:
    sources: frozenset  # the states it may be made from
    target: str | None  # the state it leads to; None: the state stays as it is
    who: str  # HOST, EMPLOYEE, EITHER or SYSTEM
    when: Callable[[Conversation, datetime], bool] = _always  # a further condition
    reviews: bool | None = None  # True: reviews only; False: not for reviews; None: both
    # what a refused move says, with {noun} and {status}; or a function of the conversation that
    # returns that text
    refusal: str | Callable[[Conversation], str] = REFUSED


MOVES: dict[str, Move] = {
    "book": Move(OPEN, Status.BOOKED, HOST),
    "decline": Move(frozenset({Status.REQUESTED}), Status.DECLINED, HOST, reviews=False),
    "cancel": Move(OPEN, Status.CANCELLED, EITHER, reviews=False),
    "hold": Move(frozenset({Status.BOOKED}), Status.HELD, HOST, when=_has_started),
    "host_sign_off": Move(
        frozenset({Status.HELD}), Status.HELD, HOST, when=_host_may_sign_off, refusal=_sign_off_refusal
    ),
    "employee_sign_off": Move(frozenset({Status.HELD}), Status.SIGNED_OFF, EMPLOYEE, when=_host_has_signed),
    "reschedule": Move(OPEN, None, HOST, reviews=True, refusal="This review is {status}; it cannot be changed now."),
    "close_review": Move(
        OPEN, Status.CLOSED, HOST, reviews=True, refusal="This review is {status}; it cannot be changed now."
    ),
    # Made by the system: someone in the conversation left the organisation.
    "close_for_leaver": Move(OPEN, Status.CLOSED, SYSTEM),
    # Moves that change no state
    "edit_record": Move(
        frozenset({Status.BOOKED, Status.HELD}),
        None,
        HOST,
        when=_host_has_not_signed,
        refusal="The record can be edited by the host until they sign it off.",
    ),
    "prepare": Move(OPEN, None, EMPLOYEE, refusal="Preparation can be changed until the conversation is held."),
    "comment": Move(
        frozenset({Status.HELD}),
        None,
        EMPLOYEE,
        when=_host_has_signed,
        refusal="Comments can be added once the host has signed off the record, until you sign it off.",
    ),
    "edit_checklist": Move(
        frozenset({Status.REQUESTED, Status.BOOKED, Status.HELD}),
        None,
        HOST,
        refusal="The preparation checklist can be changed until the record is signed off.",
    ),
    "keep_private_notes": Move(ALL, None, HOST, refusal="Only the host keeps private notes on a conversation."),
    "invite": Move(frozenset({Status.BOOKED}), None, EITHER),
}


def noun(conversation: Conversation) -> str:
    return "review" if conversation.is_review else "conversation"


def _may(conversation: Conversation, move: Move, role: str, now: datetime) -> bool:
    return (
        conversation.status in move.sources
        and bool(role)
        and move.who in (role, EITHER)
        and (move.reviews is None or move.reviews == conversation.is_review)
        and move.when(conversation, now)
    )


def allowed(conversation: Conversation, employee: Employee | None, *, now: datetime | None = None) -> set[str]:
    """The moves `employee` may make on `conversation` now: what the page offers."""
    if employee is None:
        return set()
    now = now or timezone.now()
    role = conversation.role_of(employee)
    return {name for name, move in MOVES.items() if _may(conversation, move, role, now)}


def refusal(conversation: Conversation, name: str) -> str:
    """What a refused `name` says about `conversation` as it stands."""
    text = MOVES[name].refusal
    if callable(text):
        text = text(conversation)
    return text.format(noun=noun(conversation), status=conversation.get_status_display().lower())


def check(conversation: Conversation, name: str, by: Employee | None) -> None:
    """Refused, with the move's refusal, unless `by` may make move `name` now."""
    if name not in allowed(conversation, by):
        raise Refused(refusal(conversation, name))


def apply(conversation: Conversation, name: str, by: Employee, **changes) -> None:
    """Make move `name` if `by` may make it now, as one conditional update (with `changes` to
    other fields); else Refused. The conversation is reloaded afterwards."""
    check(conversation, name, by)
    target = MOVES[name].target
    if target is not None:
        changes["status"] = target
    changes["updated_at"] = timezone.now()
    if not Conversation.objects.filter(pk=conversation.pk, status=conversation.status).update(**changes):
        raise Refused(RACED.format(noun=noun(conversation)))
    conversation.refresh_from_db()


def apply_as_system(conversations: QuerySet[Conversation], name: str, **changes) -> int:
    """Make the system's move `name` on each of `conversations` that is in a state it may be made
    from, as one conditional update (`WHERE status IN <its sources>`), with `changes` to other
    fields. Returns how many moved; those that had moved on meanwhile are left as they are."""
    move = MOVES[name]
    if move.who != SYSTEM:
        raise ValueError(f"{name} is made by a person, with apply()")
    if move.target is not None:
        changes["status"] = move.target
    changes["updated_at"] = timezone.now()
    return conversations.filter(status__in=move.sources).update(**changes)


def plan_may_start_from(conversation: Conversation) -> bool:
    """A development plan starts from a talent conversation or review once both signed off its record."""
    return conversation.status == Status.SIGNED_OFF and conversation.kind != Conversation.Kind.CAREER


# For pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """A conversation's state in the words templates ask about."""

    conversation: Conversation

    @property
    def is_open(self) -> bool:
        """Requested or booked: still to be held."""
        return self.conversation.status in OPEN

    @property
    def is_booked(self) -> bool:
        return self.conversation.status == Status.BOOKED

    @property
    def is_held(self) -> bool:
        """Held, its record not yet signed off by both."""
        return self.conversation.status == Status.HELD

    @property
    def is_recorded(self) -> bool:
        """Held, or held and signed off: there is a record to read and comment on."""
        return self.conversation.status in RECORDED

    @property
    def is_signed_off(self) -> bool:
        return self.conversation.status == Status.SIGNED_OFF

    @property
    def is_declined(self) -> bool:
        return self.conversation.status == Status.DECLINED

    @property
    def is_cancelled(self) -> bool:
        return self.conversation.status == Status.CANCELLED

    @property
    def is_closed(self) -> bool:
        return self.conversation.status == Status.CLOSED

    @property
    def plan_may_start(self) -> bool:
        return plan_may_start_from(self.conversation)


def page_context(conversation: Conversation, employee: Employee | None) -> dict:
    """What a conversation's templates ask of its state: `state`, the moves open to the viewer as
    `actions`, and `sign_off_waits` (why the host's sign-off is not offered yet, or "")."""
    actions = allowed(conversation, employee)
    waits = ""
    if "edit_record" in actions and conversation.status == Status.HELD and not has_topic_and_way_forward(conversation):
        waits = SIGN_OFF_NEEDS_TEXT
    return {"state": State(conversation), "actions": actions, "sign_off_waits": waits}


# Whose turn ---------------------------------------------------------------------------


def waiting_for(employee: Employee, *, now: datetime | None = None) -> Q:
    """Conversations in which it is `employee`'s turn to do something."""
    now = now or timezone.now()
    as_host = Q(host=employee) & (
        Q(status=Status.REQUESTED)
        | Q(status=Status.BOOKED, starts_at__lte=now)
        | Q(status=Status.HELD, host_signed_off_at__isnull=True)
    )
    as_employee = Q(employee=employee) & (
        Q(status=Status.BOOKED) & (Q(preparation__isnull=True) | Q(preparation__shared_at__isnull=True))
        | Q(status=Status.HELD, host_signed_off_at__isnull=False, employee_signed_off_at__isnull=True)
    )
    return as_host | as_employee


def next_step(conversation: Conversation, employee: Employee | None) -> str:
    """What happens next, in words, for the person looking."""
    if employee is None:
        return ""
    role = conversation.role_of(employee)
    host_name = conversation.host.user.first_name
    status = conversation.status
    if status == Status.REQUESTED and conversation.is_review:
        due = date_format(conversation.due_on, "j M Y")
        late = conversation.due_on < timezone.localdate()
        if role == HOST:
            return f"Book the {conversation.get_kind_display().lower()}: {'overdue since' if late else 'due'} {due}"
        return f"{conversation.get_kind_display()} {'overdue since' if late else 'due'} {due}"
    if status == Status.REQUESTED:
        if role == HOST:
            return "Accept and book a time, or decline"
        return f"Waiting for {host_name} to book a time" if role == EMPLOYEE else "Waiting to be booked"
    if status == Status.BOOKED:
        if role == HOST:
            return (
                "Record the conversation"
                if conversation.starts_at <= timezone.now()
                else "Prepare for the conversation"
            )
        if role == EMPLOYEE:
            preparation = getattr(conversation, "preparation", None)
            if preparation is None or preparation.shared_at is None:
                return "Prepare your answers and share them"
            return "Meet as booked"
        return "Booked"
    if status == Status.HELD:
        if not conversation.host_signed_off_at:
            return "Finish the record and sign it off" if role == HOST else f"Waiting for {host_name} to sign off"
        if role == EMPLOYEE:
            return "Read the record, comment and sign off"
        return f"Waiting for {conversation.employee.user.first_name} to sign off"
    return ""


# Why a writing page is closed ------------------------------------------------------------


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def preparation_closed(conversation: Conversation) -> str:
    if conversation.status in {Status.DECLINED, Status.CANCELLED}:
        return f"This conversation was {conversation.get_status_display().lower()}, so preparation is closed."
    return "Your conversation has been held, so your preparation can no longer be changed."


def record_closed(conversation: Conversation) -> str:
    if conversation.status == Status.REQUESTED:
        return "The record opens once the conversation is booked."
    if conversation.status in {Status.DECLINED, Status.CANCELLED}:
        return f"This conversation was {conversation.get_status_display().lower()}, so there is no record to write."
    if conversation.status == Status.SIGNED_OFF:
        return f"You and {conversation.employee.user.first_name} have both signed off the record, so it is complete."
    if conversation.host_signed_off_at:
        return (
            f"You signed off the record on {_day(conversation.host_signed_off_at)}, so it can no longer be changed. "
            f"{conversation.employee.user.first_name} can add comments, then sign it off too."
        )
    return "The record cannot be changed now."


def comments_closed(conversation: Conversation) -> str:
    host = conversation.host.user.first_name
    status = conversation.get_status_display().lower()
    if conversation.status in {Status.DECLINED, Status.CANCELLED}:
        return f"This conversation was {status}, so there is no record to comment on."
    if conversation.status == Status.SIGNED_OFF:
        signed = conversation.employee_signed_off_at
        return f"You signed off the record{f' on {_day(signed)}' if signed else ''}, so your comments are final."
    return (
        f"You can add comments once {host} has written and signed off the record. "
        f"Until then, talk to {host} about anything you would change."
    )
