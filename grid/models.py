"""The talent grid: its wording (definitions and boxes), placements, calibration and succession.

Coordinates are numbers, wording is data. A placement stores performance (the column, 1-3)
and potential (the row, 1-3); the grid definition in use names the axes, their levels and
each of the nine boxes. An organisation that prefers impact x growth edits the wording,
not the code, and every placement keeps its place.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from people.models import Band, Department, Employee

LEVELS = (1, 2, 3)


class Rating(models.IntegerChoices):
    LOW = 1, "Low"
    MODERATE = 2, "Moderate"
    HIGH = 3, "High"


def _within_levels(field: str) -> Q:
    return Q(**{f"{field}__gte": 1, f"{field}__lte": 3})


def _suggestion_follows_criteria() -> Q:
    total = F("aspiration") + F("engagement") + F("ability") + F("leadership_values")
    return (
        Q(potential_suggested=1) & Q(LessThanOrEqual(total, 6))
        | Q(potential_suggested=2) & Q(GreaterThan(total, 6)) & Q(LessThanOrEqual(total, 9))
        | Q(potential_suggested=3) & Q(GreaterThan(total, 9))
    )


def suggested_potential(*, aspiration: int, engagement: int, ability: int, leadership_values: int) -> int:
    """The row the four potential criteria suggest: their total (4-12) in thirds."""
    total = aspiration + engagement + ability + leadership_values
    return 1 if total <= 6 else 2 if total <= 9 else 3


class GridDefinition(models.Model):
    """The wording of a 3x3 grid: axis names, their three levels and (in BoxDefinition) the boxes."""

    name = models.CharField(max_length=100, unique=True)
    x_axis_name = models.CharField("column axis", max_length=50, default="Performance")
    x_axis_help = models.CharField("column axis explained", max_length=200, blank=True)
    x_level_1 = models.CharField("column 1 (left)", max_length=40, default="Low")
    x_level_2 = models.CharField("column 2", max_length=40, default="Moderate")
    x_level_3 = models.CharField("column 3 (right)", max_length=40, default="High")
    y_axis_name = models.CharField("row axis", max_length=50, default="Potential")
    y_axis_help = models.CharField("row axis explained", max_length=200, blank=True)
    y_level_1 = models.CharField("row 1 (bottom)", max_length=40, default="Low")
    y_level_2 = models.CharField("row 2", max_length=40, default="Moderate")
    y_level_3 = models.CharField("row 3 (top)", max_length=40, default="High")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def x_level(self, level: int) -> str:
        return getattr(self, f"x_level_{level}")

    def y_level(self, level: int) -> str:
        return getattr(self, f"y_level_{level}")


class BoxDefinition(models.Model):
    """One of the nine boxes of a grid definition: where it is, its number and what it means."""

    definition = models.ForeignKey(GridDefinition, on_delete=models.CASCADE, related_name="boxes")
    performance = models.PositiveSmallIntegerField("column", choices=Rating.choices)
    potential = models.PositiveSmallIntegerField("row", choices=Rating.choices)
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=80)
    description = models.TextField()
    suggested_actions = models.TextField()

    class Meta:
        ordering = ["definition", "-potential", "-performance"]
        verbose_name_plural = "boxes"
        constraints = [
            models.UniqueConstraint(fields=["definition", "performance", "potential"], name="box_unique_position"),
            models.UniqueConstraint(fields=["definition", "number"], name="box_unique_number"),
            models.CheckConstraint(condition=_within_levels("performance"), name="box_performance_1_to_3"),
            models.CheckConstraint(condition=_within_levels("potential"), name="box_potential_1_to_3"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=9), name="box_number_1_to_9"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"


class GridSettings(models.Model):
    """The organisation's choices for the grid. One row (id 1)."""

    class EmployeeView(models.TextChoices):
        SHOWN = "shown", "Shown to the employee, with its reasons"
        HIDDEN = "hidden", "Hidden from the employee"

    definition = models.ForeignKey(
        GridDefinition,
        on_delete=models.PROTECT,
        related_name="settings_rows",
        verbose_name="grid in use",
        help_text="The wording of the axes and boxes everyone sees.",
    )
    employee_view = models.CharField(
        "employees see their own placement",
        max_length=10,
        choices=EmployeeView.choices,
        default=EmployeeView.SHOWN,
    )
    employee_comments = models.BooleanField(
        "employees may comment on their placement",
        default=True,
        help_text="Only applies while placements are shown to employees.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "grid settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="grid_settings_single_row")]

    def __str__(self) -> str:
        return "Grid settings"

    @property
    def employees_see_placement(self) -> bool:
        return self.employee_view == self.EmployeeView.SHOWN

    @property
    def employees_may_comment(self) -> bool:
        return self.employees_see_placement and self.employee_comments


class CalibrationSession(models.Model):
    """HR and managers agreeing placements for a scope; moves are recorded against it. Closing locks it."""

    name = models.CharField(max_length=120)
    # The scope: gone with the department or manager it names (a session cannot outlive its scope).
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    line_manager = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    site = models.CharField(max_length=100, blank=True)
    band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    specialist_track = models.BooleanField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_by__isnull=True) | Q(closed_at__isnull=False),
                name="calibration_closed_by_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Placement(models.Model):
    """Where a person sits on the grid, why, and what they want. Never edited: a new placement
    replaces the current one, so the history is the list of placements.

    Each placement holds from `placed_at` until `replaced_at`, the moment the next one replaced
    it (None while it is current), so where someone was on a day is the one placement whose
    interval covers it: a range lookup, not a search for the latest before the day."""

    class GrowthDirection(models.TextChoices):
        DEPTH = "depth", "Depth: grow in the current role"
        BREADTH = "breadth", "Breadth: move across to other areas"
        STRETCH = "stretch", "Stretch: step up to greater complexity"

    class Source(models.TextChoices):
        MANAGER = "manager", "Placed by the line manager"
        CALIBRATION = "calibration", "Moved at calibration"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="placements")
    performance = models.PositiveSmallIntegerField(choices=Rating.choices)
    potential = models.PositiveSmallIntegerField(choices=Rating.choices)
    aspiration = models.PositiveSmallIntegerField(choices=Rating.choices)
    engagement = models.PositiveSmallIntegerField(choices=Rating.choices)
    ability = models.PositiveSmallIntegerField(choices=Rating.choices)
    leadership_values = models.PositiveSmallIntegerField(choices=Rating.choices)
    potential_suggested = models.PositiveSmallIntegerField(choices=Rating.choices)
    override_reason = models.TextField(blank=True)
    growth_direction = models.CharField(max_length=10, choices=GrowthDirection.choices, blank=True)
    specialist_track = models.BooleanField(default=False)
    evidence = models.TextField()
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        help_text="The talent conversation or review the placement came from, if any.",
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANAGER)
    calibration_session = models.ForeignKey(
        CalibrationSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    # Who acted is kept while their account exists; records outlive accounts.
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    employee_comment = models.TextField(blank=True)
    employee_commented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [
            # The dashboard counts current placements per box and names the latest in each.
            models.Index(
                fields=["performance", "potential", "employee"],
                condition=Q(is_current=True),
                name="placement_current_box_idx",
            ),
            models.Index(
                fields=["performance", "potential", "-placed_at", "-id"],
                condition=Q(is_current=True),
                name="placement_current_latest_idx",
            ),
            # A line's or a band's counts per box, read from this index alone in employee order and
            # merged with the line links or the band's staff (a director's 20,000: 18 -> 12 ms).
            models.Index(
                fields=["employee", "performance", "potential"],
                condition=Q(is_current=True),
                name="placement_person_box_idx",
            ),
            # A person's history in order, and their placement on a day (the interval and the box)
            # read from the index alone.
            models.Index(
                fields=["employee", "placed_at", "replaced_at", "performance", "potential"],
                name="placement_interval_idx",
            ),
            # Movement between two dates (grid.movement): the current placements by when they
            # were made, and the others by when they were replaced, each read from its index alone.
            models.Index(
                fields=["placed_at", "performance", "potential", "employee"],
                condition=Q(is_current=True),
                name="placement_current_time_idx",
            ),
            models.Index(
                fields=["replaced_at", "placed_at", "performance", "potential", "employee"],
                condition=Q(is_current=False),
                name="placement_replaced_time_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["employee"], condition=Q(is_current=True), name="placement_one_current"),
            models.CheckConstraint(
                condition=Q(is_current=True, replaced_at__isnull=True) | Q(is_current=False, replaced_at__isnull=False),
                name="placement_replaced_unless_current",
            ),
            *(
                models.CheckConstraint(condition=_within_levels(field), name=f"placement_{field}_1_to_3")
                for field in (
                    "performance",
                    "potential",
                    "aspiration",
                    "engagement",
                    "ability",
                    "leadership_values",
                    "potential_suggested",
                )
            ),
            models.CheckConstraint(
                condition=_suggestion_follows_criteria(), name="placement_suggested_potential_from_criteria"
            ),
            models.CheckConstraint(
                condition=Q(potential=F("potential_suggested")) | ~Q(override_reason=""),
                name="placement_override_has_reason",
            ),
            models.CheckConstraint(condition=~Q(evidence=""), name="placement_has_evidence"),
            models.CheckConstraint(
                condition=Q(source="manager", calibration_session__isnull=True) | Q(source="calibration"),
                name="placement_only_calibration_has_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: performance {self.performance}, potential {self.potential}"

    @property
    def is_override(self) -> bool:
        return self.potential != self.potential_suggested

    @property
    def criteria(self) -> list[tuple[str, int]]:
        return [
            ("Aspiration", self.aspiration),
            ("Engagement", self.engagement),
            ("Ability", self.ability),
            ("Leadership values", self.leadership_values),
        ]


class CalibrationMove(models.Model):
    """One person moved between boxes at a calibration session, with the reason."""

    session = models.ForeignKey(CalibrationSession, on_delete=models.CASCADE, related_name="moves")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="calibration_moves")
    from_performance = models.PositiveSmallIntegerField(choices=Rating.choices)
    from_potential = models.PositiveSmallIntegerField(choices=Rating.choices)
    to_performance = models.PositiveSmallIntegerField(choices=Rating.choices)
    to_potential = models.PositiveSmallIntegerField(choices=Rating.choices)
    reason = models.TextField()
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="calibration_move")
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-moved_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="calibration_move_has_reason"),
            models.CheckConstraint(
                condition=~Q(from_performance=F("to_performance"), from_potential=F("to_potential")),
                name="calibration_move_changes_box",
            ),
            *(
                models.CheckConstraint(condition=_within_levels(field), name=f"calibration_move_{field}_1_to_3")
                for field in ("from_performance", "from_potential", "to_performance", "to_potential")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} at {self.session}"


class CriticalRole(models.Model):
    """A post the organisation cannot leave empty for long, and who holds it now."""

    title = models.CharField(max_length=150)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    incumbent = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="critical_roles"
    )
    why_critical = models.TextField("why it is critical", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "title"], name="critical_role_unique_in_department"),
        ]

    def __str__(self) -> str:
        return self.title


class Successor(models.Model):
    """Someone named to succeed to a critical role, and how soon they would be ready."""

    class Readiness(models.IntegerChoices):
        READY_NOW = 1, "Ready now"
        ONE_TO_TWO_YEARS = 2, "Ready in 1 to 2 years"
        THREE_PLUS_YEARS = 3, "Ready in 3 years or more"

    role = models.ForeignKey(CriticalRole, on_delete=models.CASCADE, related_name="successors")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="successor_for")
    readiness = models.PositiveSmallIntegerField(choices=Readiness.choices)
    notes = models.TextField(blank=True)
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "readiness", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["role", "employee"], name="successor_once_per_role"),
            models.CheckConstraint(condition=_within_levels("readiness"), name="successor_readiness_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} for {self.role}"
