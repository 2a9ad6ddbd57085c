from django.core.management import call_command
from django.db.models import Count

from grid.models import CalibrationMove, CalibrationSession, CriticalRole, Placement, Successor
from people.models import Employee


def seed(employees: int = 80) -> None:
    call_command("seed_demo", employees=employees, verbosity=0)


def snapshot() -> list[tuple]:
    return list(
        Placement.objects.order_by("employee__staff_number", "placed_at", "pk").values_list(
            "employee__staff_number", "performance", "potential", "placed_at", "is_current", "override_reason"
        )
    )


def test_it_places_most_staff_with_history(db):
    seed()
    placed = Placement.objects.filter(is_current=True).count()
    assert placed >= 0.8 * Employee.objects.count()
    with_history = Placement.objects.values("employee").annotate(n=Count("pk")).filter(n__gt=1).count()
    assert with_history >= placed / 2
    assert not Placement.objects.values("employee").filter(is_current=True).annotate(n=Count("pk")).filter(n__gt=1)


def test_it_ends_each_placement_when_the_next_one_starts(db):
    seed()
    history: dict[int, list] = {}
    for employee_id, placed_at, replaced_at, is_current in Placement.objects.order_by("placed_at", "pk").values_list(
        "employee_id", "placed_at", "replaced_at", "is_current"
    ):
        history.setdefault(employee_id, []).append((placed_at, replaced_at, is_current))
    for placements in history.values():
        starts = [placed_at for placed_at, _, _ in placements]
        assert [replaced_at for _, replaced_at, _ in placements] == [*starts[1:], None]
        assert placements[-1][2]  # the current one is the latest


def test_it_gives_the_demo_employee_a_placement_to_read(db):
    seed()
    placement = Placement.objects.get(employee__user__username="employee", is_current=True)
    assert (placement.performance, placement.potential) == (3, 2)
    assert placement.placed_by.username == "manager"
    assert placement.employee_comment


def test_it_records_a_closed_calibration_session_with_moves(db):
    seed()
    session = CalibrationSession.objects.get()
    assert not session.is_open
    assert CalibrationMove.objects.filter(session=session).count() >= 3
    for move in CalibrationMove.objects.select_related("placement"):
        assert move.placement.is_current
        assert move.placement.calibration_session == session


def test_it_names_successors_and_leaves_some_roles_uncovered(db):
    seed(300)
    assert CriticalRole.objects.count() >= 5
    assert Successor.objects.exists()
    ready = Successor.objects.filter(readiness=Successor.Readiness.READY_NOW).values("role")
    assert CriticalRole.objects.exclude(pk__in=ready).exists()


def test_it_makes_the_same_grid_every_time(db):
    seed()
    first = snapshot()
    Placement.objects.all().delete()
    CalibrationSession.objects.all().delete()
    CriticalRole.objects.all().delete()
    from people.tests.test_seed_demo import everything_delete

    everything_delete()
    seed()
    assert snapshot() == first


def test_it_links_placements_to_the_conversations_they_came_from(db):
    seed()
    linked = Placement.objects.filter(is_current=True, conversation__isnull=False).select_related("conversation")
    assert linked.count() >= 10
    for placement in linked:
        assert placement.conversation.employee_id == placement.employee_id
        assert placement.conversation.status == "signed_off"
        assert placement.conversation.held_at <= placement.placed_at
