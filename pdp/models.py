"""Personal development plans (docs/product.md, "6. The development plan").

An employee has at most one current plan; starting a new one closes the old, which is
kept. A plan holds the agreed way forward, objectives, and actions of three types. Both
the employee and a manager in their line sign it off; then it is agreed. Every change is
written to PlanChange by the services (pdp.services), never by the views.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from people.models import Department, Employee

# A current draft the employee has signed off and the manager not yet.
WAITING_FOR_MANAGER = Q(
    is_current=True, status="draft", employee_signed_off_at__isnull=False, manager_signed_off_at__isnull=True
)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"
        CLOSED = "closed", "Closed"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="plans")
    # The manager who agrees the plan: whoever started it, then whoever signed it off for the line.
    manager = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_conversation = models.ForeignKey(
        "conversations.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    way_forward = models.TextField("Agreed way forward", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_current = models.BooleanField(default=True)

    employee_signed_off_at = models.DateTimeField(null=True, blank=True)
    manager_signed_off_at = models.DateTimeField(null=True, blank=True)
    first_agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)  # the latest agreement
    # Planned reviews, 6 and 12 months after the plan was first agreed.
    review_6_month_on = models.DateField(null=True, blank=True)
    review_12_month_on = models.DateField(null=True, blank=True)

    employee_comments = models.TextField(blank=True)
    comments_version = models.PositiveIntegerField(default=1)
    # Bumped by every change to the plan, its objectives or actions: a sign-off or edit made
    # against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["employee", "-created_at"]),
            models.Index(fields=["is_current", "status"]),
            # The current plans waiting for a manager's sign-off, by whose they are: a line's
            # are found from this index (pdp.selectors.plan_home_card), not from all its plans.
            models.Index(fields=["employee"], condition=WAITING_FOR_MANAGER, name="plan_waiting_for_manager_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(is_current=True), name="plan_one_current_per_employee"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(is_current=False), name="plan_closed_is_not_current"
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed")
                | Q(employee_signed_off_at__isnull=False, manager_signed_off_at__isnull=False),
                name="plan_agreed_is_signed_by_both",
            ),
            models.CheckConstraint(condition=~Q(manager=models.F("employee")), name="plan_manager_is_not_employee"),
        ]

    def __str__(self) -> str:
        return f"Development plan of {self.employee}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField("Objective", max_length=300)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Type(models.TextChoices):
        EXPERIENCE = "experience", "Experience"
        EXPOSURE = "exposure", "Exposure"
        EDUCATION = "education", "Education"

    class Owner(models.TextChoices):
        EMPLOYEE = "employee", "The employee"
        MANAGER = "manager", "The manager"
        OTHER = "other", "Someone else"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    TYPE_HELP = {
        Type.EXPERIENCE: "learning on the job: projects, stretch tasks, acting up",
        Type.EXPOSURE: "learning through others: shadowing, mentoring, coaching, networks",
        Type.EDUCATION: "courses, qualifications, e-learning, reading",
    }

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    description = models.TextField()
    type = models.CharField(max_length=12, choices=Type.choices)
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.EMPLOYEE)
    owner_name = models.CharField("Who", max_length=150, blank=True)  # when the owner is someone else
    due_on = models.DateField("Due by", null=True, blank=True)
    support_needed = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress_notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # The opportunity the action was made from, if any (opportunities.views.plan_action).
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_actions"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(owner="other") | ~Q(owner_name=""), name="action_other_owner_is_named"),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def owner_display(self, plan: Plan | None = None) -> str:
        plan = plan or self.plan
        if self.owner == self.Owner.OTHER:
            return self.owner_name
        person = plan.employee if self.owner == self.Owner.EMPLOYEE else plan.manager
        return person.full_name if person else self.get_owner_display()


class PlanChange(models.Model):
    """One change to a plan, in words: who, when and what."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    summary = models.CharField(max_length=300)
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.summary


class ExportJob(models.Model):
    """HR's export of one department's current plans as a zip of PDFs, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)  # under the export folder
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker building it says it is alive every few plans; a running job whose heartbeat
    # stopped is started again, or failed after MAX_ATTEMPTS (pdp.exports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="export_status_heartbeat")]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="export_done_within_total"),
        ]

    def __str__(self) -> str:
        return f"Plans of {self.department} for {self.requested_by}"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
