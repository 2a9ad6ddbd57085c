"""Inclusion and reach: does talent work reach everyone, fairly?

For the people in a scope (active staff only), each measure is broken down by band,
directorate, department and, for people who chose to record them, sex, ethnic group,
disability and age band ("not recorded" is a group of its own), with the whole population
as the dimension `all`:

| measure | population | count |
| --- | --- | --- |
| conversation_reach | everyone | had a talent or career conversation held in the period |
| nomination_made | everyone | nominated themselves in the period |
| nomination_accepted, nomination_declined | those who nominated themselves | accepted (booked or held) / declined |
| plan_agreed | everyone | has an agreed development plan now |
| top_row | those placed on the grid now | placed in the top row |
| successor | everyone | named as a successor for a critical role |
| opportunity_interest | everyone | registered interest in an opportunity in the period |
| opportunity_taken | everyone | took a place on an opportunity in the period (as HR recorded it) |
| potential_gap | those placed | (value) mean potential row minus mean performance column, less the rest's |
| relative_likelihood_conversation, _plan | everyone | (value) the group's share over the rest's (WRES) |

Small numbers are never shown. A count or population under INCLUSION_MIN_GROUP is
suppressed, and so is every share or value worked out from it. Where a breakdown has
exactly one suppressed group, it could be worked out from the total and the others, so
the next smallest group is suppressed too (secondary suppression), for populations and for
counts alike.

Flags: a group whose potential gap is below everyone else's by more than
INCLUSION_GAP_MARGIN of a box, or whose relative likelihood is outside 0.8 to 1.25.

Everything is counted by the database in one GROUP BY over the people in scope (the same
number of queries whatever their number); breakdowns are summed from its rows. For many people
(HR's 100,000: about half a second to count) the summed counts are kept in the cache for
KEPT_FOR under who looks and what they chose, and shown again with when they were counted;
whoever looks can count them again at once.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from conversations.models import Conversation
from core.cache import from_cache
from opportunities.models import Interest
from pdp.models import Plan
from people.models import Band, Department, Employee, EqualityProfile

from .models import Successor

NOT_RECORDED = "not_recorded"
ALL = "all"
LIKELIHOOD_RANGE = (0.8, 1.25)
KEPT_FOR = 600  # seconds the organisation-wide counts are shown again before they are counted afresh
KEPT_FORMAT = 1  # move on when what is kept changes shape, so that no kept counts are misread

DIMENSIONS = {
    ALL: "Everyone",
    "band": "Band",
    "directorate": "Directorate",
    "department": "Department",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "age_band": "Age band",
}
PROTECTED = ("sex", "ethnic_group", "disability", "age_band")
CHOICES = {
    "band": dict(Band.choices),
    "sex": dict(EqualityProfile.Sex.choices),
    "ethnic_group": dict(EqualityProfile.EthnicGroup.choices),
    "disability": dict(EqualityProfile.Disability.choices),
    "age_band": dict(EqualityProfile.AgeBand.choices),
}

# measure: (label, the population it is a share of, the count)
SHARES = {
    "conversation_reach": ("Had a talent or career conversation", "population", "reached"),
    "nomination_made": ("Nominated themselves", "population", "nominated"),
    "nomination_accepted": ("Nomination accepted (of those who nominated)", "nominated", "accepted"),
    "nomination_declined": ("Nomination declined (of those who nominated)", "nominated", "declined"),
    "plan_agreed": ("Has an agreed development plan", "population", "plan_agreed"),
    "top_row": ("In the grid's top row (of those placed)", "placed", "top_row"),
    "successor": ("Named as a successor", "population", "successor"),
    "opportunity_interest": ("Registered interest in an opportunity", "population", "interested"),
    "opportunity_taken": ("Took a place on an opportunity", "population", "took_place"),
}
VALUES = {
    "potential_gap": "Potential rated against performance, compared with everyone else (boxes)",
    "relative_likelihood_conversation": "Likelihood of a conversation, relative to everyone else",
    "relative_likelihood_plan": "Likelihood of an agreed plan, relative to everyone else",
}
MEASURES = {**{name: label for name, (label, _, _) in SHARES.items()}, **VALUES}
# The tables' column headings; MEASURES says each in full.
HEADINGS = {
    "conversation_reach": "Conversation",
    "nomination_made": "Nominated",
    "nomination_accepted": "Accepted",
    "nomination_declined": "Declined",
    "plan_agreed": "Agreed plan",
    "top_row": "Top row",
    "successor": "Successor",
    "opportunity_interest": "Interest in opportunities",
    "opportunity_taken": "Took a place",
    "potential_gap": "Potential gap",
    "relative_likelihood_conversation": "Likelihood: conversation",
    "relative_likelihood_plan": "Likelihood: plan",
}
COUNTS = [
    "population",
    "reached",
    "nominated",
    "accepted",
    "declined",
    "plan_agreed",
    "placed",
    "top_row",
    "successor",
    "interested",
    "took_place",
]
SUMS = ["gap_sum"]  # the sum over placed people of potential minus performance


def rounded(value: float, places: int) -> str:
    """`value` to `places` decimals, halves away from zero, as the floatformat filter shows it."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{exact.copy_abs() if exact.is_zero() else exact:f}"


@dataclass
class Cell:
    """One measure for one group: its population and count (None when suppressed), and the share
    or value (None when suppressed or not defined)."""

    measure: str
    dimension: str
    group: str
    label: str
    population: int | None
    count: int | None
    value: float | None
    suppressed: bool
    flag: str = ""

    def shown(self) -> str:
        """The cell as a table shows it (HTML): suppressed, a dash, a value, or a share with its
        count and population. Written here rather than in a template, as a page shows about
        a thousand of them."""
        if self.suppressed:
            shown = mark_safe('<span class="suppressed">suppressed</span>')
        elif self.value is None:
            shown = "—"
        elif self.measure == "potential_gap":
            shown = rounded(self.value, 2)
            if self.population:
                shown = format_html(
                    '{} <span class="small text-body-secondary">({} placed)</span>', shown, f"{self.population:,}"
                )
        elif self.measure.startswith("relative_likelihood"):
            shown = f"{rounded(self.value, 2)} times"
        else:
            shown = format_html(
                '{}% <span class="small text-body-secondary">({} of {})</span>',
                rounded(self.percent, 0),
                f"{self.count:,}",
                f"{self.population:,}",
            )
        flagged = mark_safe('<span class="visually-hidden"> (flagged)</span>') if self.flag else ""
        return format_html("{}{}", shown, flagged)

    @property
    def percent(self) -> float | None:
        return None if self.value is None or self.measure in VALUES else round(self.value * 100, 1)


@dataclass
class Breakdown:
    dimension: str
    label: str
    cells: dict[str, list[Cell]] = field(default_factory=dict)  # measure -> a cell per group

    @property
    def groups(self) -> list[tuple[str, str]]:
        """(group, label), in the order the breakdown shows them."""
        first = next(iter(self.cells.values()), [])
        return [(cell.group, cell.label) for cell in first]

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """Per group: its label and its cell for each measure, in MEASURES order."""
        return [
            (label, [self.cells[measure][index] for measure in MEASURES])
            for index, (_, label) in enumerate(self.groups)
        ]


@dataclass
class Figures:
    start: date
    end: date
    breakdowns: list[Breakdown]
    minimum: int
    counted_at: datetime | None = None  # when the counts were kept to be shown again; None: counted now

    @property
    def flags(self) -> list[Cell]:
        """Flagged cells: protected characteristics first, then the organisation's groups; within
        each, potential gaps before likelihoods."""
        flagged = [cell for cell in self.cells() if cell.flag]
        return sorted(flagged, key=lambda cell: (cell.dimension not in PROTECTED, cell.measure != "potential_gap"))

    @property
    def protected_flags(self) -> list[Cell]:
        return [cell for cell in self.flags if cell.dimension in PROTECTED]

    @property
    def organisation_flags(self) -> list[Cell]:
        return [cell for cell in self.flags if cell.dimension not in PROTECTED]

    def cells(self) -> Iterable[Cell]:
        for breakdown in self.breakdowns:
            for measure in MEASURES:
                yield from breakdown.cells[measure]


# Counting ------------------------------------------------------------------------------------


def _level_of(level: int) -> Case:
    """The id of a person's unit at `level` of the organisation (their own unit or an ancestor)."""
    return Case(
        When(department__level=level, then=F("department_id")),
        When(department__parent__level=level, then=F("department__parent_id")),
        When(department__parent__parent__level=level, then=F("department__parent__parent_id")),
        output_field=IntegerField(),
    )


def _day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end`, in the site's time zone, as a range an
    index can use."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    return first, timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


def people_counted(people: QuerySet[Employee], *, start: date, end: date, few: bool = False) -> QuerySet:
    """`people` (active staff only) counted for each measure, grouped by every dimension at once.

    Each fact is a set of people worked out once (`pk IN (SELECT employee_id ...)`), not a
    subquery per person, which suits the whole organisation; for `few` people (a manager's
    line) each is instead an EXISTS on the person, looked up in the fact's index on employee,
    so that the cost follows the line rather than the organisation. The current placement is
    joined (one per person, a constraint)."""
    period = _day_range(start, end)

    def having(facts: QuerySet) -> Q | Exists:
        if few:
            return Exists(facts.filter(employee_id=OuterRef("pk")))
        return Q(pk__in=facts.values("employee_id"))

    reached = Conversation.objects.filter(
        kind__in=[Conversation.Kind.TALENT, Conversation.Kind.CAREER], held_at__gte=period[0], held_at__lt=period[1]
    )
    nominations = Conversation.objects.filter(
        origin=Conversation.Origin.NOMINATION, created_at__gte=period[0], created_at__lt=period[1]
    )
    accepted = nominations.filter(
        status__in=[Conversation.Status.BOOKED, Conversation.Status.HELD, Conversation.Status.SIGNED_OFF]
    )
    declined = nominations.filter(status=Conversation.Status.DECLINED)
    agreed = Plan.objects.filter(is_current=True, status=Plan.Status.AGREED)
    interested = Interest.objects.filter(created_at__gte=period[0], created_at__lt=period[1])
    took_place = Interest.objects.filter(took_place_at__gte=period[0], took_place_at__lt=period[1])
    annotated = (
        people.filter(user__is_active=True)
        .annotate(
            current=FilteredRelation("placements", condition=Q(placements__is_current=True)),
            directorate=_level_of(Department.Level.DIRECTORATE),
            unit=_level_of(Department.Level.DEPARTMENT),
            sex=F("equality_profile__sex"),
            ethnic_group=F("equality_profile__ethnic_group"),
            disability=F("equality_profile__disability"),
            age_band=F("equality_profile__age_band"),
        )
        .order_by()
    )
    placed = Q(current__isnull=False)
    return annotated.values("band", "directorate", "unit", *PROTECTED).annotate(
        population=Count("pk"),
        reached=Count("pk", filter=having(reached)),
        nominated=Count("pk", filter=having(nominations)),
        accepted=Count("pk", filter=having(accepted)),
        declined=Count("pk", filter=having(declined)),
        plan_agreed=Count("pk", filter=having(agreed)),
        placed=Count("pk", filter=placed),
        top_row=Count("pk", filter=Q(current__potential=3)),
        successor=Count("pk", filter=having(Successor.objects.all())),
        interested=Count("pk", filter=having(interested)),
        took_place=Count("pk", filter=having(took_place)),
        gap_sum=Sum(F("current__potential") - F("current__performance")),
    )


def _group_of(dimension: str, row: dict) -> str:
    if dimension == ALL:
        return ALL
    value = row["unit" if dimension == "department" else dimension]
    return NOT_RECORDED if value in (None, "") else str(value)


def totals_by_group(rows: Iterable[dict]) -> dict[str, dict[str, dict[str, int]]]:
    """dimension -> group -> the summed counts, from the GROUP BY rows."""
    names = COUNTS + SUMS
    sums: dict[str, dict[str, list[int]]] = {dimension: {} for dimension in DIMENSIONS}
    for row in rows:
        values = [row[name] or 0 for name in names]
        for dimension, groups in sums.items():
            key = _group_of(dimension, row)
            total = groups.get(key)
            if total is None:
                groups[key] = values[:]
            else:
                for index, value in enumerate(values):
                    total[index] += value
    return {
        dimension: {group: dict(zip(names, total, strict=True)) for group, total in groups.items()}
        for dimension, groups in sums.items()
    }


# Suppression ---------------------------------------------------------------------------------


def suppressed_groups(sizes: dict[str, int], minimum: int) -> set[str]:
    """The groups whose `sizes` may not be shown: those under `minimum`, and where that leaves
    exactly one, the next smallest too, so that it cannot be worked out from the total."""
    hidden = {group for group, size in sizes.items() if size < minimum}
    if len(hidden) == 1 and len(sizes) > 1:
        shown = sorted((size, group) for group, size in sizes.items() if group not in hidden)
        hidden.add(shown[0][1])
    return hidden


def group_label(dimension: str, group: str, names: dict[int, str]) -> str:
    """A group's name as people read it (`names`: unit id -> name, for directorates and departments)."""
    if dimension == ALL:
        return "Everyone"
    if group == NOT_RECORDED:
        return "Not recorded"
    if dimension in ("directorate", "department"):
        return names.get(int(group), group)
    return CHOICES[dimension].get(group, group)


def breakdown_of(dimension: str, groups: dict[str, dict[str, int]], names: dict[int, str], minimum: int) -> Breakdown:
    breakdown = Breakdown(dimension, DIMENSIONS[dimension])
    order = sorted(groups, key=lambda group: (group == NOT_RECORDED, group_label(dimension, group, names)))
    totals = {name: sum(groups[group][name] for group in groups) for name in COUNTS + SUMS}
    for measure, (_, population_name, count_name) in SHARES.items():
        populations = {group: groups[group][population_name] for group in order}
        counts = {group: groups[group][count_name] for group in order}
        hidden_population = suppressed_groups(populations, minimum)
        # A group whose population is hidden hides its count too; the rest are checked as counts.
        shown_counts = {group: size for group, size in counts.items() if group not in hidden_population}
        hidden_count = hidden_population | suppressed_groups(shown_counts, minimum)
        breakdown.cells[measure] = [
            _share_cell(
                measure,
                dimension,
                group,
                group_label(dimension, group, names),
                populations[group],
                counts[group],
                group in hidden_population,
                group in hidden_count,
            )
            for group in order
        ]
    hidden_placed = suppressed_groups({group: groups[group]["placed"] for group in order}, minimum)
    breakdown.cells["potential_gap"] = [
        _gap_cell(
            dimension,
            group,
            group_label(dimension, group, names),
            groups[group],
            totals,
            minimum,
            group in hidden_placed,
        )
        for group in order
    ]
    for measure, count_name in (
        ("relative_likelihood_conversation", "reached"),
        ("relative_likelihood_plan", "plan_agreed"),
    ):
        hidden = {cell.group for cell in breakdown.cells[_share_of(count_name)] if cell.suppressed}
        breakdown.cells[measure] = [
            _likelihood_cell(
                measure,
                dimension,
                group,
                group_label(dimension, group, names),
                groups[group],
                totals,
                count_name,
                minimum,
                group in hidden,
            )
            for group in order
        ]
    return breakdown


def _share_of(count_name: str) -> str:
    return next(measure for measure, (_, _, count) in SHARES.items() if count == count_name)


def _share_cell(measure, dimension, group, label, population, count, population_hidden, count_hidden) -> Cell:
    if population_hidden or count_hidden:
        return Cell(measure, dimension, group, label, None if population_hidden else population, None, None, True)
    return Cell(measure, dimension, group, label, population, count, count / population if population else None, False)


def _gap_cell(dimension, group, label, counts, totals, minimum, hidden) -> Cell:
    """The group's mean (potential - performance) less the rest's, in boxes."""
    placed, rest_placed = counts["placed"], totals["placed"] - counts["placed"]
    if dimension == ALL:
        value = round(totals["gap_sum"] / placed, 2) + 0.0 if placed >= minimum else None
        return Cell(
            "potential_gap",
            dimension,
            group,
            label,
            placed if placed >= minimum else None,
            None,
            value,
            placed < minimum,
        )
    if hidden or rest_placed < minimum:
        return Cell("potential_gap", dimension, group, label, None, None, None, True)
    mine = counts["gap_sum"] / placed
    rest = (totals["gap_sum"] - counts["gap_sum"]) / rest_placed
    gap = round(mine - rest, 2) + 0.0  # no "-0.0"
    flag = ""
    if gap < -settings.INCLUSION_GAP_MARGIN:
        flag = (
            f"{_who(dimension, group, label)}: potential rated below performance, compared with everyone else, "
            f"by {-gap:.1f} of a box"
        )
    return Cell("potential_gap", dimension, group, label, placed, None, gap, False, flag)


SEXES = {EqualityProfile.Sex.FEMALE: "Women", EqualityProfile.Sex.MALE: "Men"}


def _who(dimension: str, group: str, label: str) -> str:
    """The group, in words that stand on their own: "Women", "Band 3", "Disability: Yes"."""
    if dimension == "sex" and group in SEXES:
        return SEXES[group]
    if dimension in ("band", "directorate", "department"):
        return label
    return f"{DIMENSIONS[dimension]}: {label}"


def _likelihood_cell(measure, dimension, group, label, counts, totals, count_name, minimum, hidden) -> Cell:
    """The group's share over the rest's: how much more (or less) likely the group is."""
    if dimension == ALL:
        return Cell(measure, dimension, group, label, None, None, None, False)
    population, count = counts["population"], counts[count_name]
    rest_population, rest_count = totals["population"] - population, totals[count_name] - count
    if hidden or rest_population < minimum or rest_count < minimum or not count:
        return Cell(measure, dimension, group, label, None, None, None, True)
    ratio = round((count / population) / (rest_count / rest_population), 2)
    low, high = LIKELIHOOD_RANGE
    flag = ""
    if not low <= ratio <= high:
        what = "a conversation" if measure.endswith("conversation") else "an agreed plan"
        more_or_less = "less" if ratio < low else "more"
        who = _who(dimension, group, label)
        flag = f"{who}: {more_or_less} likely than everyone else to have {what} ({ratio:.2f} times)"
    return Cell(measure, dimension, group, label, None, None, ratio, False, flag)


# The figures --------------------------------------------------------------------------------


def inclusion_figures(
    people: QuerySet[Employee],
    *,
    start: date,
    end: date,
    dimensions: Iterable[str] = tuple(DIMENSIONS),
    few: bool = False,
    kept_as: tuple | None = None,
    recount: bool = False,
) -> Figures:
    """The measures for `people` (already narrowed to what the user may see), period start to end;
    `few`: they are a small part of the organisation (see people_counted).

    `kept_as`: what makes these people these people (who looks, and the scope they chose), under
    which the counts are kept for KEPT_FOR and shown again, with when they were counted, rather
    than counted on every view; `recount` counts them afresh (and keeps those)."""
    minimum = settings.INCLUSION_MIN_GROUP
    counted_at = None
    if kept_as is None:
        totals = totals_by_group(people_counted(people, start=start, end=end, few=few))
    else:
        totals, counted_at = _kept_totals(people, start=start, end=end, few=few, kept_as=kept_as, recount=recount)
    unit_ids = {
        int(group)
        for dimension in ("directorate", "department")
        for group in totals[dimension]
        if group != NOT_RECORDED
    }
    names = dict(Department.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    if not totals[ALL]:
        totals[ALL] = {ALL: dict.fromkeys(COUNTS + SUMS, 0)}
    breakdowns = [breakdown_of(dimension, totals[dimension], names, minimum) for dimension in dimensions]
    return Figures(start=start, end=end, breakdowns=breakdowns, minimum=minimum, counted_at=counted_at)


def _kept_totals(people, *, start, end, few, kept_as, recount) -> tuple[dict, datetime]:
    """The totals and when they were counted: kept for KEPT_FOR under `kept_as` and the period,
    counted afresh when none are kept (or the cache does not answer), or when `recount`."""
    key = "grid:inclusion:" + hashlib.sha256(repr((KEPT_FORMAT, kept_as, start, end)).encode()).hexdigest()
    kept = None if recount else from_cache(lambda: cache.get(key), None)
    # The entry's own time decides too: the cache's expiry runs on its server's clock.
    if kept is None or timezone.now() - kept[1] >= timedelta(seconds=KEPT_FOR):
        kept = (totals_by_group(people_counted(people, start=start, end=end, few=few)), timezone.now())
        from_cache(lambda: cache.set(key, kept, KEPT_FOR), None)
    return kept
