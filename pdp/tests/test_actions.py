import datetime

import pytest

from core.refusal import Refused
from core.versions import StaleVersion
from pdp import services
from pdp.factories import ActionFactory, ObjectiveFactory, PlanFactory
from pdp.models import Action


@pytest.fixture
def plan(cast):
    return PlanFactory(employee=cast.employee, manager=cast.manager)


def data(**changes):
    values = {
        "description": "Shadow the matron for a day",
        "type": Action.Type.EXPOSURE,
        "owner": Action.Owner.EMPLOYEE,
        "owner_name": "",
        "due_on": datetime.date(2026, 9, 30),
        "support_needed": "A day off the rota",
    }
    return services.ActionData(**(values | changes))


def test_it_adds_an_action_and_records_it(cast, plan):
    action = services.action_add(plan=plan, by=cast.manager, data=data(), version=plan.version)
    assert action.plan == plan
    assert action.status == Action.Status.NOT_STARTED
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.changes.first().summary == "Added exposure action “Shadow the matron for a day”"


def test_it_lets_only_managers_in_the_line_change_actions(cast, plan):
    for person in (cast.employee, cast.hr, cast.other_manager):
        with pytest.raises(Refused):
            services.action_add(plan=plan, by=person, data=data(), version=plan.version)


def test_it_records_what_changed(cast, plan):
    action = ActionFactory(plan=plan, due_on=datetime.date(2026, 9, 30))
    services.action_update(
        action=action,
        by=cast.manager,
        data=data(description=action.description, due_on=datetime.date(2026, 10, 31)),
        version=action.version,
    )
    change = plan.changes.first()
    assert change.summary.startswith("Changed action")
    assert "Due date: 30 September 2026 → 31 October 2026" in change.details


def test_it_refuses_to_overwrite_a_newer_edit(cast, plan):
    action = ActionFactory(plan=plan)
    loaded = action.version
    services.action_progress_save(
        action=action, by=cast.employee, status="in_progress", progress_notes="A", version=loaded
    )
    with pytest.raises(StaleVersion):
        services.action_update(action=action, by=cast.manager, data=data(), version=loaded)
    action.refresh_from_db()
    assert action.progress_notes == "A"


def test_it_lets_the_employee_record_progress_only(cast, plan):
    action = ActionFactory(plan=plan)
    services.action_progress_save(
        action=action, by=cast.employee, status="done", progress_notes="Finished.", version=action.version
    )
    action.refresh_from_db()
    assert (action.status, action.progress_notes) == ("done", "Finished.")
    with pytest.raises(Refused):
        services.action_update(action=action, by=cast.employee, data=data(), version=action.version)
    with pytest.raises(Refused):
        services.action_progress_save(
            action=action, by=cast.other_employee, status="done", progress_notes="", version=action.version
        )


def test_it_refuses_an_objective_of_another_plan(cast, plan):
    elsewhere = ObjectiveFactory()
    with pytest.raises(Refused):
        services.action_add(plan=plan, by=cast.manager, data=data(objective=elsewhere), version=plan.version)


def test_it_removes_an_action(cast, plan):
    action = ActionFactory(plan=plan)
    services.action_delete(action=action, by=cast.manager, version=action.version)
    assert not plan.actions.exists()
    assert plan.changes.first().summary.startswith("Removed action")


def test_it_keeps_actions_when_their_objective_is_removed(cast, plan):
    objective = ObjectiveFactory(plan=plan)
    action = ActionFactory(plan=plan, objective=objective)
    services.objective_delete(objective=objective, by=cast.manager, version=objective.version)
    action.refresh_from_db()
    assert action.objective is None
