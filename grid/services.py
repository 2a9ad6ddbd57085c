"""Writes for the talent grid that span models or keep an invariant the database alone cannot.
Views check access (grid.access) first; these check the business rules and raise
core.refusal.Refused with the reason when one is broken."""

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import transaction
from django.utils import timezone

from core.refusal import Refused
from people.access import HR_GROUP
from people.models import Department, Employee

from .models import (
    CalibrationMove,
    CalibrationSession,
    CriticalRole,
    Placement,
    Successor,
    suggested_potential,
)
from .scope import Scope

# HR edits the grid's wording and settings in administration.
HR_GRID_PERMISSIONS = [
    "add_griddefinition",
    "change_griddefinition",
    "view_griddefinition",
    "add_boxdefinition",
    "change_boxdefinition",
    "view_boxdefinition",
    "change_gridsettings",
    "view_gridsettings",
]


def grid_permissions_grant() -> None:
    """Give the HR group its administration permissions for the grid."""
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(*Permission.objects.filter(content_type__app_label="grid", codename__in=HR_GRID_PERMISSIONS))


def placement_create(
    *,
    employee: Employee,
    placed_by: AbstractBaseUser,
    performance: int,
    potential: int,
    aspiration: int,
    engagement: int,
    ability: int,
    leadership_values: int,
    evidence: str,
    override_reason: str = "",
    growth_direction: str = "",
    specialist_track: bool = False,
    conversation=None,
    calibration_session: CalibrationSession | None = None,
) -> Placement:
    """Place `employee` on the grid, from `conversation` if given. The new placement becomes the
    current one, and the one it replaces ends at the same moment; earlier ones are kept."""
    suggested = suggested_potential(
        aspiration=aspiration, engagement=engagement, ability=ability, leadership_values=leadership_values
    )
    override_reason = override_reason.strip()
    if potential != suggested and not override_reason:
        raise Refused("Give a reason for placing the person in a different row from the one suggested.")
    if potential == suggested:
        override_reason = ""
    if not evidence.strip():
        raise Refused("Give the evidence for this placement.")
    if conversation is not None and conversation.employee_id != employee.pk:
        raise Refused("That conversation was with someone else.")
    with transaction.atomic():
        # One placement at a time per person: the lock queues a second writer behind the first.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        now = timezone.now()
        Placement.objects.filter(employee=employee, is_current=True).update(is_current=False, replaced_at=now)
        return Placement.objects.create(
            employee=employee,
            performance=performance,
            potential=potential,
            aspiration=aspiration,
            engagement=engagement,
            ability=ability,
            leadership_values=leadership_values,
            potential_suggested=suggested,
            override_reason=override_reason,
            growth_direction=growth_direction,
            specialist_track=specialist_track,
            evidence=evidence.strip(),
            conversation=conversation,
            source=Placement.Source.CALIBRATION if calibration_session else Placement.Source.MANAGER,
            calibration_session=calibration_session,
            placed_by=placed_by,
            placed_at=now,
            is_current=True,
        )


def placement_comment_set(*, placement: Placement, comment: str) -> Placement:
    """The employee's own comment on their placement; an empty comment removes it."""
    placement.employee_comment = comment.strip()
    placement.employee_commented_at = timezone.now() if placement.employee_comment else None
    placement.save(update_fields=["employee_comment", "employee_commented_at"])
    return placement


def calibration_session_open(*, opened_by: AbstractBaseUser, name: str, scope: Scope) -> CalibrationSession:
    return CalibrationSession.objects.create(
        name=name.strip(),
        department=scope.department,
        line_manager=scope.line_manager,
        site=scope.site,
        band=scope.band,
        specialist_track=scope.specialist_track,
        opened_by=opened_by,
    )


# What a calibration move keeps of the placement it replaces: only the box changes.
CARRIED_OVER = (
    "aspiration",
    "engagement",
    "ability",
    "leadership_values",
    "growth_direction",
    "specialist_track",
    "evidence",
)


def calibration_override_reason(session: CalibrationSession, reason: str) -> str:
    return f"Calibration, {session.name}: {reason}"


def calibration_move_record(
    *,
    session: CalibrationSession,
    employee: Employee,
    before: Placement,
    after: Placement,
    reason: str,
    moved_by: AbstractBaseUser,
) -> CalibrationMove:
    """The (unsaved) record of `employee` moving from placement `before` to `after` in `session`."""
    return CalibrationMove(
        session=session,
        employee=employee,
        from_performance=before.performance,
        from_potential=before.potential,
        to_performance=after.performance,
        to_potential=after.potential,
        reason=reason,
        placement=after,
        moved_by=moved_by,
        moved_at=after.placed_at,
    )


def calibration_move(
    *,
    session: CalibrationSession,
    employee: Employee,
    performance: int,
    potential: int,
    reason: str,
    moved_by: AbstractBaseUser,
) -> CalibrationMove:
    """Move someone in the session's scope to another box, recording the reason against the session."""
    reason = reason.strip()
    if not reason:
        raise Refused("Give the reason for the move.")
    with transaction.atomic():
        session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
        if not session.is_open:
            raise Refused("This calibration session is closed: its placements can no longer change.")
        current = (
            Placement.objects.filter(Scope.of_session(session).placement_q(), employee=employee, is_current=True)
            .select_related("calibration_session")
            .first()
        )
        if current is None:
            raise Refused(f"{employee.full_name} has no current placement in this session's scope.")
        if (current.performance, current.potential) == (performance, potential):
            raise Refused(f"{employee.full_name} is already in that box.")
        placement = placement_create(
            employee=employee,
            placed_by=moved_by,
            performance=performance,
            potential=potential,
            override_reason=calibration_override_reason(session, reason),
            calibration_session=session,
            **{name: getattr(current, name) for name in CARRIED_OVER},
        )
        move = calibration_move_record(
            session=session, employee=employee, before=current, after=placement, reason=reason, moved_by=moved_by
        )
        move.save(force_insert=True)
        return move


def calibration_session_close(*, session: CalibrationSession, closed_by: AbstractBaseUser) -> CalibrationSession:
    """Close the session: its moves stand and no more can be made."""
    with transaction.atomic():
        updated = CalibrationSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=closed_by
        )
        if not updated:
            raise Refused("This calibration session is already closed.")
    session.refresh_from_db()
    return session


def critical_role_create(
    *, title: str, department: Department, incumbent: Employee | None, why_critical: str = ""
) -> CriticalRole:
    title = title.strip()
    if CriticalRole.objects.filter(department=department, title__iexact=title).exists():
        raise Refused(f"{department.name} already has a critical role called {title}.")
    return CriticalRole.objects.create(
        title=title, department=department, incumbent=incumbent, why_critical=why_critical.strip()
    )


def successor_name(*, role: CriticalRole, employee: Employee, readiness: int, notes: str = "") -> Successor:
    """Name `employee` as a successor for `role`, or update their readiness if already named."""
    if role.incumbent_id == employee.pk:
        raise Refused(f"{employee.full_name} holds this role now and cannot succeed to it.")
    successor, _ = Successor.objects.update_or_create(
        role=role, employee=employee, defaults={"readiness": readiness, "notes": notes.strip()}
    )
    return successor


def successor_remove(*, successor: Successor) -> None:
    successor.delete()
