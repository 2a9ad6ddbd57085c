"""Reads of conversations for lists and home pages, through the access rules."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from people.access import roles_for
from people.models import Employee

from . import access
from .models import Conversation

Status = Conversation.Status
OPEN = [Status.REQUESTED, Status.BOOKED, Status.HELD]


def waiting_for(employee: Employee) -> Q:
    """Conversations in which it is `employee`'s turn to do something."""
    now = timezone.now()
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


def conversations_listed(user, *, show: str = "", status: str = "") -> QuerySet[Conversation]:
    conversations = access.conversations_visible(user).select_related("employee__user", "host__user", "preparation")
    me = roles_for(user).employee
    if show == "waiting":
        conversations = conversations.filter(waiting_for(me)) if me else conversations.none()
    elif show == "upcoming":
        conversations = conversations.filter(status=Status.BOOKED, starts_at__gte=timezone.now()).order_by("starts_at")
    if status:
        conversations = conversations.filter(status=status)
    return conversations


def next_step(conversation: Conversation, employee: Employee | None) -> str:
    """What happens next, in words, for the person looking."""
    if employee is None:
        return ""
    is_host = conversation.host_id == employee.pk
    is_subject = conversation.employee_id == employee.pk
    host_name = conversation.host.user.first_name
    status = conversation.status
    if status == Status.REQUESTED and conversation.is_review:
        due = date_format(conversation.due_on, "j M Y")
        late = conversation.due_on < timezone.localdate()
        if is_host:
            return f"Book the {conversation.get_kind_display().lower()}: {'overdue since' if late else 'due'} {due}"
        return f"{conversation.get_kind_display()} {'overdue since' if late else 'due'} {due}"
    if status == Status.REQUESTED:
        if is_host:
            return "Accept and book a time, or decline"
        return f"Waiting for {host_name} to book a time" if is_subject else "Waiting to be booked"
    if status == Status.BOOKED:
        if is_host:
            return (
                "Record the conversation"
                if conversation.starts_at <= timezone.now()
                else "Prepare for the conversation"
            )
        if is_subject:
            preparation = getattr(conversation, "preparation", None)
            if preparation is None or preparation.shared_at is None:
                return "Prepare your answers and share them"
            return "Meet as booked"
        return "Booked"
    if status == Status.HELD:
        if not conversation.host_signed_off_at:
            return "Finish the record and sign it off" if is_host else f"Waiting for {host_name} to sign off"
        if is_subject:
            return "Read the record, comment and sign off"
        return f"Waiting for {conversation.employee.user.first_name} to sign off"
    return ""


HOME_LIMIT = 5


def conversations_waiting(employee: Employee) -> list[tuple[Conversation, str]]:
    """For the home page: the conversations where it is `employee`'s turn, with the step."""
    waiting = (
        Conversation.objects.filter(waiting_for(employee))
        .select_related("employee__user", "host__user", "preparation")
        .order_by("created_at")[:HOME_LIMIT]
    )
    return [(conversation, next_step(conversation, employee)) for conversation in waiting]


def conversations_upcoming(employee: Employee) -> list[Conversation]:
    """For the home page: `employee`'s booked conversations still to come, soonest first."""
    return list(
        Conversation.objects.filter(Q(employee=employee) | Q(host=employee))
        .filter(status=Status.BOOKED, starts_at__gte=timezone.now())
        .select_related("employee__user", "host__user")
        .order_by("starts_at")[:HOME_LIMIT]
    )


def reviews_open(user, *, late_only: bool = False) -> QuerySet[Conversation]:
    """Reviews waiting to be held that the user may see, soonest due first."""
    reviews = access.conversations_visible(user).filter(
        follows__isnull=False, status__in=[Status.REQUESTED, Status.BOOKED]
    )
    if late_only:
        reviews = reviews.filter(due_on__lt=timezone.localdate())
    return reviews.select_related("employee__user", "host__user").order_by("due_on", "pk")


def reviews_for_home(employee: Employee) -> list[Conversation]:
    """For the home page: the open reviews `employee` takes part in, late ones first."""
    return list(
        Conversation.objects.filter(
            Q(employee=employee) | Q(host=employee), follows__isnull=False, status__in=[Status.REQUESTED, Status.BOOKED]
        )
        .select_related("employee__user", "host__user")
        .order_by("due_on", "pk")[:HOME_LIMIT]
    )
