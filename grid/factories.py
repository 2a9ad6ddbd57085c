import datetime

import factory
from django.utils import timezone

from people.factories import DepartmentFactory, EmployeeFactory, UserFactory

from .models import CalibrationSession, CriticalRole, Placement, Successor, suggested_potential


class PlacementFactory(factory.django.DjangoModelFactory):
    """A current placement in box (performance, potential) whose criteria suggest that row."""

    class Meta:
        model = Placement

    employee = factory.SubFactory(EmployeeFactory)
    performance = 2
    potential = 2
    aspiration = factory.LazyAttribute(lambda placement: placement.potential)
    engagement = factory.LazyAttribute(lambda placement: placement.potential)
    ability = factory.LazyAttribute(lambda placement: placement.potential)
    leadership_values = factory.LazyAttribute(lambda placement: placement.potential)
    potential_suggested = factory.LazyAttribute(
        lambda placement: suggested_potential(
            aspiration=placement.aspiration,
            engagement=placement.engagement,
            ability=placement.ability,
            leadership_values=placement.leadership_values,
        )
    )
    evidence = "Appraisal 2025: met all objectives; strong feedback from colleagues."
    placed_by = factory.LazyAttribute(lambda placement: (placement.employee.line_manager or placement.employee).user)
    placed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    is_current = True
    # A placement no longer current was replaced: by default just now, after it was made.
    replaced_at = factory.LazyAttribute(lambda placement: None if placement.is_current else timezone.now())


class CalibrationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalibrationSession

    name = factory.Sequence(lambda n: f"Calibration {n}")
    opened_by = factory.SubFactory(UserFactory)


class CriticalRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriticalRole

    title = factory.Sequence(lambda n: f"Critical role {n}")
    department = factory.LazyAttribute(
        lambda role: role.incumbent.department if role.incumbent else DepartmentFactory()
    )
    incumbent = factory.SubFactory(EmployeeFactory)


class SuccessorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Successor

    role = factory.SubFactory(CriticalRoleFactory)
    employee = factory.SubFactory(EmployeeFactory)
    readiness = Successor.Readiness.READY_NOW
