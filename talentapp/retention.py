"""Retention (UK GDPR, storage limitation): what the site stops keeping, and when.

`retention_apply` runs daily (Celery beat, or cron: `manage.py apply_retention`). Every part is
idempotent, so a second run the same day, or beat and cron at once, finds nothing left to do:

- leavers: a person whose user is inactive and whose `left_on` is RETENTION_YEARS or more ago is
  anonymised (`employee_anonymise`), once: `anonymised_at` marks them;
- HR's plan exports older than a week are removed, files and all, whoever asked (pdp.exports);
- staff imports older than a week are removed, their reports and uploaded files with them
  (people.import_jobs);
- expired sessions are cleared, as `manage.py clearsessions` does: they can hold text typed
  after a session ended (conversations.middleware);
- emails the file backend wrote to EMAIL_FILE_PATH more than EMAIL_FILE_RETENTION_DAYS ago are
  removed;
- access log entries older than ACCESS_LOG_RETENTION_YEARS are removed, with their record rows
  (people.access_log).

Anonymising keeps the facts the organisation counts (that a conversation or review happened, its
kind, state and dates; plans, objectives and actions with their states and dates; placements and
their boxes; band, department, site, start and leaving dates) and removes what identifies the
person or what anyone wrote: names (shown as ANONYMISED_NAME), email, staff number and user
name (replaced by an opaque token), job title, and every free text (statement, record, preparation, comments, plan text,
evidence, reasons, notes), which becomes REMOVED where something had been written. Rows that
are nothing but personal data are deleted: equality data, the career supporter entry, private
notes (on their conversations, and those they wrote as a host), and the outbox notices of their
conversations or addressed to them. The user account stays, unusable: no password, inactive, no
groups or permissions. Rows stay (rather than being deleted) because other records point at them:
conversations they hosted, plans they managed, the access log of what they read.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from conversations.models import Conversation, Notice, Preparation, PrivateNote, ReviewChange, SupporterProfile
from grid.models import CalibrationMove, CriticalRole, Placement, Successor
from opportunities.models import Interest
from pdp.exports import exports_expire
from pdp.models import Action, Objective, Plan, PlanChange
from people.access_log import entries_expire, expiry_cutoff
from people.import_jobs import import_jobs_expire
from people.models import Employee, EqualityProfile

logger = logging.getLogger(__name__)

REMOVED = "[removed]"  # stands in for free text that was written: the fact stays, the words go
# The name pages show for an anonymised person (first and last name), so that no link or heading is empty.
ANONYMISED_NAME = ("Anonymised", "leaver")

CONVERSATION_TEXT = (
    "statement",
    "decline_reason",
    "cancel_reason",
    "close_reason",
    "venue",
    "topic",
    "goal",
    "reality",
    "options",
    "way_forward",
    "support_needed",
    "competency_framework",
    "recommended_next_role",
    "longer_term_aspirations",
    "shared_notes",
    "employee_comments",
)
PREPARATION_TEXT = tuple(Preparation.QUESTIONS)


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def leavers_due(*, on: date) -> QuerySet[Employee]:
    """Leavers not yet anonymised whose retention period has passed by `on`: their user is inactive
    and they left RETENTION_YEARS or more before `on`."""
    return Employee.objects.filter(
        user__is_active=False,
        left_on__isnull=False,
        left_on__lte=years_before(on, settings.RETENTION_YEARS),
        anonymised_at__isnull=True,
    ).order_by("left_on", "pk")


def _remove_text(rows: QuerySet, fields: tuple[str, ...]) -> int:
    """Replace each non-empty field of `rows` by REMOVED, in one UPDATE (auto_now dates untouched)."""
    return rows.update(**{name: Case(When(**{name: ""}, then=Value("")), default=Value(REMOVED)) for name in fields})


def employee_anonymise(*, employee: Employee, now: datetime | None = None) -> bool:
    """Anonymise one leaver (see the module's docstring), in one transaction. Claimed by a
    conditional update of `anonymised_at`, so a second or concurrent run does nothing: False."""
    now = now or timezone.now()
    with transaction.atomic():
        if not Employee.objects.filter(pk=employee.pk, anonymised_at__isnull=True).update(anonymised_at=now):
            return False
        token = secrets.token_hex(7)
        user = employee.user
        user.username = f"anon-{token}"
        user.first_name, user.last_name = ANONYMISED_NAME
        user.email = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        Employee.objects.filter(pk=employee.pk).update(staff_number=f"anon-{token}", job_title="")

        EqualityProfile.objects.filter(employee=employee).delete()
        SupporterProfile.objects.filter(employee=employee).delete()
        PrivateNote.objects.filter(Q(conversation__employee=employee) | Q(author=user)).delete()
        Notice.objects.filter(Q(conversation__employee=employee) | Q(recipient=employee)).delete()
        CriticalRole.objects.filter(incumbent=employee).update(incumbent=None)

        conversations = Conversation.objects.filter(employee=employee)
        _remove_text(conversations, CONVERSATION_TEXT)
        _remove_text(Preparation.objects.filter(conversation__employee=employee), PREPARATION_TEXT)
        _remove_text(ReviewChange.objects.filter(review__employee=employee), ("reason",))

        _remove_text(Plan.objects.filter(employee=employee), ("way_forward", "employee_comments"))
        _remove_text(Objective.objects.filter(plan__employee=employee), ("title",))
        _remove_text(
            Action.objects.filter(plan__employee=employee),
            ("description", "owner_name", "support_needed", "progress_notes"),
        )
        _remove_text(PlanChange.objects.filter(plan__employee=employee), ("summary", "details"))

        _remove_text(Placement.objects.filter(employee=employee), ("override_reason", "evidence", "employee_comment"))
        _remove_text(CalibrationMove.objects.filter(employee=employee), ("reason",))
        _remove_text(Successor.objects.filter(employee=employee), ("notes",))
        _remove_text(Interest.objects.filter(employee=employee), ("note",))
    return True


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _expired_sessions() -> int | None:
    """How many sessions have expired, for session engines kept in the database; else None."""
    try:
        model = _session_store().get_model_class()
    except AttributeError:
        return None
    return model.objects.filter(expire_date__lt=timezone.now()).count()


def _sessions_clear() -> int | None:
    """`manage.py clearsessions`: the engine removes its expired sessions. How many, when it can tell."""
    count = _expired_sessions()
    try:
        _session_store().clear_expired()
    except NotImplementedError:
        logger.warning("The session engine %s cannot clear expired sessions.", settings.SESSION_ENGINE)
        return None
    return count


def old_email_files(*, now: datetime) -> list[Path]:
    """Emails the file backend wrote (`*.log`, directly in EMAIL_FILE_PATH) more than
    EMAIL_FILE_RETENTION_DAYS ago. Nothing else in the folder is touched."""
    folder = Path(settings.EMAIL_FILE_PATH) if settings.EMAIL_FILE_PATH else None
    if folder is None or not folder.is_dir():
        return []
    cutoff = (now - timedelta(days=settings.EMAIL_FILE_RETENTION_DAYS)).timestamp()
    return sorted(path for path in folder.glob("*.log") if path.is_file() and path.stat().st_mtime < cutoff)


@dataclass
class RetentionReport:
    dry_run: bool
    left_by: date  # leavers who left on or before this day are due
    leavers: list[str] = field(default_factory=list)  # staff numbers, as they were
    exports: int = 0
    stray_export_files: int = 0
    staff_imports: int = 0
    sessions: int | None = 0  # None: the session engine cannot count them
    email_files: int = 0
    access_log_entries: int = 0
    access_log_before: datetime | None = None

    def lines(self) -> list[str]:
        def say(would: str, done: str) -> str:
            return would if self.dry_run else done

        leavers = f"{len(self.leavers)} leaver{'' if len(self.leavers) == 1 else 's'}"
        if self.dry_run and self.leavers:
            leavers += f" ({', '.join(self.leavers)})"
        stray = f", and {self.stray_export_files} stray export files" if self.stray_export_files else ""
        sessions = "expired sessions" if self.sessions is None else f"{self.sessions} expired sessions"
        lines = [
            f"{say('Would anonymise', 'Anonymised')} {leavers} who left on or before {self.left_by:%d/%m/%Y} "
            f"(RETENTION_YEARS={settings.RETENTION_YEARS}).",
            f"{say('Would remove', 'Removed')} {self.exports} plan exports older than a week{stray}.",
            f"{say('Would remove', 'Removed')} {self.staff_imports} staff imports older than a week "
            "(their reports and files).",
            f"{say('Would clear', 'Cleared')} {sessions}.",
            f"{say('Would remove', 'Removed')} {self.email_files} email files older than "
            f"{settings.EMAIL_FILE_RETENTION_DAYS} days in {settings.EMAIL_FILE_PATH}.",
            f"{say('Would remove', 'Removed')} {self.access_log_entries} access log entries from before "
            f"{self.access_log_before:%d/%m/%Y %H:%M} "
            f"(ACCESS_LOG_RETENTION_YEARS={settings.ACCESS_LOG_RETENTION_YEARS}).",
        ]
        if self.dry_run:
            lines.append("Dry run: nothing was changed.")
        return lines


def retention_apply(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    """Apply the retention rules (see the module's docstring). A dry run reports what a run
    would do and changes nothing."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    report = RetentionReport(dry_run=dry_run, left_by=years_before(on, settings.RETENTION_YEARS))

    for employee in leavers_due(on=on).select_related("user"):
        staff_number = employee.staff_number
        if dry_run or employee_anonymise(employee=employee, now=now):
            report.leavers.append(staff_number)

    expired = exports_expire(now=now, dry_run=dry_run)
    report.exports, report.stray_export_files = expired.exports, expired.stray_files

    report.staff_imports = import_jobs_expire(now=now, dry_run=dry_run)

    report.sessions = _expired_sessions() if dry_run else _sessions_clear()

    report.access_log_before = expiry_cutoff(now)
    report.access_log_entries = entries_expire(now=now, dry_run=dry_run)

    emails = old_email_files(now=now)
    report.email_files = len(emails)
    if not dry_run:
        for path in emails:
            path.unlink(missing_ok=True)
    return report
