"""Writes to development plans. Each one checks who is acting, refuses to overwrite a newer
version, and writes a PlanChange saying who changed what.

Who may do what (people.access decides who may see a plan at all):
- a manager up the employee's line starts plans and changes their way forward, objectives
  and actions, and signs off for the line;
- the employee comments, records progress (status and notes) on their actions and signs off;
- HR reads only.

Sign-off: either person may sign first; once both have, the plan is agreed. Its review dates
are those of the 6- and 12-month review conversations scheduled when the talent conversation
it started from was held; a plan without them has its reviews planned 6 and 12 months after
it was first agreed. Changing what was agreed (the way
forward, an objective, an action's description, type, owner, due date or support) clears
both sign-offs and the plan goes back to draft until both sign again; recording progress
or comments does not, and is kept in the history like everything else. The review dates
do not move when a plan is agreed again.

Versions: every change bumps the plan's `version`; actions and objectives also have their
own. A form carries the version it was loaded at, and a save made against an older one is
refused (core.versions.StaleVersion), never applied over someone else's edit. Signing off carries the
plan's version too, so nobody signs a plan that changed since they read it.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format

from conversations.models import Conversation
from conversations.reviews import review_due_dates
from conversations.states import plan_may_start_from
from core.refusal import Refused
from core.versions import StaleVersion, delete_versioned, save_versioned
from people.access import is_in_line
from people.models import Employee

from .models import Action, Objective, Plan, PlanChange

# What a save refused over a newer version says (core.versions.StaleVersion).
CHANGED_MEANWHILE = "Someone changed this plan while you were editing, so your change was not saved. Your text is kept."
SIGNED_STALE = "The plan changed since you opened it, so it was not signed. Read it as it is now, then sign off."


@dataclass(frozen=True)
class ActionData:
    description: str
    type: str
    owner: str
    owner_name: str
    due_on: date | None
    support_needed: str
    objective: Objective | None = None
    status: str = Action.Status.NOT_STARTED
    progress_notes: str = ""


# What counts as a change to what was agreed: it re-opens sign-off.
SUBSTANTIVE_ACTION_FIELDS = ("objective", "description", "type", "owner", "owner_name", "due_on", "support_needed")
FIELD_LABELS = {
    "objective": "objective",
    "description": "description",
    "type": "type",
    "owner": "owner",
    "owner_name": "owner",
    "due_on": "due date",
    "support_needed": "support needed",
    "status": "status",
    "progress_notes": "progress notes",
}


def role_in(plan: Plan, person: Employee | None) -> str:
    """'employee', 'manager' (anyone up the employee's line) or ''."""
    if person is None:
        return ""
    if person.pk == plan.employee_id:
        return "employee"
    if is_in_line(person, plan.employee):
        return "manager"
    return ""


def may_edit(plan: Plan, role: str) -> bool:
    """Whether someone with `role` in the plan (see role_in) may change the plan itself."""
    return plan.is_open and role == "manager"


def _require(plan: Plan, person: Employee, *roles: str) -> str:
    if not plan.is_open:
        raise Refused("This plan is closed: it is kept as a record and cannot be changed.")
    role = role_in(plan, person)
    if role not in roles:
        if roles == ("manager",):
            raise Refused("Only a manager in this person's line can change the plan itself.")
        if roles == ("employee",):
            raise Refused(f"Only {plan.employee.full_name} can do that.")
        raise Refused("You cannot change this plan.")
    return role


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if name == "type":
        return Action.Type(value).label
    if name == "status":
        return Action.Status(value).label
    if name == "owner":
        return Action.Owner(value).label
    if isinstance(value, Objective):
        return _short(value.title)
    return _short(str(value))


def _bump(plan: Plan, *, version: int | None, by: Employee, summary: str, details: str = "", substantive: bool):
    """Record a change: bump the plan's version (refusing if `version` is given and stale), re-open
    sign-off if what was agreed changed, and write the history row. Call inside a transaction."""
    rows = Plan.objects.filter(pk=plan.pk, status__in=[Plan.Status.DRAFT, Plan.Status.AGREED])
    if version is not None:
        rows = rows.filter(version=version)
    changes = {"version": F("version") + 1, "updated_at": timezone.now()}
    reopened = substantive and (plan.employee_signed_off_at or plan.manager_signed_off_at)
    if reopened:
        changes |= {"employee_signed_off_at": None, "manager_signed_off_at": None, "status": Plan.Status.DRAFT}
    if not rows.update(**changes):
        plan.refresh_from_db()
        if not plan.is_open:
            raise Refused("This plan was closed a moment ago; it cannot be changed.")
        raise StaleVersion(CHANGED_MEANWHILE)
    if reopened:
        summary += ". Sign-off re-opened: both need to sign again"
    PlanChange.objects.create(plan=plan, by=by.user, summary=summary[:300], details=details)
    plan.refresh_from_db()


# Starting ------------------------------------------------------------------------------


def plan_start(
    *,
    employee: Employee,
    by: Employee,
    way_forward: str = "",
    source_conversation=None,
    summary: str = "",
    review_dates: tuple[date | None, date | None] = (None, None),
) -> Plan:
    """A manager in the line starts a new current plan for `employee`; their current one is closed."""
    if not is_in_line(by, employee):
        raise Refused("Only a manager in this person's line can start their development plan.")
    now = timezone.now()
    try:
        with transaction.atomic():
            previous = list(Plan.objects.select_for_update().filter(employee=employee, is_current=True))
            for old in previous:
                Plan.objects.filter(pk=old.pk).update(
                    is_current=False, status=Plan.Status.CLOSED, closed_at=now, version=F("version") + 1
                )
                PlanChange.objects.create(plan=old, by=by.user, summary="Closed: a new plan was started")
            plan = Plan.objects.create(
                employee=employee,
                manager=by,
                source_conversation=source_conversation,
                way_forward=way_forward,
                created_by=by.user,
                review_6_month_on=review_dates[0],
                review_12_month_on=review_dates[1],
            )
            PlanChange.objects.create(plan=plan, by=by.user, summary=summary or "Plan started")
    except IntegrityError:
        raise Refused("Someone started a plan for this person a moment ago. Open it to carry on.") from None
    return plan


def scheduled_reviews(conversation) -> dict:
    """The 6- and 12-month review conversations that follow `conversation`'s initial talent
    conversation (scheduled when it was held), by kind: empty if there are none."""
    initial_id = conversation.follows_id or conversation.pk
    return {review.kind: review for review in type(conversation).objects.filter(follows_id=initial_id)}


def review_dates_of(conversation) -> tuple[date | None, date | None]:
    reviews = scheduled_reviews(conversation)
    six, twelve = reviews.get(Conversation.Kind.SIX_MONTH), reviews.get(Conversation.Kind.TWELVE_MONTH)
    return (six.due_on if six else None, twelve.due_on if twelve else None)


def way_forward_from(conversation) -> str:
    """The conversation's way forward, with the support it said was needed."""
    parts = [conversation.way_forward.strip()]
    if conversation.support_needed.strip():
        support = f"Support needed: {conversation.support_needed.strip()}"
        if conversation.support_by:
            support += f" (by {date_format(conversation.support_by, 'j F Y')})"
        parts.append(support)
    return "\n\n".join(part for part in parts if part)


def plan_start_from_conversation(*, conversation, by: Employee) -> Plan:
    """Start the employee's plan from a signed-off talent conversation's way forward."""
    if not plan_may_start_from(conversation):
        raise Refused("A plan starts from a talent conversation or review once both have signed off its record.")
    existing = Plan.objects.filter(source_conversation=conversation, is_current=True).first()
    if existing is not None:
        raise Refused("A plan has already been started from this conversation: open it from the person's plans.")
    held = conversation.held_at or conversation.starts_at
    when = f" of {date_format(timezone.localtime(held), 'j F Y')}" if held else ""
    return plan_start(
        employee=conversation.employee,
        by=by,
        way_forward=way_forward_from(conversation),
        source_conversation=conversation,
        summary=f"Plan started from the {conversation.get_kind_display().lower()}{when}",
        review_dates=review_dates_of(conversation),
    )


# The plan itself ----------------------------------------------------------------------


def plan_way_forward_save(*, plan: Plan, by: Employee, way_forward: str, version: int) -> Plan:
    _require(plan, by, "manager")
    if way_forward.strip() == plan.way_forward.strip():
        return plan
    with transaction.atomic():
        Plan.objects.filter(pk=plan.pk, version=version).update(way_forward=way_forward)
        _bump(plan, version=version, by=by, summary="Changed the way forward", substantive=True)
    return plan


def plan_comments_save(*, plan: Plan, by: Employee, text: str, version: int) -> Plan:
    """The employee's own comments on their plan. They do not re-open sign-off."""
    _require(plan, by, "employee")
    with transaction.atomic():
        save_versioned(
            Plan.objects.filter(pk=plan.pk),
            version=version,
            field="comments_version",
            changes={"employee_comments": text},
            message="You saved newer comments in another window or on another device, so these were not saved. "
            "Your text is kept in the form; the saved comments are shown beside it.",
        )
        _bump(plan, version=None, by=by, summary="Changed their comments", substantive=False)
    return plan


_SIGNATURE = {"employee": "employee_signed_off_at", "manager": "manager_signed_off_at"}


def plan_sign_off_check(*, plan: Plan, by: Employee) -> str:
    """Refused unless `by` may sign off `plan` now; else their role in it ('employee' or 'manager')."""
    role = _require(plan, by, "employee", "manager")
    if not plan.actions.exists():
        raise Refused("Add at least one action before signing off: the plan is what you will do.")
    if getattr(plan, _SIGNATURE[role]):
        raise Refused("You have already signed off this version of the plan.")
    return role


def plan_sign_off(*, plan: Plan, by: Employee, version: int) -> Plan:
    """Sign off as the employee or as a manager in the line. Both signatures agree the plan."""
    role = plan_sign_off_check(plan=plan, by=by)
    field = _SIGNATURE[role]
    now = timezone.now()
    with transaction.atomic():
        changes = {field: now, "version": F("version") + 1, "updated_at": now}
        if role == "manager":
            changes["manager"] = by
        updated = Plan.objects.filter(
            pk=plan.pk, version=version, status=Plan.Status.DRAFT, **{f"{field}__isnull": True}
        ).update(**changes)
        if not updated:
            plan.refresh_from_db()
            if not plan.is_open:
                raise Refused("This plan was closed a moment ago.")
            raise StaleVersion(SIGNED_STALE)
        plan.refresh_from_db()
        summary = "Signed off as the employee" if role == "employee" else "Signed off for the line"
        if plan.employee_signed_off_at and plan.manager_signed_off_at:
            agreed = {"status": Plan.Status.AGREED, "agreed_at": now}
            if plan.first_agreed_at is None:
                agreed["first_agreed_at"] = now
            if plan.review_6_month_on is None and plan.review_12_month_on is None:
                agreed |= plan_review_dates(timezone.localdate(now))
            Plan.objects.filter(pk=plan.pk).update(**agreed)
            summary += ": the plan is agreed"
        PlanChange.objects.create(plan=plan, by=by.user, summary=summary)
    plan.refresh_from_db()
    return plan


def plan_review_dates(agreed_on: date) -> dict[str, date]:
    """The review dates of a plan with no review conversations: 6 and 12 months after it was agreed."""
    due = review_due_dates(agreed_on)
    return {
        "review_6_month_on": due[Conversation.Kind.SIX_MONTH],
        "review_12_month_on": due[Conversation.Kind.TWELVE_MONTH],
    }


# Objectives ---------------------------------------------------------------------------


def objective_add(*, plan: Plan, by: Employee, title: str, version: int) -> Objective:
    _require(plan, by, "manager")
    with transaction.atomic():
        _bump(plan, version=version, by=by, summary=f"Added objective “{_short(title)}”", substantive=True)
        position = (plan.objectives.aggregate(top=Max("position"))["top"] or 0) + 1
        return Objective.objects.create(plan=plan, title=title, position=position)


def objective_update(*, objective: Objective, by: Employee, title: str, version: int) -> Objective:
    plan = objective.plan
    _require(plan, by, "manager")
    if title.strip() == objective.title.strip():
        return objective
    with transaction.atomic():
        save_versioned(
            Objective.objects.filter(pk=objective.pk),
            version=version,
            changes={"title": title},
            message=CHANGED_MEANWHILE,
        )
        _bump(
            plan,
            version=None,
            by=by,
            summary=f"Changed objective “{_short(objective.title)}”",
            details=f"Now: {title}",
            substantive=True,
        )
    objective.refresh_from_db()
    return objective


def objective_delete(*, objective: Objective, by: Employee, version: int) -> None:
    """Remove an objective; its actions stay in the plan, under no objective."""
    _delete(objective, by, version, summary=f"Removed objective “{_short(objective.title)}”")


# Actions ------------------------------------------------------------------------------


def _check_objective(plan: Plan, objective: Objective | None) -> None:
    if objective is not None and objective.plan_id != plan.pk:
        raise Refused("That objective belongs to another plan.")


def action_add(*, plan: Plan, by: Employee, data: ActionData, version: int, opportunity=None) -> Action:
    """A manager adds an action; `opportunity`: the opportunity it was made from (kept on the action)."""
    _require(plan, by, "manager")
    _check_objective(plan, data.objective)
    source = f" from the opportunity “{_short(opportunity.title)}”" if opportunity is not None else ""
    with transaction.atomic():
        _bump(
            plan,
            version=version,
            by=by,
            summary=f"Added {Action.Type(data.type).label.lower()} action “{_short(data.description)}”{source}",
            substantive=True,
        )
        position = (plan.actions.aggregate(top=Max("position"))["top"] or 0) + 1
        return Action.objects.create(plan=plan, position=position, opportunity=opportunity, **data.__dict__)


def _differences(action: Action, values: dict) -> list[tuple[str, object, object]]:
    differences = []
    for name, new in values.items():
        old = getattr(action, name)
        if isinstance(old, str) and isinstance(new, str):
            if old.replace("\r\n", "\n").strip() == new.replace("\r\n", "\n").strip():
                continue
        elif old == new:
            continue
        differences.append((name, old, new))
    return differences


def _save_action(action: Action, by: Employee, values: dict, version: int, *, what: str) -> Action:
    differences = _differences(action, values)
    if not differences:
        return action
    substantive = any(name in SUBSTANTIVE_ACTION_FIELDS for name, _, _ in differences)
    details = "\n".join(
        f"{FIELD_LABELS[name].capitalize()}: {_shown(name, old)} → {_shown(name, new)}"
        for name, old, new in differences
        if name != "owner_name" or values.get("owner") == Action.Owner.OTHER
    )
    with transaction.atomic():
        save_versioned(
            Action.objects.filter(pk=action.pk),
            version=version,
            changes={**values, "updated_at": timezone.now()},
            message=CHANGED_MEANWHILE,
        )
        _bump(
            action.plan,
            version=None,
            by=by,
            summary=f"{what} “{_short(action.description)}”",
            details=details,
            substantive=substantive,
        )
    action.refresh_from_db()
    return action


def action_update(*, action: Action, by: Employee, data: ActionData, version: int) -> Action:
    """A manager changes an action: what was agreed, and its progress."""
    _require(action.plan, by, "manager")
    _check_objective(action.plan, data.objective)
    return _save_action(action, by, dict(data.__dict__), version, what="Changed action")


def action_progress_save(*, action: Action, by: Employee, status: str, progress_notes: str, version: int) -> Action:
    """The employee (or a manager) records progress. This does not re-open sign-off."""
    _require(action.plan, by, "employee", "manager")
    values = {"status": Action.Status(status).value, "progress_notes": progress_notes}
    return _save_action(action, by, values, version, what="Recorded progress on")


def action_delete(*, action: Action, by: Employee, version: int) -> None:
    _delete(action, by, version, summary=f"Removed action “{_short(action.description)}”")


def _delete(record: Objective | Action, by: Employee, version: int, *, summary: str) -> None:
    """Remove an objective or action of an open plan, if it is still at `version`."""
    plan = record.plan
    _require(plan, by, "manager")
    with transaction.atomic():
        delete_versioned(type(record).objects.filter(pk=record.pk), version=version, message=CHANGED_MEANWHILE)
        _bump(plan, version=None, by=by, summary=summary, substantive=True)
