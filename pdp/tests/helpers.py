"""Plans with realistic content for the tests of the pages and the PDF."""

import datetime

from django.utils import timezone

from pdp.factories import ActionFactory, ObjectiveFactory, PlanFactory
from pdp.models import Action, Plan

DESCRIPTIONS = [
    "Lead two shifts a month as nurse in charge, with a debrief with the ward manager after each.",
    "Shadow the matron for a day, including the bed meeting and a complaint response.",
    "Complete the trust's first-line leadership programme (six half-day sessions).",
    "Present the falls-reduction audit at the directorate governance meeting.",
    "Meet a mentor from another ward monthly to talk through leading a team.",
]


def typical_plan(*, employee=None, manager=None, actions: int = 5, agreed: bool = True) -> Plan:
    """Two objectives and `actions` actions of every type, owner and status."""
    kwargs = {}
    if employee is not None:
        kwargs = {"employee": employee, "manager": manager or employee.line_manager}
    plan = PlanFactory(**kwargs)
    objectives = [
        ObjectiveFactory(plan=plan, title="Be ready to apply for a band 6 charge nurse post within 12 months"),
        ObjectiveFactory(plan=plan, title="Lead the ward's quality improvement work on falls"),
    ]
    types, statuses = list(Action.Type), list(Action.Status)
    owners = [Action.Owner.EMPLOYEE, Action.Owner.MANAGER, Action.Owner.OTHER]
    for index in range(actions):
        owner = owners[index % 3]
        ActionFactory(
            plan=plan,
            objective=objectives[index % 2] if index % 5 != 4 else None,
            description=DESCRIPTIONS[index % len(DESCRIPTIONS)],
            type=types[index % 3],
            owner=owner,
            owner_name="Clinical Education Team" if owner == Action.Owner.OTHER else "",
            due_on=datetime.date(2026, 6, 30) + datetime.timedelta(days=30 * index),
            support_needed="Protected time: half a day a month." if index % 2 else "",
            status=statuses[index % 4],
            progress_notes="Two shifts led so far; debriefs held." if index % 4 == 1 else "",
        )
    if agreed:
        now = timezone.now()
        Plan.objects.filter(pk=plan.pk).update(
            status=Plan.Status.AGREED,
            employee_signed_off_at=now,
            manager_signed_off_at=now,
            agreed_at=now,
            first_agreed_at=now,
            review_6_month_on=datetime.date(2026, 11, 1),
            review_12_month_on=datetime.date(2027, 5, 1),
        )
        plan.refresh_from_db()
    return plan
