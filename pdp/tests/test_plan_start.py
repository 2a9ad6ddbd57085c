import pytest

from conversations.factories import HeldConversationFactory
from conversations.models import Conversation
from core.refusal import Refused
from pdp import services
from pdp.factories import PlanFactory
from pdp.models import Plan


@pytest.fixture
def signed_off(cast):
    return HeldConversationFactory(
        employee=cast.employee,
        host=cast.manager,
        status=Conversation.Status.SIGNED_OFF,
        way_forward="Lead two shifts a month.",
        support_needed="A mentor from another ward.",
    )


def test_it_starts_a_plan_from_the_conversations_way_forward(cast, signed_off):
    plan = services.plan_start_from_conversation(conversation=signed_off, by=cast.manager)
    assert plan.is_current
    assert plan.status == Plan.Status.DRAFT
    assert plan.source_conversation == signed_off
    assert plan.manager == cast.manager
    assert "Lead two shifts a month." in plan.way_forward
    assert "Support needed: A mentor from another ward." in plan.way_forward
    assert plan.changes.get().summary.startswith("Plan started from the talent conversation")


def test_it_closes_and_keeps_the_previous_plan(cast):
    old = PlanFactory(employee=cast.employee, manager=cast.manager)
    new = services.plan_start(employee=cast.employee, by=cast.senior_manager)
    old.refresh_from_db()
    assert (old.is_current, old.status, old.closed_at is not None) == (False, Plan.Status.CLOSED, True)
    assert new.is_current
    assert new.manager == cast.senior_manager
    assert old.changes.filter(summary__startswith="Closed").exists()


def test_it_refuses_a_manager_outside_the_line(cast):
    with pytest.raises(Refused):
        services.plan_start(employee=cast.employee, by=cast.other_manager)
    with pytest.raises(Refused):
        services.plan_start(employee=cast.employee, by=cast.employee)


def test_it_refuses_a_conversation_not_signed_off(cast):
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    with pytest.raises(Refused):
        services.plan_start_from_conversation(conversation=held, by=cast.manager)


def test_it_does_not_start_a_second_plan_from_the_same_conversation(cast, signed_off):
    plan = services.plan_start_from_conversation(conversation=signed_off, by=cast.manager)
    with pytest.raises(Refused, match="already been started from this conversation"):
        services.plan_start_from_conversation(conversation=signed_off, by=cast.manager)
    assert list(Plan.objects.filter(source_conversation=signed_off)) == [plan]


def test_it_keeps_one_current_plan_per_employee_in_the_database(cast):
    from django.db import IntegrityError, transaction

    PlanFactory(employee=cast.employee, manager=cast.manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(employee=cast.employee, manager=cast.manager)


def test_it_takes_the_review_dates_scheduled_by_the_conversation(cast):
    import datetime

    from conversations.reviews import reviews_schedule

    held = HeldConversationFactory(
        employee=cast.employee,
        host=cast.manager,
        held_at=datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC),
        status=Conversation.Status.SIGNED_OFF,
    )
    reviews_schedule(conversation=held)
    plan = services.plan_start_from_conversation(conversation=held, by=cast.manager)
    assert plan.review_6_month_on == datetime.date(2026, 9, 10)
    assert plan.review_12_month_on == datetime.date(2027, 3, 10)
