import datetime

import factory

from people.factories import DepartmentFactory, EmployeeFactory, make_hr

from .models import Action, ExportJob, Objective, Plan


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft current plan between an employee and their line manager."""

    class Meta:
        model = Plan

    employee = factory.SubFactory(EmployeeFactory, line_manager=factory.SelfAttribute("..manager"))
    manager = factory.SubFactory(EmployeeFactory, job_title="Ward Manager")
    way_forward = "Lead two shifts a month from next month, with a debrief each time."
    created_by = factory.LazyAttribute(lambda plan: plan.manager.user if plan.manager else None)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Be ready for a band 6 role, objective {n}")
    position = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    description = factory.Sequence(lambda n: f"Shadow the charge nurse on five shifts ({n})")
    type = Action.Type.EXPOSURE
    owner = Action.Owner.EMPLOYEE
    due_on = datetime.date(2026, 9, 30)
    support_needed = "Time rostered for shadowing."
    position = factory.Sequence(lambda n: n)


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    requested_by = factory.LazyAttribute(lambda job: make_hr().user)
    department = factory.SubFactory(DepartmentFactory)
    total = 1
