"""Reads of conversations for lists and home pages, through the access rules."""

from collections.abc import Callable
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

# What a row of "Needs you now" is about.
CONVERSATION, REVIEW, ACTION = "conversation", "review", "action"


@dataclass(frozen=True)
class Row:
    """One thing that needs a person: a conversation where it is their turn, one of their own
    reviews waiting to be booked, or an action of their own plan (pdp.selectors)."""

    kind: str  # CONVERSATION, REVIEW or ACTION
    item: object  # the conversation or the action
    step: str  # what to do, in words
    band: str  # OVERDUE, TODAY, THIS_WEEK or LATER
    due_day: date | None


@dataclass
class NeedsYou:
    """What needs a person now, most urgent first: the first `shown` of them, and how many there
    are in all, in each band of urgency (overdue or waiting, today, this week, later) and of each
    kind. Lists of different kinds merge into one (`merged`), in the same order."""

    rows: list[Row]
    counts: dict[str, int] = field(default_factory=dict)  # by band
    totals: dict[str, int] = field(default_factory=dict)  # by kind

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bands(self) -> list[tuple[str, int]]:
        return [(BAND_LABELS[band], self.counts[band]) for band in BAND_LABELS if self.counts.get(band)]

    @property
    def groups(self) -> list[tuple[str, list[Row]]]:
        """The rows shown, under the label of their band."""
        return [
            (label, rows) for band, label in BAND_LABELS.items() if (rows := [r for r in self.rows if r.band == band])
        ]

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def not_shown(self) -> dict[str, int]:
        """How many of each kind are left out of the rows."""
        return {kind: total - sum(row.kind == kind for row in self.rows) for kind, total in self.totals.items()}

    def merged(self, *others: "NeedsYou", shown: int = NEEDS_YOU_SHOWN) -> "NeedsYou":
        """One list of this and `others`, soonest due first (a stable sort: within a day, each
        list keeps its own order, this one's rows first)."""
        lists = [self, *others]
        rows = sorted(
            (row for each in lists for row in each.rows),
            key=lambda row: (row.due_day is None, row.due_day or date.max),
        )
        return NeedsYou(
            rows=rows[:shown],
            counts={band: sum(each.counts.get(band, 0) for each in lists) for band in BAND_LABELS},
            totals={kind: total for each in lists for kind, total in each.totals.items()},
        )

    def __bool__(self) -> bool:
        return self.total > 0


def needs_you_of(items: QuerySet, *, kind: str, due: str, step: Callable, shown: int = NEEDS_YOU_SHOWN) -> NeedsYou:
    """`items`, in urgency order, as what needs someone: the first `shown` as rows (`step(item)`
    says what to do), and how many fall in each band of urgency by the date field (or
    annotation) `due`. Two queries, whatever the number of items."""
    today = timezone.localdate()
    week_end = today + timedelta(days=6)
    counts = items.order_by().aggregate(
        **{
            OVERDUE: Count("pk", filter=Q(**{f"{due}__lt": today})),
            TODAY: Count("pk", filter=Q(**{due: today})),
            THIS_WEEK: Count("pk", filter=Q(**{f"{due}__gt": today, f"{due}__lte": week_end})),
            LATER: Count("pk", filter=Q(**{f"{due}__gt": week_end}) | Q(**{f"{due}__isnull": True})),
        }
    )
    rows = [
        Row(kind, item, step(item), urgency_of(getattr(item, due), today), getattr(item, due)) for item in items[:shown]
    ]
    return NeedsYou(rows=rows, counts=counts, totals={kind: sum(counts.values())})


def conversations_waiting(employee: Employee, *, shown: int = NEEDS_YOU_SHOWN) -> NeedsYou:
    """For the home page: the conversations where it is `employee`'s turn, with the step, in the
    order of the Conversations list, and the counts by urgency. Two queries."""
    waiting = in_urgency_order(Conversation.objects.filter(waiting_for(employee)))
    return needs_you_of(
        waiting.select_related("employee__user", "host__user", "preparation"),
        kind=CONVERSATION,
        due="due_day",
        step=lambda conversation: next_step(conversation, employee),
        shown=shown,
    )


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


def reviews_for_home(employee: Employee, *, shown: int = NEEDS_YOU_SHOWN) -> NeedsYou:
    """For the home page: `employee`'s own reviews waiting to be booked, soonest due first, in the
    band of their due date (one months away is "later"). Those they host are their turn, and
    booked ones are coming up or waiting for their answers: both are in what needs them already.
    Two queries."""
    reviews = Conversation.objects.filter(employee=employee, follows__isnull=False, status=Status.REQUESTED)
    return needs_you_of(
        reviews.select_related("employee__user", "host__user").order_by("due_on", "pk"),
        kind=REVIEW,
        due="due_on",
        step=lambda review: next_step(review, employee),
        shown=shown,
    )
