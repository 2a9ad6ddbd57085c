import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, DateField, F, IntegerField, Q, When
from django.db.models.functions import Coalesce, TruncDate

from people.models import Employee

# The one order of conversations, for the Conversations list and the home page
# (conversations.selectors.in_urgency_order), defined here so that an index can follow it
# (Conversation.Meta): in progress first, then by the day the next step fell or falls due.
IN_PROGRESS = ("booked", "held", "requested")  # states.OPEN and held, always in this order


def urgency_finished() -> Case:
    """0 for a conversation in progress, 1 for a finished one."""
    return Case(When(status__in=IN_PROGRESS, then=0), default=1, output_field=IntegerField())


def urgency_due_day() -> Case:
    """The day a conversation's next step fell or falls due: a review's due date, the day a
    request was made, the booked day, the day it was held, the day the host signed off."""
    return Case(
        When(due_on__isnull=False, status="requested", then=F("due_on")),
        When(status="requested", then=TruncDate("created_at")),
        When(status="booked", then=TruncDate("starts_at")),
        When(host_signed_off_at__isnull=False, status="held", then=TruncDate("host_signed_off_at")),
        When(status="held", then=TruncDate(Coalesce("held_at", "updated_at"))),
        default=None,
        output_field=DateField(),
    )


class Conversation(models.Model):
    """A talent or career conversation between an employee and its host (their line
    manager, or a career supporter), from request or nomination to sign-off."""

    class Kind(models.TextChoices):
        TALENT = "talent", "Talent conversation"
        CAREER = "career", "Career conversation"
        SIX_MONTH = "six_month", "6-month review"
        TWELVE_MONTH = "twelve_month", "12-month review"

    class Origin(models.TextChoices):
        MANAGER = "manager", "Started by the manager"
        NOMINATION = "nomination", "Self-nomination"
        SUPPORTER_REQUEST = "supporter_request", "Request to a career supporter"
        SCHEDULED = "scheduled", "Scheduled review"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        DECLINED = "declined", "Declined"
        BOOKED = "booked", "Booked"
        HELD = "held", "Held"
        SIGNED_OFF = "signed_off", "Signed off"
        CANCELLED = "cancelled", "Cancelled"
        CLOSED = "closed", "Closed without meeting"

    class NominationReason(models.TextChoices):
        HIGH_PERFORMANCE = "high_performance", "Consistently high performance"
        ASPIRATION = "aspiration", "Aspiration to develop or progress"
        CRITICAL_ROLE = "critical_role", "A business-critical specialist role"

    class GrowthDirection(models.TextChoices):
        DEPTH = "depth", "Depth: grow in my current role"
        BREADTH = "breadth", "Breadth: move across to other areas"
        STRETCH = "stretch", "Stretch: step up to greater complexity"

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="conversations")
    host = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="hosted_conversations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TALENT)
    origin = models.CharField(max_length=20, choices=Origin.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # Nomination or request
    nomination_reason = models.CharField(max_length=20, choices=NominationReason.choices, blank=True)
    statement = models.TextField(blank=True)
    growth_direction = models.CharField(max_length=10, choices=GrowthDirection.choices, blank=True)
    decline_reason = models.TextField(blank=True)
    cancel_reason = models.TextField(blank=True)

    # Reviews: a 6- or 12-month review follows the initial conversation and is due on a date.
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reviews", editable=False
    )
    due_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)

    # Booking
    starts_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    venue_is_private = models.BooleanField(default=False)
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0)

    # The host's preparation checklist
    prep_read_last_review = models.BooleanField("I have read the last review and development plan", default=False)
    prep_framework = models.BooleanField("I have the competency framework to hand", default=False)
    prep_programmes = models.BooleanField("I know the development programmes on offer", default=False)
    prep_supporters = models.BooleanField("I know who in the organisation or region could support them", default=False)

    # The record (TGROW), shared between employee and host
    topic = models.TextField(blank=True)
    goal = models.TextField(blank=True)
    reality = models.TextField(blank=True)
    options = models.TextField(blank=True)
    way_forward = models.TextField(blank=True)
    intention_strength = models.PositiveSmallIntegerField(null=True, blank=True)
    support_needed = models.TextField(blank=True)
    support_by = models.DateField(null=True, blank=True)
    discussed_performance = models.BooleanField(default=False)
    competency_framework = models.CharField(max_length=200, blank=True)
    discussed_feedback = models.BooleanField(default=False)
    discussed_shadowing = models.BooleanField(default=False)
    discussed_succession = models.BooleanField(default=False)
    recommended_next_role = models.CharField(max_length=200, blank=True)
    longer_term_aspirations = models.TextField(blank=True)
    shared_notes = models.TextField(blank=True)
    record_version = models.PositiveIntegerField(default=1)
    record_updated_at = models.DateTimeField(null=True, blank=True)

    # The employee's comments on the record
    employee_comments = models.TextField(blank=True)
    comments_version = models.PositiveIntegerField(default=1)

    held_at = models.DateTimeField(null=True, blank=True)
    host_signed_off_at = models.DateTimeField(null=True, blank=True)
    employee_signed_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["host", "status", "starts_at"]),
            models.Index(fields=["employee", "status"]),
            # A manager's line's conversations, read from the index alone (access.conversations_visible).
            models.Index(fields=["employee", "kind", "id"], name="conversation_employee_kind_idx"),
            # The urgency order: a page of the Conversations list is read from the index, not sorted.
            models.Index(
                urgency_finished(),
                urgency_due_day(),  # ascending, with no day last, as the list wants it
                F("created_at").desc(),
                F("id").desc(),
                name="conversation_urgency_idx",
            ),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["status", "due_on"]),
            # HR's workspace: the conversations held since a date, and the reviews overdue
            # (talentapp.workspace), each counted from its index alone.
            models.Index(fields=["held_at"], condition=Q(held_at__isnull=False), name="conversation_held_idx"),
            models.Index(
                fields=["due_on"],
                condition=Q(follows__isnull=False, status__in=["requested", "booked"]),
                name="conversation_review_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(intention_strength__isnull=True) | Q(intention_strength__gte=1, intention_strength__lte=10),
                name="conversation_intention_strength_1_to_10",
            ),
            models.CheckConstraint(condition=~Q(employee=models.F("host")), name="conversation_host_is_not_employee"),
            models.CheckConstraint(
                condition=~Q(status="booked") | Q(starts_at__isnull=False, duration_minutes__isnull=False),
                name="conversation_booked_has_a_time",
            ),
            models.UniqueConstraint(
                fields=["follows", "kind"],
                condition=Q(follows__isnull=False),
                name="conversation_one_review_of_each_kind",
            ),
            models.CheckConstraint(
                condition=Q(follows__isnull=True) | Q(due_on__isnull=False),
                name="conversation_review_has_a_due_date",
            ),
            # One talent conversation under way per employee: requested, booked, or held and
            # not yet signed off (holding one schedules its reviews; a second would double them).
            models.UniqueConstraint(
                fields=["employee"],
                condition=Q(kind="talent", status__in=["requested", "booked", "held"]),
                name="conversation_one_open_talent_conversation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.employee}"

    def role_of(self, employee) -> str:
        """'host' or 'employee': the part `employee` plays in this conversation ('' for neither)."""
        if employee.pk == self.host_id:
            return "host"
        return "employee" if employee.pk == self.employee_id else ""

    @property
    def is_review(self) -> bool:
        return self.kind in (self.Kind.SIX_MONTH, self.Kind.TWELVE_MONTH)

    @property
    def ends_at(self):
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Preparation(models.Model):
    """The employee's reflective answers: a private draft until they share it with the host."""

    QUESTIONS = {
        "responsibilities": "What are your main responsibilities?",
        "achievements": "What have you achieved since your last review, and what is the evidence?",
        "enjoyed": "What have you enjoyed most in your work?",
        "difficulties": "What has been difficult, and what support or barriers were there?",
        "aspirations": "What would you like to do that you don't do now?",
        "outcomes": "How does your role affect patient or service outcomes?",
        "values_feedback": "What feedback shows how you live the organisation's values?",
        "development": "What are your plans for your development and career?",
    }

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="preparation")
    responsibilities = models.TextField(blank=True)
    achievements = models.TextField(blank=True)
    enjoyed = models.TextField(blank=True)
    difficulties = models.TextField(blank=True)
    aspirations = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    values_feedback = models.TextField(blank=True)
    development = models.TextField(blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preparation for {self.conversation}"


class PrivateNote(models.Model):
    """The host's private notes on a conversation: visible to their author only."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "author"], name="private_note_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"Private note on {self.conversation}"


class SupporterProfile(models.Model):
    """A career supporter's entry in the directory."""

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="supporter_profile")
    help_with = models.TextField(
        "What I can help with", help_text="For example: moving into management, research careers, leadership."
    )
    has_capacity = models.BooleanField("I can take on new career conversations", default=True)

    def __str__(self) -> str:
        return f"Career supporter: {self.employee}"


class ReviewChange(models.Model):
    """A review moved to another date, or closed, with the reason: the audit trail."""

    review = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="review_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)  # empty when the review was closed
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.review} moved from {self.from_date}"


class Notice(models.Model):
    """One email to one person: a step of a conversation (booked, declined...), a reminder, or
    a message about their account (a password reset link), which has no conversation.

    The outbox: a row is written in the same transaction as the change it reports, and
    whoever sends it first claims it with a conditional update (pending -> sending), so
    retries, parallel scans and extra workers never send it twice. Failed sends go back
    to pending with a later `next_attempt_at` (exponential backoff kept in the row, never
    in a delayed task).
    """

    class Kind(models.TextChoices):
        # Steps of a conversation (conversations.notifications.Event)
        STARTED = "started", "Conversation started"
        REQUESTED = "requested", "Request received"
        BOOKED = "booked", "Booked"
        REBOOKED = "rebooked", "Rebooked"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        PREPARATION_SHARED = "preparation_shared", "Preparation shared"
        READY_FOR_SIGN_OFF = "ready_for_sign_off", "Ready for sign-off"
        SIGNED_OFF = "signed_off", "Signed off"
        HANDED_OVER = "handed_over", "Handed to a new manager"  # occurrence: the n-th handover
        # Reminders
        REVIEW_AHEAD = "review_ahead", "Review coming up"  # occurrence: days before the due date
        REVIEW_DUE = "review_due", "Review due today"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"  # occurrence: weeks overdue
        NOMINATION_CHASE = "nomination_chase", "Unanswered request"  # occurrence: n-th chase
        # About the account
        PASSWORD_RESET = "password_reset", "Password reset link"  # the link is made when it is sent
        # About an opportunity the recipient is the contact for (opportunities.services); no
        # conversation. Occurrence: the interest's id; extra: what the email says.
        OPPORTUNITY_INTEREST = "opportunity_interest", "Interest in an opportunity"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Not needed any more"

    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="notices")
    occurrence = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "kind", "recipient", "occurrence"], name="notice_once_per_occurrence"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "kind", "created_at"]),
        ]

    def __str__(self) -> str:
        about = f" about {self.conversation}" if self.conversation_id else ""
        return f"{self.get_kind_display()} to {self.recipient}{about}"
