from django.urls import reverse
from django.utils import timezone

from pdp.factories import PlanFactory
from pdp.models import Plan
from pdp.tests.helpers import typical_plan


def test_it_shows_the_employees_plan_on_the_home_page(client, cast):
    plan = typical_plan(employee=cast.employee, actions=5)
    client.force_login(cast.employee.user)
    content = client.get(reverse("home")).content.decode()
    assert "Your development plan" in content
    assert "1 of 5 actions done" in content
    assert reverse("pdp:pdf", args=[plan.pk]) in content


def test_it_tells_a_manager_which_plans_wait_for_their_sign_off(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    Plan.objects.filter(pk=plan.pk).update(employee_signed_off_at=timezone.now())
    client.force_login(cast.senior_manager.user)
    content = client.get(reverse("home")).content.decode()
    assert "1 plan in your line waiting for your sign-off" in content
    assert "You have no current plan" in content


def test_a_managers_card_counts_only_their_lines_plans_waiting_and_shows_their_own(client, cast):
    from people.factories import EmployeeFactory

    own = typical_plan(employee=cast.manager, actions=4)
    waiting = [
        PlanFactory(employee=cast.employee, manager=cast.manager),  # in the line
        PlanFactory(employee=cast.other_employee, manager=cast.other_manager),  # outside it
    ]
    PlanFactory(employee=EmployeeFactory(line_manager=cast.manager), manager=cast.manager)  # not signed yet
    Plan.objects.filter(pk__in=[plan.pk for plan in waiting]).update(employee_signed_off_at=timezone.now())
    client.force_login(cast.manager.user)
    content = client.get(reverse("home")).content.decode()
    assert "1 plan in your line waiting for your sign-off" in content
    assert "1 of 4 actions done" in content
    assert reverse("pdp:pdf", args=[own.pk]) in content
