"""Subject access (UK GDPR, article 15): everything the site holds about one person, as one zip.

`subject_access_export` gathers, for the person with a staff number:

- their staff record, user account, equality data and directory entry;
- the conversations and reviews they are the employee of, with their preparation, the record,
  their comments and the reviews' changes;
- their development plans with objectives, actions, comments and history, and each plan's PDF;
- their grid placements with their comments, the calibration moves and successor entries about them;
- the emails (outbox notices) sent to them;
- the access log's rows about them: who read their records, and when;

as JSON files, and in a separate folder, `review-before-disclosure/`, the private notes hosts
wrote about their conversations: exemptions may apply, so someone must review them before
anything is disclosed.

It gathers from every app, so it lives in the project (talentapp), not in an app. The run is
written to the access log (record type `subject_access`), naming who ran it.
"""

import getpass
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.utils import timezone

from conversations.models import Conversation, Notice, Preparation, PrivateNote, ReviewChange, SupporterProfile
from core.refusal import Refused
from grid.models import CalibrationMove, CriticalRole, Placement, Successor
from opportunities.models import Interest
from pdp.models import Plan
from pdp.pdf import plan_pdf
from pdp.selectors import PLAN_RELATED
from people.access_log import entry_write
from people.models import AccessLogRecord, Employee, EqualityProfile

RECORD_TYPE = "subject_access"
REVIEW_FOLDER = "review-before-disclosure"

README = """\
Subject access: everything the talent conversations site holds about one person

Staff number: {staff_number}
Gathered: {gathered} (Europe/London) by {by}

Files
  staff-record.json      the staff record, user account, equality data and career supporter entry
  conversations.json     talent and career conversations and reviews they are the employee of,
                         each with the preparation, the record, comments and the reviews' changes
  plans.json             development plans: objectives, actions, comments and history
  plans/*.pdf            each plan as a PDF, as the site prints it today
  grid.json              talent grid placements (with their comments), calibration moves and
                         successor entries about them
  opportunities.json     the opportunities they registered interest in, and the places they took
  notices.json           the emails sent to them: which, about what and when (the site keeps
                         no copy of an email's text; it is built from the conversation when sent)
  access-log.json        every read of their records by someone else: who, what and when
  {review_folder}/  private notes hosts wrote about their conversations: REVIEW BEFORE
                         DISCLOSURE, exemptions may apply (see the README.txt in that folder)

Fields ending in _id are the site's own ids; a field next to one names what it points to.
"""

REVIEW_README = """\
REVIEW BEFORE DISCLOSURE: EXEMPTIONS MAY APPLY

These are the private notes that hosts (line managers and career supporters) wrote about
conversations with staff number {staff_number}. The site shows each note to its author only.

They are personal data of the person asking, but they also hold other people's views and may
fall under an exemption of the Data Protection Act 2018, Schedule 2 (for example management
forecasting or planning, confidential references, or information about other people).

Someone responsible for data protection must review each note, and redact or withhold what an
exemption covers, before any of it is disclosed. Do not send this folder as it is.
"""


@dataclass(frozen=True)
class SubjectAccessResult:
    employee: Employee
    path: Path
    files: list[str]


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _record(obj: Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """Every stored field of `obj`: a choice also in words, a link as its id and what it names."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        if field.is_relation:
            data[field.attname] = value
            if value is not None:
                data[field.name] = str(getattr(obj, field.name))
        else:
            data[field.name] = value
            if field.choices and value not in (None, ""):
                data[f"{field.name}_display"] = getattr(obj, f"get_{field.name}_display")()
    return data


def _staff_record(employee: Employee) -> dict:
    user = employee.user
    equality = EqualityProfile.objects.filter(employee=employee).first()
    profile = SupporterProfile.objects.filter(employee=employee).first()
    roles = CriticalRole.objects.filter(incumbent=employee).select_related("department")
    return {
        "employee": _record(employee),
        "user_account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "equality_data": _record(equality, exclude=("id", "employee")) if equality else None,
        "career_supporter_entry": _record(profile, exclude=("employee",)) if profile else None,
        "critical_roles_held": [_record(role) for role in roles],
    }


def _conversations(employee: Employee) -> list[dict]:
    conversations = (
        Conversation.objects.filter(employee=employee)
        .select_related("host__user", "started_by", "follows__employee__user")
        .order_by("created_at", "pk")
    )
    preparations = {p.conversation_id: p for p in Preparation.objects.filter(conversation__employee=employee)}
    changes: dict[int, list[dict]] = {}
    for change in ReviewChange.objects.filter(review__employee=employee).select_related("changed_by").order_by("at"):
        changes.setdefault(change.review_id, []).append(_record(change, exclude=("review",)))
    return [
        {
            **_record(conversation),
            "preparation": (
                _record(preparations[conversation.pk], exclude=("conversation",))
                if conversation.pk in preparations
                else None
            ),
            "review_changes": changes.get(conversation.pk, []),
        }
        for conversation in conversations
    ]


def _plans(employee: Employee) -> list[Plan]:
    return list(
        Plan.objects.filter(employee=employee)
        .select_related(*PLAN_RELATED, "created_by", "source_conversation__employee__user")
        .prefetch_related("objectives", "actions", "changes__by")
        .order_by("created_at", "pk")
    )


def _plan(plan: Plan) -> dict:
    return {
        **_record(plan),
        "objectives": [_record(objective, exclude=("plan",)) for objective in plan.objectives.all()],
        "actions": [_record(action, exclude=("plan",)) for action in plan.actions.all()],
        "history": [_record(change, exclude=("plan",)) for change in plan.changes.all()],
    }


def _grid(employee: Employee) -> dict:
    placements = Placement.objects.filter(employee=employee).select_related(
        "placed_by", "calibration_session", "conversation__employee__user"
    )
    moves = CalibrationMove.objects.filter(employee=employee).select_related("session", "moved_by")
    successors = Successor.objects.filter(employee=employee).select_related("role__department")
    return {
        "placements": [_record(placement, exclude=("employee",)) for placement in placements.order_by("placed_at")],
        "calibration_moves": [_record(move, exclude=("employee",)) for move in moves.order_by("moved_at")],
        "successor_entries": [
            {**_record(entry, exclude=("employee",)), "role_department": entry.role.department.name}
            for entry in successors.order_by("named_at")
        ],
    }


def _opportunity_interests(employee: Employee) -> list[dict]:
    interests = Interest.objects.filter(employee=employee).select_related("opportunity", "took_place_marked_by")
    return [_record(interest, exclude=("employee",)) for interest in interests.order_by("created_at", "pk")]


def _notices(employee: Employee) -> list[dict]:
    notices = Notice.objects.filter(recipient=employee).select_related("conversation__employee__user")
    return [_record(notice, exclude=("recipient", "claimed_at")) for notice in notices.order_by("created_at", "pk")]


def _access_log(employee: Employee) -> list[dict]:
    rows = AccessLogRecord.objects.filter(subject=employee).select_related("entry__user").order_by("at", "pk")
    return [
        {
            "at": row.at,
            "read_by": row.entry.user.username,
            "read_by_name": row.entry.user.get_full_name(),
            "record_type": row.record_type,
            "record_id": row.record_id,
            "path": row.entry.path,
        }
        for row in rows
    ]


def _private_notes(employee: Employee) -> list[dict]:
    notes = (
        PrivateNote.objects.filter(conversation__employee=employee)
        .select_related("conversation__employee__user", "author")
        .order_by("conversation__created_at", "pk")
    )
    return [{**_record(note), "author_name": note.author.get_full_name()} for note in notes]


def subject_access_files(*, employee: Employee, by: AbstractBaseUser, now: datetime | None = None) -> dict[str, bytes]:
    """Every file of the export, by its name in the zip."""
    now = now or timezone.now()
    plans = _plans(employee)
    files = {
        "README.txt": README.format(
            staff_number=employee.staff_number,
            gathered=timezone.localtime(now).strftime("%d/%m/%Y %H:%M"),
            by=by.get_username(),
            review_folder=REVIEW_FOLDER,
        ).encode(),
        "staff-record.json": _json(_staff_record(employee)),
        "conversations.json": _json(_conversations(employee)),
        "plans.json": _json([_plan(plan) for plan in plans]),
        "grid.json": _json(_grid(employee)),
        "opportunities.json": _json(_opportunity_interests(employee)),
        "notices.json": _json(_notices(employee)),
        "access-log.json": _json(_access_log(employee)),
        f"{REVIEW_FOLDER}/README.txt": REVIEW_README.format(staff_number=employee.staff_number).encode(),
        f"{REVIEW_FOLDER}/private-notes.json": _json(_private_notes(employee)),
    }
    for plan in plans:
        files[f"plans/plan-{plan.pk}-{timezone.localdate(plan.created_at):%Y-%m-%d}.pdf"] = plan_pdf(
            plan, generated_at=now
        )
    return files


def subject_access_export(
    *, staff_number: str, by: AbstractBaseUser, output: Path, now: datetime | None = None
) -> SubjectAccessResult:
    """Write everything held about the person with `staff_number` to a new zip at `output`
    (readable by its owner only), and log the run in the access log. Refused: nobody has that
    staff number, or `output` exists already."""
    employee = (
        Employee.objects.select_related("user", "department", "line_manager__user")
        .filter(staff_number=staff_number.strip())
        .first()
    )
    if employee is None:
        raise Refused(f"No one has the staff number {staff_number!r}.")
    if output.exists():
        raise Refused(f"{output} exists already; choose a new file name.")
    if not output.parent.is_dir():
        raise Refused(f"{output.parent} is not a folder.")
    now = now or timezone.now()
    files = subject_access_files(employee=employee, by=by, now=now)
    entry_write(
        user=by,
        reads=[(RECORD_TYPE, employee.pk, employee.pk)],
        path=f"manage.py subject_access {employee.staff_number} by {by.get_username()} "
        f"(shell user {_shell_user()}) to {output.name}"[:300],
    )
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream, zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
    except BaseException:
        output.unlink(missing_ok=True)
        raise
    return SubjectAccessResult(employee=employee, path=output, files=list(files))


def _shell_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (e.g. a container without one)
        return "unknown"
