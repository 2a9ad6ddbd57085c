import pytest
from django.db import IntegrityError, transaction

from core.refusal import Refused
from grid.factories import PlacementFactory
from grid.models import Placement
from grid.services import placement_create

RATINGS = {"performance": 3, "aspiration": 2, "engagement": 2, "ability": 2, "leadership_values": 2}


def place(cast, **overrides):
    return placement_create(
        employee=cast.employee,
        placed_by=cast.manager.user,
        **{**RATINGS, "potential": 2, "evidence": "Exceeded all objectives.", **overrides},
    )


def test_it_makes_the_new_placement_current_and_keeps_the_old(cast):
    first = place(cast)
    second = place(cast, performance=2)
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert Placement.objects.filter(employee=cast.employee).count() == 2


def test_it_ends_the_replaced_placement_when_the_new_one_starts(cast):
    first = place(cast)
    assert first.replaced_at is None
    second = place(cast, performance=2)
    first.refresh_from_db()
    assert first.replaced_at == second.placed_at
    assert second.replaced_at is None


def test_it_refuses_a_current_placement_that_was_replaced_and_an_old_one_that_was_not(cast):
    placement = place(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(replaced_at=placement.placed_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.filter(pk=placement.pk).update(is_current=False)


def test_it_works_out_the_suggested_row_from_the_criteria(cast):
    placement = place(cast, aspiration=3, engagement=3, ability=3, leadership_values=2, potential=3)
    assert placement.potential_suggested == 3
    assert not placement.is_override


def test_it_needs_a_reason_to_override_the_suggestion(cast):
    with pytest.raises(Refused):
        place(cast, potential=3)
    placement = place(cast, potential=3, override_reason="Acting up successfully this quarter.")
    assert placement.is_override
    assert placement.override_reason == "Acting up successfully this quarter."


def test_it_drops_a_reason_that_overrides_nothing(cast):
    assert place(cast, override_reason="Not needed").override_reason == ""


def test_it_needs_evidence(cast):
    with pytest.raises(Refused):
        place(cast, evidence="  ")


def test_it_keeps_one_current_placement_per_person_in_the_database(cast):
    PlacementFactory(employee=cast.employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(employee=cast.employee)


@pytest.mark.parametrize("field", ["performance", "potential", "aspiration", "leadership_values"])
def test_it_keeps_ratings_within_one_to_three_in_the_database(cast, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(employee=cast.employee, **{field: 4})


def test_it_refuses_an_override_without_a_reason_in_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(
            employee=cast.employee, potential=3, aspiration=1, engagement=1, ability=1, leadership_values=1
        )


def test_it_refuses_a_suggestion_that_does_not_follow_the_criteria_in_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(employee=cast.employee, potential_suggested=3, aspiration=1, engagement=1, ability=1)
