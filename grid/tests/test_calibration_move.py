import pytest

from core.refusal import Refused
from grid.factories import CalibrationSessionFactory, PlacementFactory
from grid.models import CalibrationMove, Placement
from grid.scope import Scope
from grid.services import calibration_move, calibration_session_close, calibration_session_open


@pytest.fixture
def session(cast):
    return calibration_session_open(
        opened_by=cast.hr.user, name="Nursing calibration", scope=Scope(department=cast.employee.department)
    )


def move(cast, session, **overrides):
    return calibration_move(
        **{
            "session": session,
            "employee": cast.employee,
            "performance": 3,
            "potential": 3,
            "reason": "Matches peers in box 1.",
            "moved_by": cast.hr.user,
            **overrides,
        }
    )


def test_it_records_the_move_and_makes_a_new_current_placement(cast, session):
    before = PlacementFactory(employee=cast.employee, performance=2, potential=2, growth_direction="depth")
    recorded = move(cast, session)
    before.refresh_from_db()
    assert not before.is_current
    after = Placement.objects.get(employee=cast.employee, is_current=True)
    assert (after.performance, after.potential) == (3, 3)
    assert after.calibration_session == session
    assert after.source == Placement.Source.CALIBRATION
    assert after.growth_direction == "depth"
    assert after.evidence == before.evidence
    assert "Matches peers in box 1." in after.override_reason  # the criteria still suggest row 2
    assert (recorded.from_performance, recorded.from_potential, recorded.to_performance) == (2, 2, 3)
    assert recorded.placement == after
    assert recorded.reason == "Matches peers in box 1."
    assert before.replaced_at == after.placed_at == recorded.moved_at
    assert after.replaced_at is None


def test_it_needs_a_reason(cast, session):
    PlacementFactory(employee=cast.employee)
    with pytest.raises(Refused):
        move(cast, session, reason="   ")
    assert not CalibrationMove.objects.exists()


def test_it_refuses_a_move_to_the_same_box(cast, session):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    with pytest.raises(Refused, match="already in that box"):
        move(cast, session)


def test_it_moves_only_people_in_the_sessions_scope(cast, session):
    PlacementFactory(employee=cast.other_employee)
    with pytest.raises(Refused, match="no current placement in this session's scope"):
        move(cast, session, employee=cast.other_employee)


def test_it_locks_a_closed_session(cast, session):
    PlacementFactory(employee=cast.employee)
    calibration_session_close(session=session, closed_by=cast.hr.user)
    with pytest.raises(Refused, match="closed"):
        move(cast, session)
    with pytest.raises(Refused, match="already closed"):
        calibration_session_close(session=session, closed_by=cast.hr.user)


def test_it_keeps_the_scope_of_the_session(cast):
    session = CalibrationSessionFactory(opened_by=cast.hr.user, band="7")
    PlacementFactory(employee=cast.employee)  # band 5
    with pytest.raises(Refused):
        move(cast, session)
