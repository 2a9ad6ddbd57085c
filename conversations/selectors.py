"""Reads of conversations for lists and home pages, through the access rules."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from people.access import roles_for
from people.models import Employee

from . import access
from .models import Conversation
from .states import OPEN, next_step, waiting_for

Status = Conversation.Status


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
    reviews = access.conversations_visible(user).filter(follows__isnull=False, status__in=OPEN)
    if late_only:
        reviews = reviews.filter(due_on__lt=timezone.localdate())
    return reviews.select_related("employee__user", "host__user").order_by("due_on", "pk")


def reviews_for_home(employee: Employee) -> list[Conversation]:
    """For the home page: the open reviews `employee` takes part in, late ones first."""
    return list(
        Conversation.objects.filter(Q(employee=employee) | Q(host=employee), follows__isnull=False, status__in=OPEN)
        .select_related("employee__user", "host__user")
        .order_by("due_on", "pk")[:HOME_LIMIT]
    )
