"""How placements moved between two dates: where each person in scope was on the grid at the
end of each day, counted as a from-box by to-box table, and who made a given move.

Each placement holds from `placed_at` until `replaced_at` (None while current), and the
intervals of a person's placements do not overlap, so where someone was at a moment is the one
placement whose interval covers it: a range lookup. The table is counted without looking at
each person: those whose placement at the end was already theirs at the start stayed in its box,
and are counted per box from an index; only those with a placement made or ended between the
two dates are paired up, one index range each, so the cost follows how many moved."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from people.models import Employee

from . import access
from .models import Placement
from .scope import Scope
from .selectors import NOT_PLACED, GridInUse, people_in_scope

START, END = 0, 1  # which side of a change a placement is on: held at the start, or at the end


def day_end(day: date) -> datetime:
    """The first moment after `day`, in the site's time zone: 'at or before day' is '< day_end'."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def covering(moment: datetime) -> list[Q]:
    """The placements that held at `moment`, in two parts that an index each serves (one OR of
    them would be read row by row): the current ones made before it, and those made before it
    and replaced after it."""
    return [
        Q(is_current=True, placed_at__lt=moment),
        Q(is_current=False, placed_at__lt=moment, replaced_at__gte=moment),
    ]


def placement_on(day: date) -> FilteredRelation:
    """A person's placement at the end of `day`, to join to Employee: the one whose interval
    covers that moment. Intervals do not overlap, so the join finds one at most."""
    end = day_end(day)
    return FilteredRelation(
        "placements",
        condition=Q(placements__placed_at__lt=end)
        & (Q(placements__replaced_at__isnull=True) | Q(placements__replaced_at__gte=end)),
    )


def _current_track(track: bool, *, employee: str) -> Exists:
    """Whether the current placement of the person at `employee` (an OuterRef path) is on the
    specialist track (`track`) or not: movement filters by the track as it is now."""
    return Exists(Placement.objects.filter(employee=OuterRef(employee), is_current=True, specialist_track=track))


def _people(*, user, scope: Scope) -> QuerySet[Employee]:
    people = people_in_scope(user=user, scope=scope)
    if scope.specialist_track is not None:
        people = people.filter(_current_track(scope.specialist_track, employee="pk"))
    return people


def _placements(*, user, scope: Scope) -> QuerySet[Placement]:
    """The placements, past and current, of the people in scope that `user` may see."""
    placements = Placement.objects.filter(
        access.talent_grid_scope(user, through="employee__"), scope.employee_q(through="employee__")
    )
    if scope.specialist_track is not None:
        placements = placements.filter(_current_track(scope.specialist_track, employee="employee"))
    return placements.order_by()


def _sides_of_changes(placements: QuerySet[Placement], start: datetime, end: datetime) -> list[QuerySet]:
    """For each person whose placement changed between the moments `start` and `end`: the
    placement that held at the start and was replaced before the end (side START), and the one
    that holds at the end, made after the start (side END). Either may be missing: someone first
    placed between the two has no START."""
    ended = placements.filter(is_current=False, placed_at__lt=start, replaced_at__gte=start, replaced_at__lt=end)
    made = [placements.filter(part, placed_at__gte=start) for part in covering(end)]
    return [
        side.annotate(side=Value(number)).values("employee_id", "performance", "potential", "side")
        for side, number in [(ended, START), *((part, END) for part in made)]
    ]


# Each person's two sides side by side, then the people counted by their pair of boxes.
CHANGES_SQL = f"""
SELECT from_performance, from_potential, to_performance, to_potential, COUNT(*)
FROM (
    SELECT MAX(CASE WHEN side = {START} THEN performance END) AS from_performance,
           MAX(CASE WHEN side = {START} THEN potential END) AS from_potential,
           MAX(CASE WHEN side = {END} THEN performance END) AS to_performance,
           MAX(CASE WHEN side = {END} THEN potential END) AS to_potential
    FROM ({{sides}}) sides
    GROUP BY employee_id
) people
GROUP BY from_performance, from_potential, to_performance, to_potential
"""


def _changes(placements: QuerySet[Placement], start: datetime, end: datetime) -> list[tuple]:
    """(from performance, from potential, to performance, to potential, people) for the people
    whose placement changed between `start` and `end`; None for no placement. One query: the
    database cannot group the rows of a UNION through the ORM, so its SQL is wrapped here."""
    sides = _sides_of_changes(placements, start, end)
    sql, params = sides[0].union(*sides[1:], all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(CHANGES_SQL.format(sides=sql), params)
        return cursor.fetchall()


@dataclass
class MovementTable:
    numbers: list[int]  # row and column order: boxes by number, then NOT_PLACED
    cells: dict[tuple[int, int], int]  # (from number, to number) -> people
    total: int
    moved: int

    def count(self, from_number: int, to_number: int) -> int:
        return self.cells.get((from_number, to_number), 0)


def movement_table(*, user, scope: Scope, start: date, end: date, grid: GridInUse) -> MovementTable:
    """From-box by to-box counts between the ends of two days, in two queries: those who stayed
    with the same placement and everyone in scope (one UNION of GROUP BYs), and the changes."""
    start_at, end_at = day_end(start), day_end(end)
    placements = _placements(user=user, scope=scope)
    stayed = [
        placements.filter(part, placed_at__lt=start_at).values("performance", "potential").annotate(count=Count("*"))
        for part in covering(end_at)
    ]
    everyone = (
        _people(user=user, scope=scope)
        .order_by()
        .values(performance=Value(NOT_PLACED), potential=Value(NOT_PLACED))
        .annotate(count=Count("*"))
    )
    cells: dict[tuple[int, int], int] = {}

    def add(from_number: int, to_number: int, count: int) -> None:
        cells[(from_number, to_number)] = cells.get((from_number, to_number), 0) + count

    def number(performance: int | None, potential: int | None) -> int:
        return NOT_PLACED if performance is None else grid.box(performance, potential).number

    in_scope = 0
    for row in stayed[0].union(*stayed[1:], everyone, all=True):
        if row["performance"] == NOT_PLACED:
            in_scope += row["count"]
        else:
            box = number(row["performance"], row["potential"])
            add(box, box, row["count"])
    for from_performance, from_potential, to_performance, to_potential, count in _changes(placements, start_at, end_at):
        add(number(from_performance, from_potential), number(to_performance, to_potential), count)
    placed = sum(cells.values())
    if in_scope > placed:
        add(NOT_PLACED, NOT_PLACED, in_scope - placed)  # placed at neither date
    return MovementTable(
        numbers=[box.number for box in grid.boxes_by_number] + [NOT_PLACED],
        cells=cells,
        total=sum(cells.values()),
        moved=sum(count for (a, b), count in cells.items() if a != b),
    )


def movers(
    *,
    user,
    scope: Scope,
    start: date,
    end: date,
    grid: GridInUse,
    from_number: int | None = None,
    to_number: int | None = None,
) -> QuerySet[Employee]:
    """The people who made one move (box from_number to box to_number), or, with either left out,
    every move from or to a box; with both left out, everyone who changed box. Each has the box
    numbers of their placements on `start` and `end` and the id of the latter (`to_placement`),
    for the access log."""
    people = (
        _people(user=user, scope=scope)
        .annotate(placement_from=placement_on(start), placement_to=placement_on(end))
        .annotate(
            from_number=grid.number_of_placement(through="placement_from__", default=NOT_PLACED),
            to_number=grid.number_of_placement(through="placement_to__", default=NOT_PLACED),
            to_placement=F("placement_to__pk"),
        )
    )
    if from_number is None or to_number is None or from_number != to_number:
        # Only someone whose placement changed between the dates can have changed box.
        sides = _sides_of_changes(_placements(user=user, scope=scope), day_end(start), day_end(end))
        changed = [side.values("employee_id") for side in sides]
        people = people.filter(pk__in=changed[0].union(*changed[1:], all=True))
    if from_number is not None:
        people = people.filter(from_number=from_number)
    if to_number is not None:
        people = people.filter(to_number=to_number)
    if from_number is None or to_number is None:
        people = people.exclude(from_number=F("to_number"))
    return people.select_related("user", "department", "line_manager__user").order_by(
        "user__last_name", "user__first_name", "pk"
    )
