from django.core.management import call_command

from pdp.models import Action, Plan
from people.demo import DEMO_USERNAMES
from people.models import Employee


def test_it_gives_every_demo_account_and_most_staff_a_plan(db):
    call_command("seed_demo", employees=300, verbosity=0)
    current = Plan.objects.filter(is_current=True)
    for username in DEMO_USERNAMES:
        assert current.filter(employee__user__username=username).exists(), username
    managed = Employee.objects.filter(line_manager__isnull=False).count()
    assert current.count() > 0.75 * managed
    assert set(Action.objects.values_list("type", flat=True)) == set(Action.Type.values)
    assert set(Action.objects.values_list("status", flat=True)) == set(Action.Status.values)
    assert set(current.values_list("status", flat=True)) == {"draft", "agreed"}
    assert Plan.objects.filter(status="closed", employee__user__username="employee").exists()
    assert current.filter(source_conversation__isnull=False).exists()
    employee_plan = current.get(employee__user__username="employee")
    assert employee_plan.status == "agreed"
    assert employee_plan.review_12_month_on is not None
    assert employee_plan.changes.exists()


def test_it_leaves_the_id_sequences_past_the_rows_it_wrote(db):
    """The demo writes ids itself; new plans, objectives, actions and changes must still get free ones."""
    from pdp import services

    call_command("seed_demo", employees=60, verbosity=0)
    plan = Plan.objects.filter(is_current=True).select_related("employee", "manager").first()
    new = services.plan_start(employee=plan.employee, by=plan.manager)
    services.objective_add(plan=new, by=plan.manager, title="New objective", version=new.version)
    new.refresh_from_db()
    data = services.ActionData("New action", "education", "employee", "", None, "")
    services.action_add(plan=new, by=plan.manager, data=data, version=new.version)
    assert new.changes.count() == 3
