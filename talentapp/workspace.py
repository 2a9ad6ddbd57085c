"""HR's workspace on the home page: the trust-wide figures, each one query over the whole
organisation whatever its size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from conversations.models import Conversation
from grid.models import CalibrationSession, Placement
from pdp.models import Plan
from people.models import Employee


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class TrustFigures:
    quarter_from: date
    held_this_quarter: int
    reviews_overdue: int
    staff: int
    placed: int
    plans_agreed: int
    plans_current: int
    open_sessions: int

    @property
    def placed_percent(self) -> int | None:
        return round(100 * self.placed / self.staff) if self.staff else None


def trust_figures(*, today: date | None = None) -> TrustFigures:
    today = today or timezone.localdate()
    start = quarter_start(today)
    open_states = [Conversation.Status.REQUESTED, Conversation.Status.BOOKED]
    conversations = Conversation.objects.aggregate(
        held=Count("pk", filter=Q(held_at__date__gte=start)),
        overdue=Count("pk", filter=Q(follows__isnull=False, status__in=open_states, due_on__lt=today)),
    )
    placed = Placement.objects.filter(is_current=True).values("employee")
    staff = Employee.objects.filter(left_on__isnull=True).aggregate(
        staff=Count("pk"), placed=Count("pk", filter=Q(pk__in=placed))
    )
    plans = Plan.objects.filter(is_current=True).aggregate(
        current=Count("pk"), agreed=Count("pk", filter=Q(status=Plan.Status.AGREED))
    )
    return TrustFigures(
        quarter_from=start,
        held_this_quarter=conversations["held"],
        reviews_overdue=conversations["overdue"],
        staff=staff["staff"],
        placed=staff["placed"],
        plans_agreed=plans["agreed"],
        plans_current=plans["current"],
        open_sessions=CalibrationSession.objects.filter(closed_at__isnull=True).count(),
    )
