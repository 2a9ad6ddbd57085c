from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

CYCLE_REFUSAL = "A person's line manager cannot be themselves or someone in their own line."


class Department(models.Model):
    """A node in the organisation tree: organisation > directorate > department > team."""

    class Level(models.IntegerChoices):
        ORGANISATION = 0, "Organisation"
        DIRECTORATE = 1, "Directorate"
        DEPARTMENT = 2, "Department"
        TEAM = 3, "Team"

    name = models.CharField(max_length=150)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_name_unique_in_parent"),
            models.CheckConstraint(
                condition=Q(level=0, parent__isnull=True) | Q(level__gt=0, parent__isnull=False),
                name="department_only_organisation_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.TextChoices):
    """Agenda for Change pay bands, plus the staff groups outside them."""

    BAND_1 = "1", "Band 1"
    BAND_2 = "2", "Band 2"
    BAND_3 = "3", "Band 3"
    BAND_4 = "4", "Band 4"
    BAND_5 = "5", "Band 5"
    BAND_6 = "6", "Band 6"
    BAND_7 = "7", "Band 7"
    BAND_8A = "8a", "Band 8a"
    BAND_8B = "8b", "Band 8b"
    BAND_8C = "8c", "Band 8c"
    BAND_8D = "8d", "Band 8d"
    BAND_9 = "9", "Band 9"
    MEDICAL = "medical", "Medical and dental"
    VSM = "vsm", "Very senior manager"


class Employee(models.Model):
    """A member of staff; one-to-one with a user account. Names and email live on the user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employee")
    staff_number = models.CharField(max_length=20, unique=True)
    job_title = models.CharField(max_length=150)
    band = models.CharField(max_length=10, choices=Band.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="employees")
    site = models.CharField(max_length=100, blank=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    start_date = models.DateField()
    # A leaver: their user is inactive and left_on is set. RETENTION_YEARS after left_on,
    # `manage.py apply_retention` anonymises them and sets anonymised_at (talentapp/retention.py).
    left_on = models.DateField(
        "left the organisation on",
        null=True,
        blank=True,
        help_text="For a leaver: also make their user account inactive. Their records are anonymised "
        "once the retention period after this date has passed.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        # The grid's site and band filters: who is at a site or in a band, read from the index
        # alone (with the id, to join placements), and the sites in use (people.selectors).
        indexes = [
            models.Index(fields=["site", "id"], name="employee_site_idx"),
            models.Index(fields=["band", "id"], name="employee_band_idx"),
            # The leavers, few, counted and joined to placements from the index alone (HR's workspace).
            models.Index(fields=["id"], condition=Q(left_on__isnull=False), name="employee_leaver_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(line_manager=models.F("id")), name="employee_not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def from_db(cls, db, field_names, values):
        employee = super().from_db(db, field_names, values)
        # What the row says, so that saving it again knows whether the line changed (people.line).
        employee._line_manager_id_saved = employee.__dict__.get("line_manager_id", models.DEFERRED)
        return employee

    def clean(self):
        super().clean()
        if self.pk is not None and self.line_manager_id is not None and self.line_manager_would_loop():
            raise ValidationError({"line_manager": CYCLE_REFUSAL})

    def line_manager_would_loop(self) -> bool:
        """Whether the chosen line manager is this person or someone in their line."""
        return (
            self.line_manager_id == self.pk
            or LineLink.objects.filter(manager_id=self.pk, report_id=self.line_manager_id).exists()
        )

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.username


class LineLink(models.Model):
    """`report` is in `manager`'s line, `depth` levels below (1: a direct report): the management
    chain as a closure table, so that "who is in this line" and "is this person in it" are one
    indexed lookup whatever the size of the organisation. Derived from Employee.line_manager and
    kept by people.line; never edited by hand."""

    manager = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", db_index=False)
    report = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+", db_index=False)
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            # Its index (manager first) serves "the line of"; the one below, "the managers of".
            models.UniqueConstraint(fields=["manager", "report"], name="line_link_unique"),
            models.CheckConstraint(condition=Q(depth__gte=1), name="line_link_depth_at_least_1"),
        ]
        indexes = [models.Index(fields=["report", "manager"], name="line_link_report_manager")]

    def __str__(self) -> str:
        return f"{self.report_id} is {self.depth} below {self.manager_id}"


class EqualityProfile(models.Model):
    """Optional equality monitoring data. Shown per person only in HR administration."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_SAID = "not_said", "Prefer not to say"

    class EthnicGroup(models.TextChoices):
        WHITE = "white", "White"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        OTHER = "other", "Other ethnic group"
        NOT_SAID = "not_said", "Prefer not to say"

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_SAID = "not_said", "Prefer not to say"

    class AgeBand(models.TextChoices):
        UNDER_25 = "under_25", "Under 25"
        FROM_25 = "25_34", "25 to 34"
        FROM_35 = "35_44", "35 to 44"
        FROM_45 = "45_54", "45 to 54"
        FROM_55 = "55_64", "55 to 64"
        OVER_65 = "65_plus", "65 and over"
        NOT_SAID = "not_said", "Prefer not to say"

    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="equality_profile")
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    ethnic_group = models.CharField(max_length=10, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)

    def __str__(self) -> str:
        return f"Equality data for {self.employee}"


class AccessLog(models.Model):
    """One page view (or export, or subject-access run) that showed confidential records about
    people other than the reader: who read, which page, when. What it showed, and whose, is in
    its `AccessLogRecord` rows; `record_types`, `subject_count` and `record_count` sum them up so
    that the log's page describes a view of 45 people without reading 45 rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs")
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)
    record_types = models.CharField(max_length=200, default="")  # the kinds shown, comma-separated
    subject_count = models.PositiveIntegerField(default=0)
    record_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="access_log_at"),
            models.Index(fields=["user", "-at", "-id"], name="access_log_reader_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.record_count} records of {self.subject_count} people at {self.path}"


class AccessLogRecord(models.Model):
    """One confidential record an access log entry showed: what kind (`record_type`), which
    (`record_id`), whose (`subject`). `at` and `reader` repeat the entry's, so that "who read
    this person's records" (and "did this reader read them") is one index range, newest first."""

    entry = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="records")
    # Indexed by access_log_subject_at, which starts with it.
    subject = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="access_logs", db_index=False)
    record_type = models.CharField(max_length=50)
    record_id = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        indexes = [
            models.Index(fields=["subject", "-at", "-entry"], name="access_log_subject_at"),
            models.Index(fields=["subject", "reader", "-at", "-entry"], name="access_log_subject_reader_at"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} of {self.subject}"


class AccountChange(models.Model):
    """A change to someone's account made in administration: who changed what, from what to what.

    Written by the account administration (people.admin) for every change it saves, and for
    every password reset email it sends; shown to HR read-only."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_changes")
    summary = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.by} changed {self.account}: {self.summary}"


class StaffImportJob(models.Model):
    """An upload on the staff import page: checked in the background into a preview, then, once HR
    confirms, imported in the background (people.import_jobs). The file waits in STAFF_IMPORT_DIR
    until it is imported or can no longer be."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: waiting for you"
        IMPORT_QUEUED = "import_queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    original_name = models.CharField(max_length=255)
    file_name = models.CharField(max_length=200, blank=True)  # under STAFF_IMPORT_DIR; '' once removed
    size = models.PositiveBigIntegerField(default=0)
    complete = models.BooleanField("the file is the whole organisation", default=False)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)  # what it is doing now, in words
    done = models.PositiveIntegerField(default=0)  # rows read
    # Claims of the current step (the check, then the import): a runner that stopped is followed by another.
    attempts = models.PositiveSmallIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)  # people.importer.ImportReport, as JSON
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # while it works, its heartbeat
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Staff import of {self.original_name}"

    @property
    def is_working(self) -> bool:
        return self.status in (
            self.Status.QUEUED,
            self.Status.CHECKING,
            self.Status.IMPORT_QUEUED,
            self.Status.IMPORTING,
        )
