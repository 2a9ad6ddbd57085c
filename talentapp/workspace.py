"""HR's workspace on the home page: the trust-wide figures, counted in one statement whatever
the organisation's size, each figure from the index that serves it (core.db.counts)."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from conversations.models import Conversation
from core.db import counts
from grid.models import CalibrationSession, Placement
from pdp.models import Plan
from people.models import Department, Employee


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
    units: int  # directorates, departments and teams

    @property
    def placed_percent(self) -> int | None:
        return round(100 * self.placed / self.staff) if self.staff else None


def trust_figures(*, today: date | None = None) -> TrustFigures:
    today = today or timezone.localdate()
    start = quarter_start(today)
    open_states = [Conversation.Status.REQUESTED, Conversation.Status.BOOKED]
    current_plans = Plan.objects.filter(is_current=True)
    placements = Placement.objects.filter(is_current=True)
    # Those still here are counted as everyone less the leavers, who are few: each count is then
    # read from an index alone, where joining everyone's records would read them all.
    figures = counts(
        held_this_quarter=Conversation.objects.filter(
            held_at__gte=timezone.make_aware(datetime.combine(start, time.min))
        ),
        reviews_overdue=Conversation.objects.filter(follows__isnull=False, status__in=open_states, due_on__lt=today),
        everyone=Employee.objects.all(),
        leavers=Employee.objects.filter(left_on__isnull=False),
        placements=placements,
        leavers_placed=placements.filter(employee__left_on__isnull=False),
        plans_agreed=current_plans.filter(status=Plan.Status.AGREED),
        plans_current=current_plans,
        open_sessions=CalibrationSession.objects.filter(closed_at__isnull=True),
        units=Department.objects.all(),
    )
    staff = figures.pop("everyone") - figures.pop("leavers")
    placed = figures.pop("placements") - figures.pop("leavers_placed")
    return TrustFigures(quarter_from=start, staff=staff, placed=placed, **figures)
