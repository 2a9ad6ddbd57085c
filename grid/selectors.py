"""Reads for the talent grid. Each takes the requesting user and applies the access rules
(people.access.talent_grid_scope) as well as the chosen scope; aggregates are computed in
the database with a fixed number of queries, whatever the size of the organisation."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from people.access import roles_for
from people.models import Band, Department, Employee, LineLink
from people.selectors import in_department_tree

from . import access
from .defaults import BOX_NUMBERS, grid_defaults_create
from .models import BoxDefinition, CriticalRole, GridDefinition, GridSettings, Placement, Successor
from .scope import Scope

NAMES_PER_BOX = 5
LEVELS_TOP_DOWN = (3, 2, 1)
LEVELS_LEFT_RIGHT = (1, 2, 3)
NOT_PLACED = 0  # the movement table's number for "no placement at that date": boxes are 1-9


@dataclass
class GridInUse:
    """The grid in use: settings, wording and the nine boxes by (performance, potential).

    A box's number is the one its wording gives it (BoxDefinition.number, as HR sees it in
    administration); the movement table and its links use the same numbers, read from here."""

    settings: GridSettings
    definition: GridDefinition
    boxes: dict[tuple[int, int], BoxDefinition]

    def box(self, performance: int, potential: int) -> BoxDefinition:
        return self.boxes[(performance, potential)]

    def box_numbered(self, number: int) -> BoxDefinition | None:
        """The box with `number`; None for NOT_PLACED or a number no box has."""
        return next((box for box in self.boxes.values() if box.number == number), None)

    @property
    def boxes_by_number(self) -> list[BoxDefinition]:
        return sorted(self.boxes.values(), key=lambda box: box.number)

    def number_of_placement(self, *, through: str = "", default: int | None = None) -> Case:
        """A placement's box number, computed in the database from its performance and potential
        (reached by `through` from another model); `default` where there is none."""
        return Case(
            *(
                When(**{f"{through}performance": performance, f"{through}potential": potential}, then=Value(box.number))
                for (performance, potential), box in self.boxes.items()
            ),
            default=Value(default),
        )


def grid_in_use() -> GridInUse:
    """The settings row with its definition and boxes: one query, the boxes joined to the definition
    in use and carrying the settings. Recreates the defaults if the row is missing (e.g. after a
    test has emptied the database)."""
    boxes = list(
        BoxDefinition.objects.filter(definition__settings_rows__pk=1)
        .select_related("definition")
        .annotate(
            settings_employee_view=F("definition__settings_rows__employee_view"),
            settings_employee_comments=F("definition__settings_rows__employee_comments"),
        )
    )
    if boxes:
        definition = boxes[0].definition
        settings = GridSettings(
            pk=1,
            definition=definition,
            employee_view=boxes[0].settings_employee_view,
            employee_comments=boxes[0].settings_employee_comments,
        )
    else:  # no settings row yet, or a definition without boxes
        settings = GridSettings.objects.select_related("definition").filter(pk=1).first()
        if settings is None:
            grid_defaults_create(GridDefinition, BoxDefinition, GridSettings)
            settings = GridSettings.objects.select_related("definition").get(pk=1)
        definition = settings.definition
        boxes = list(definition.boxes.all())
    by_position = {(box.performance, box.potential): box for box in boxes}
    # A definition missing a box still draws a whole grid, numbered as the default wording is.
    for (performance, potential), number in BOX_NUMBERS.items():
        by_position.setdefault(
            (performance, potential),
            BoxDefinition(
                definition=definition,
                performance=performance,
                potential=potential,
                number=number,
                label=f"Box {number}",
                description="",
                suggested_actions="",
            ),
        )
    return GridInUse(settings=settings, definition=definition, boxes=by_position)


def current_placements(*, user, scope: Scope) -> QuerySet[Placement]:
    """The current placements of the people in `scope` that `user` may see."""
    return Placement.objects.filter(
        access.talent_grid_scope(user, through="employee__"), scope.placement_q(), is_current=True
    )


def people_in_scope(*, user, scope: Scope) -> QuerySet[Employee]:
    return Employee.objects.filter(access.talent_grid_scope(user), scope.employee_q())


@dataclass
class GridCell:
    box: BoxDefinition
    count: int = 0
    people: list[dict] = field(default_factory=list)  # the latest NAMES_PER_BOX placed, newest first

    @property
    def more(self) -> int:
        return self.count - len(self.people)

    @property
    def tier(self) -> int:
        """2 (bottom left) to 6 (top right), for the box's colour."""
        return self.box.performance + self.box.potential


@dataclass
class GridSummary:
    rows: list[list[GridCell]]  # top row first, each left to right
    placed: int
    not_placed: int

    @property
    def total(self) -> int:
        return self.placed + self.not_placed


def grid_summary(*, user, scope: Scope, grid: GridInUse, names_per_box: int = NAMES_PER_BOX) -> GridSummary:
    """Counts per box and of people not yet placed (one GROUP BY) and the names of the latest
    placements in each box (one windowed query)."""
    placements = current_placements(user=user, scope=scope)
    # One query: the current placements counted per box (a GROUP BY over an index), and, as box
    # (0, 0), everyone in scope, so that those not yet placed are the difference.
    per_box = placements.order_by().values("performance", "potential").annotate(count=Count("*"))
    everyone = (
        _everyone(user=user, scope=scope).values(performance=Value(0), potential=Value(0)).annotate(count=Count("*"))
    )
    counts = {(row["performance"], row["potential"]): row["count"] for row in per_box.union(everyone, all=True)}
    in_scope = counts.pop((0, 0), 0)
    placed = sum(counts.values())
    # The specialist track is recorded on placements: no one unplaced is on it or off it.
    not_placed = max(in_scope - placed, 0) if scope.specialist_track is None else 0
    cells = {position: GridCell(box=box, count=counts.get(position, 0)) for position, box in grid.boxes.items()}
    for row in sorted(
        _latest_per_box(placements, grid, names_per_box), key=lambda row: (row["placed_at"], row["pk"]), reverse=True
    ):
        cells[(row["performance"], row["potential"])].people.append(
            {
                "placement_pk": row["pk"],
                "pk": row["employee_id"],
                "name": f"{row['employee__user__first_name']} {row['employee__user__last_name']}".strip(),
            }
        )
    rows = [[cells[(performance, potential)] for performance in LEVELS_LEFT_RIGHT] for potential in LEVELS_TOP_DOWN]
    return GridSummary(rows=rows, placed=placed, not_placed=not_placed)


def _everyone(*, user, scope: Scope) -> QuerySet:
    """Rows to count everyone in scope by: a manager's whole line in the line links' index alone
    (a director's 20,000 people: 1 ms, against 13 ms joined to the staff records)."""
    roles = roles_for(user)
    if scope.is_whole and not roles.is_hr and roles.is_manager:
        return LineLink.objects.filter(manager=roles.employee).order_by()
    return people_in_scope(user=user, scope=scope).order_by()


LATEST_FIELDS = (
    "pk",
    "performance",
    "potential",
    "placed_at",
    "employee_id",
    "employee__user__first_name",
    "employee__user__last_name",
)


def _latest_per_box(placements: QuerySet[Placement], grid: GridInUse, names_per_box: int):
    """The latest `names_per_box` placements in each box, with names, in one query.

    Where the database allows a LIMIT inside a UNION (PostgreSQL), each box is its own query
    reading the index on (box, placed_at) newest first and stopping at the last name needed,
    whatever the filter; elsewhere (SQLite) the placements are ranked per box by a window."""
    latest = placements.order_by("-placed_at", "-pk").values(*LATEST_FIELDS)
    if connection.features.supports_slicing_ordering_in_compound:
        per_box = [
            latest.filter(performance=performance, potential=potential)[:names_per_box]
            for performance, potential in grid.boxes
        ]
        return per_box[0].union(*per_box[1:], all=True)
    ranked = (
        placements.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("performance"), F("potential")],
                order_by=[F("placed_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=names_per_box)
        .values("pk")
    )
    return Placement.objects.filter(pk__in=ranked).order_by().values(*LATEST_FIELDS)


def box_people(*, user, scope: Scope, performance: int, potential: int) -> QuerySet[Placement]:
    """The current placements in one box, by name, ready to list."""
    return (
        current_placements(user=user, scope=scope)
        .filter(performance=performance, potential=potential)
        .select_related("employee__user", "employee__department", "employee__line_manager__user")
        .order_by("employee__user__last_name", "employee__user__first_name", "pk")
    )


def unplaced_people(*, user, scope: Scope) -> QuerySet[Employee]:
    return (
        people_in_scope(user=user, scope=scope)
        .filter(~Exists(Placement.objects.filter(employee=OuterRef("pk"), is_current=True)))
        .select_related("user", "department", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


EXPORT_FIELDS = (
    "employee__staff_number",
    "employee__user__first_name",
    "employee__user__last_name",
    "employee__job_title",
    "employee__band",
    # the unit and the two above it: which of them is the directorate, the department, the team
    "employee__department__name",
    "employee__department__level",
    "employee__department__parent__name",
    "employee__department__parent__level",
    "employee__department__parent__parent__name",
    "employee__department__parent__parent__level",
    "employee__site",
    "employee__line_manager__user__first_name",
    "employee__line_manager__user__last_name",
    "employee__line_manager__staff_number",
    "performance",
    "potential",
    "potential_suggested",
    "override_reason",
    "growth_direction",
    "specialist_track",
    "placed_at",
)

UNIT_LEVELS = (Department.Level.DIRECTORATE, Department.Level.DEPARTMENT, Department.Level.TEAM)


def units_by_level(*names_and_levels) -> list[str]:
    """The directorate, department and team names ("" where none) of a unit and the two above it,
    given as name, level, name, level, ..."""
    found = dict(zip(names_and_levels[1::2], names_and_levels[::2], strict=True))
    return [found.get(level) or "" for level in UNIT_LEVELS]


def export_header(grid: GridInUse) -> list[str]:
    x_axis, y_axis = grid.definition.x_axis_name, grid.definition.y_axis_name
    return [
        "Staff number",
        "First name",
        "Last name",
        "Job title",
        "Band",
        "Directorate",
        "Department",
        "Team",
        "Site",
        "Line manager",
        "Line manager's staff number",
        "Box",
        "Box label",
        x_axis,
        y_axis,
        f"{y_axis} suggested by the criteria",
        "Reason for overriding the suggestion",
        "Growth direction",
        "Specialist track",
        "Placed on",
    ]


def export_rows(*, user, scope: Scope, grid: GridInUse, box: tuple[int, int] | None = None):
    """One row of plain values per current placement in scope, read in chunks, each with the
    (placement id, employee id) it reads, for the access log."""
    definition = grid.definition
    placements = current_placements(user=user, scope=scope)
    if box is not None:
        placements = placements.filter(performance=box[0], potential=box[1])
    rows = placements.order_by("employee__user__last_name", "employee__user__first_name", "pk").values_list(
        "pk", "employee_id", *EXPORT_FIELDS
    )
    bands = dict(Band.choices)
    growth = dict(Placement.GrowthDirection.choices)
    for (
        placement_pk,
        employee_id,
        staff_number,
        first_name,
        last_name,
        job_title,
        band,
        unit,
        unit_level,
        parent,
        parent_level,
        grandparent,
        grandparent_level,
        site,
        manager_first_name,
        manager_last_name,
        line_manager,
        performance,
        potential,
        suggested,
        override_reason,
        growth_direction,
        specialist_track,
        placed_at,
    ) in rows.iterator(chunk_size=2000):
        grid_box = grid.box(performance, potential)
        row = [
            staff_number,
            first_name,
            last_name,
            job_title,
            bands.get(band, band),
            *units_by_level(unit, unit_level, parent, parent_level, grandparent, grandparent_level),
            site,
            f"{manager_first_name} {manager_last_name}" if line_manager else "",
            line_manager or "",
            grid_box.number,
            grid_box.label,
            definition.x_level(performance),
            definition.y_level(potential),
            definition.y_level(suggested),
            override_reason,
            growth.get(growth_direction, ""),
            "Yes" if specialist_track else "No",
            timezone.localtime(placed_at).date(),
        ]
        yield row, (placement_pk, employee_id)


def roles_without_ready_successor(*, user, scope: Scope | None = None) -> QuerySet[CriticalRole]:
    """Critical roles the user may see that have nobody ready now to step into them."""
    roles = access.critical_roles_visible(user)
    if scope is not None and scope.department is not None:
        roles = roles.filter(in_department_tree(scope.department))
    return (
        roles.annotate(
            ready_now=Count("successors", filter=Q(successors__readiness=Successor.Readiness.READY_NOW)),
            successor_count=Count("successors"),
        )
        .filter(ready_now=0)
        .select_related("department", "incumbent__user")
        .order_by("title", "pk")
    )


def critical_roles_with_cover(*, user) -> QuerySet[CriticalRole]:
    """Critical roles the user may see, each with how many successors are ready when."""
    readiness = Successor.Readiness
    return (
        access.critical_roles_visible(user)
        .annotate(
            ready_now=Count("successors", filter=Q(successors__readiness=readiness.READY_NOW)),
            ready_soon=Count("successors", filter=Q(successors__readiness=readiness.ONE_TO_TWO_YEARS)),
            ready_later=Count("successors", filter=Q(successors__readiness=readiness.THREE_PLUS_YEARS)),
        )
        .select_related("department", "incumbent__user")
        .order_by("title", "pk")
    )
