import datetime

import pytest
import time_machine

from core.refusal import Refused
from core.versions import StaleVersion
from pdp import services
from pdp.factories import ActionFactory, PlanFactory
from pdp.models import Plan


@pytest.fixture
def plan(cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    ActionFactory(plan=plan)
    return Plan.objects.get(pk=plan.pk)


def sign(plan, person):
    plan.refresh_from_db()
    return services.plan_sign_off(plan=plan, by=person, version=plan.version)


@time_machine.travel(datetime.datetime(2026, 8, 31, 10, tzinfo=datetime.UTC), tick=False)
def test_it_agrees_the_plan_when_both_have_signed_and_plans_the_reviews(cast, plan):
    plan = sign(plan, cast.employee)
    assert plan.status == Plan.Status.DRAFT
    assert plan.employee_signed_off_at
    plan = sign(plan, cast.manager)
    assert plan.status == Plan.Status.AGREED
    assert plan.review_6_month_on == datetime.date(2027, 2, 28)
    assert plan.review_12_month_on == datetime.date(2027, 8, 31)
    assert plan.changes.first().summary == "Signed off for the line: the plan is agreed"


def test_it_lets_a_senior_manager_sign_for_the_line(cast, plan):
    sign(plan, cast.employee)
    plan = sign(plan, cast.senior_manager)
    assert plan.status == Plan.Status.AGREED
    assert plan.manager == cast.senior_manager


def test_it_refuses_people_outside_the_plan(cast, plan):
    for person in (cast.hr, cast.other_manager, cast.supporter):
        with pytest.raises(Refused):
            sign(plan, person)


def test_it_refuses_signing_a_plan_that_changed_since_it_was_read(cast, plan):
    read_at = plan.version
    services.action_add(
        plan=plan,
        by=cast.manager,
        data=services.ActionData("Another action", "education", "employee", "", None, ""),
        version=read_at,
    )
    with pytest.raises(StaleVersion):
        services.plan_sign_off(plan=plan, by=cast.employee, version=read_at)


def test_it_refuses_an_empty_plan(cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    with pytest.raises(Refused, match="at least one action"):
        sign(plan, cast.employee)


def test_it_reopens_sign_off_when_what_was_agreed_changes(cast, plan):
    sign(plan, cast.employee)
    plan = sign(plan, cast.manager)
    first_review = plan.review_6_month_on
    services.plan_way_forward_save(plan=plan, by=cast.manager, way_forward="Something else", version=plan.version)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert plan.employee_signed_off_at is None
    assert plan.manager_signed_off_at is None
    assert plan.first_agreed_at is not None
    assert plan.review_6_month_on == first_review
    assert "Sign-off re-opened" in plan.changes.first().summary


def test_it_keeps_sign_off_when_only_progress_or_comments_change(cast, plan):
    sign(plan, cast.employee)
    plan = sign(plan, cast.manager)
    action = plan.actions.get()
    services.action_progress_save(
        action=action, by=cast.employee, status="in_progress", progress_notes="Begun.", version=action.version
    )
    plan.refresh_from_db()
    services.plan_comments_save(plan=plan, by=cast.employee, text="Happy with it.", version=plan.comments_version)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED


def test_it_refuses_changes_to_a_closed_plan(cast, plan):
    services.plan_start(employee=cast.employee, by=cast.manager)
    plan.refresh_from_db()
    with pytest.raises(Refused, match="closed"):
        sign(plan, cast.employee)
