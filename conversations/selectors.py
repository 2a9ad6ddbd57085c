"""Reads of conversations for lists and home pages, through the access rules."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from people.access import roles_for
from people.models import Employee

from . import access
from .models import Conversation, urgency_due_day, urgency_finished
from .states import OPEN, next_step, waiting_for

Status = Conversation.Status


# The one order of conversations, for the Conversations list and the home page --------------


def in_urgency_order(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Conversations still in progress first, the longest overdue first, then today's, this week's
    and later ones; then the finished ones, newest first. Each gets `due_day`. An index follows
    this order (Conversation.Meta), so a page of it is read, not sorted."""
    return conversations.annotate(due_day=urgency_due_day(), finished=urgency_finished()).order_by(
        "finished", F("due_day").asc(nulls_last=True), "-created_at", "-pk"
    )


OVERDUE, TODAY, THIS_WEEK, LATER = "overdue", "today", "this_week", "later"
BAND_LABELS = {OVERDUE: "Overdue or waiting", TODAY: "Today", THIS_WEEK: "This week", LATER: "Later"}


def urgency_of(due_day: date | None, today: date) -> str:
    if due_day is None or due_day > today + timedelta(days=6):
        return LATER
    if due_day < today:
        return OVERDUE
    return TODAY if due_day == today else THIS_WEEK


def _listed(user, *, show: str, status: str) -> Q:
    """The Conversations list's filters: what is waiting for the user, or coming up, and a status."""
    me = roles_for(user).employee
    listed = Q()
    if show == "waiting":
        listed &= waiting_for(me) if me else Q(pk__in=[])
    elif show == "upcoming":
        listed &= Q(status=Status.BOOKED, starts_at__gte=timezone.now())
    if status:
        listed &= Q(status=status)
    return listed


def conversations_listed(user, *, show: str = "", status: str = "") -> QuerySet[Conversation]:
    """The Conversations list, in urgency order: read a page at a time along the order's index
    (count it with conversations_listed_count)."""
    conversations = access.conversations_visible(user, walk=True).filter(_listed(user, show=show, status=status))
    return in_urgency_order(conversations.select_related("employee__user", "host__user", "preparation"))


def conversations_listed_count(user, *, show: str = "", status: str = "") -> int:
    return access.conversations_visible_count(
        user, Conversation.objects.filter(_listed(user, show=show, status=status))
    )


HOME_LIMIT = 5
NEEDS_YOU_SHOWN = 10


@dataclass
class NeedsYou:
    """What needs a person now, most urgent first: the first `shown` of them, and how many there
    are in all and in each band of urgency (overdue or waiting, today, this week, later)."""

    rows: list[tuple[Conversation, str, str]]  # (conversation, next step, band)
    total: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def bands(self) -> list[tuple[str, int]]:
        return [(BAND_LABELS[band], count) for band, count in self.counts.items() if count]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    def __bool__(self) -> bool:
        return self.total > 0


def conversations_waiting(employee: Employee, *, shown: int = NEEDS_YOU_SHOWN) -> NeedsYou:
    """For the home page: the conversations where it is `employee`'s turn, with the step, in the
    order of the Conversations list, and the counts by urgency. Two queries."""
    today = timezone.localdate()
    waiting = in_urgency_order(Conversation.objects.filter(waiting_for(employee)))
    counts = waiting.order_by().aggregate(
        **{
            OVERDUE: Count("pk", filter=Q(due_day__lt=today)),
            TODAY: Count("pk", filter=Q(due_day=today)),
            THIS_WEEK: Count("pk", filter=Q(due_day__gt=today, due_day__lte=today + timedelta(days=6))),
            LATER: Count("pk", filter=Q(due_day__gt=today + timedelta(days=6)) | Q(due_day__isnull=True)),
        }
    )
    rows = [
        (conversation, next_step(conversation, employee), urgency_of(conversation.due_day, today))
        for conversation in waiting.select_related("employee__user", "host__user", "preparation")[:shown]
    ]
    return NeedsYou(rows=rows, total=sum(counts.values()), counts=counts)


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
    """For the home page: `employee`'s own open reviews, late ones first (those they host are in
    what needs them)."""
    return list(
        Conversation.objects.filter(employee=employee, follows__isnull=False, status__in=OPEN)
        .select_related("employee__user", "host__user")
        .order_by("due_on", "pk")[:HOME_LIMIT]
    )
