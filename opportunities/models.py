"""Opportunities for career development, and the competency frameworks conversations refer to.

HR (and career supporters, for their own offers) publish opportunities: programmes, shadowing,
secondments, stretch projects, mentoring, networks and courses. Each has the same type as a plan
action (experience, exposure, education) and says who it is for: everyone, or some bands, or some
parts of the organisation, or both (then a person must match both). Staff register interest; HR
records who took a place. A closed or past opportunity drops out of the lists by itself
(`Opportunity.objects.current()`), with no job to run.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pdp.models import Action
from people.models import Band, Department, Employee


class Framework(models.Model):
    """A competency framework that conversations measure performance against."""

    name = models.CharField(max_length=200, unique=True)
    owner = models.CharField(max_length=200, blank=True, help_text="Who publishes it, e.g. NHS Leadership Academy.")
    link = models.URLField(blank=True)
    dimensions = models.TextField(blank=True, help_text="Optional: its dimensions or competencies, one per line.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def dimension_list(self) -> list[str]:
        return [line.strip() for line in self.dimensions.splitlines() if line.strip()]


class OpportunityQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> "OpportunityQuerySet":
        """Still open for interest and not over: no closing date or not yet closed, and not ended."""
        today = today or timezone.localdate()
        return self.filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=today),
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        )


class Opportunity(models.Model):
    class Kind(models.TextChoices):
        PROGRAMME = "programme", "Programme"
        SHADOWING = "shadowing", "Shadowing"
        SECONDMENT = "secondment", "Secondment or acting up"
        STRETCH = "stretch", "Stretch project"
        MENTORING = "mentoring", "Mentoring or coaching"
        NETWORK = "network", "Network"
        COURSE = "course", "Course"

    class Provider(models.TextChoices):
        ORGANISATION = "organisation", "Our organisation"
        REGION = "region", "The region"
        NATIONAL = "national", "A national body"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    type = models.CharField(max_length=12, choices=Action.Type.choices)
    description = models.TextField()
    provider = models.CharField(max_length=12, choices=Provider.choices, default=Provider.ORGANISATION)
    provider_name = models.CharField(
        "Provided by", max_length=200, blank=True, help_text="For example: NHS Leadership Academy."
    )
    # Who it is for: every band listed here (none: any band) and within one of the units below
    # (none: anywhere in the organisation). Both empty: everyone.
    departments = models.ManyToManyField(Department, blank=True, related_name="opportunities")
    starts_on = models.DateField("Starts", null=True, blank=True)
    ends_on = models.DateField("Ends", null=True, blank=True)
    closes_on = models.DateField("Closing date", null=True, blank=True)
    places = models.PositiveIntegerField(null=True, blank=True, help_text="Leave empty when there is no limit.")
    # Null only once the person is deleted (leavers are anonymised, not deleted).
    contact = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities_contact"
    )
    link = models.URLField(blank=True)
    published_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities_published"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = [models.F("closes_on").asc(nulls_last=True), "title", "pk"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["closes_on"]), models.Index(fields=["ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(places__gt=0), name="opportunity_places_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_current(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.closes_on is None or self.closes_on >= today) and (self.ends_on is None or self.ends_on >= today)


class OpportunityBand(models.Model):
    """A band an opportunity is for."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="bands")
    band = models.CharField(max_length=10, choices=Band.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opportunity", "band"], name="opportunity_band_once")]

    def __str__(self) -> str:
        return self.get_band_display()


class Interest(models.Model):
    """A person's interest in an opportunity; HR records when they took a place."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="opportunity_interests")
    note = models.CharField("Why it interests you", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    took_place_at = models.DateTimeField(null=True, blank=True, db_index=True)
    took_place_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "employee"], name="interest_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} in {self.opportunity}"
