"""Reads for the opportunity pages and the conversation pages, through the access rules. Each list
is a fixed number of queries, whatever the number of opportunities or people."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from people.access import User, roles_for
from people.models import Department, Employee

from . import access
from .models import Interest, Opportunity, OpportunityBand

CLOSING_SOON_DAYS = 14
SHOWN_ON_CONVERSATION = 5


def _units_above(employee: Employee) -> QuerySet[Department]:
    """The person's unit and every unit above it (an opportunity for a directorate reaches its teams)."""
    unit = employee.department_id
    return Department.objects.filter(
        Q(pk=unit) | Q(children=unit) | Q(children__children=unit) | Q(children__children__children=unit)
    ).values("pk")


def open_to(employee: Employee) -> Q:
    """Opportunities whose audience includes `employee`: their band is listed (or none is), and
    their unit is within a listed one (or none is)."""
    bands = OpportunityBand.objects.filter(opportunity=OuterRef("pk"))
    units = Opportunity.departments.through.objects.filter(opportunity=OuterRef("pk"))
    band_fits = ~Exists(bands) | Exists(bands.filter(band=employee.band))
    unit_fits = ~Exists(units) | Exists(units.filter(department__in=_units_above(employee)))
    return band_fits & unit_fits


def _with_audience(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return opportunities.select_related("contact__user").prefetch_related(
        Prefetch("bands", queryset=OpportunityBand.objects.order_by("pk")), "departments"
    )


def opportunity_list(
    user: User, *, type: str = "", kind: str = "", open_to_me: bool = True, closing_soon: bool = False
) -> QuerySet[Opportunity]:
    """Current opportunities the user may see, narrowed by the list's filters, each marked with
    whether the user registered interest (`is_interested`)."""
    me = roles_for(user).employee
    opportunities = access.opportunities_visible(user).current()
    if type:
        opportunities = opportunities.filter(type=type)
    if kind:
        opportunities = opportunities.filter(kind=kind)
    if open_to_me and me is not None:
        opportunities = opportunities.filter(open_to(me))
    if closing_soon:
        today = timezone.localdate()
        opportunities = opportunities.filter(
            closes_on__gte=today, closes_on__lte=today + timedelta(days=CLOSING_SOON_DAYS)
        )
    interested = Interest.objects.filter(opportunity=OuterRef("pk"), employee=me) if me else Interest.objects.none()
    return _with_audience(opportunities.annotate(is_interested=Exists(interested)))


def open_to_person(
    employee: Employee, *, with_interest: bool, limit: int = SHOWN_ON_CONVERSATION
) -> tuple[list[Opportunity], int]:
    """For a conversation page: the first `limit` current opportunities open to `employee`, and how
    many there are. `with_interest` (only for those who may read the person's interests): the ones
    they are interested in are marked `is_interested`, and left out of the first `limit`."""
    opportunities = Opportunity.objects.current().filter(open_to(employee))
    shown = opportunities.select_related("contact__user")
    if with_interest:
        shown = shown.exclude(pk__in=Interest.objects.filter(employee=employee).values("opportunity"))
    return list(shown[:limit]), opportunities.count()


def interests_of(employee: Employee) -> list[Interest]:
    """A person's interests, newest first, current opportunities and past ones."""
    return list(Interest.objects.filter(employee=employee).select_related("opportunity__contact__user"))


def offers_with_interest(user: User) -> list[Opportunity]:
    """The offers the user published or is the contact for (all for HR), each with its interest."""
    interests = Interest.objects.select_related("employee__user", "employee__department").order_by("created_at")
    return list(
        access.opportunities_managed(user)
        .select_related("contact__user")
        .prefetch_related(Prefetch("interests", queryset=interests))
        .annotate(interest_count=Count("interests", distinct=True))
    )


def uptake(user: User) -> QuerySet[Opportunity]:
    """HR's uptake table: every opportunity, current or not, with interest and places taken."""
    return (
        access.opportunities_managed(user)
        .select_related("contact__user")
        .annotate(
            interest_count=Count("interests"),
            taken_count=Count("interests", filter=Q(interests__took_place_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )
