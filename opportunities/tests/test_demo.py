from django.core.management import call_command

from opportunities.models import Framework, Interest, Opportunity
from opportunities.selectors import opportunity_list
from people.models import Employee


def test_it_seeds_open_and_past_opportunities_frameworks_and_interest(db):
    call_command("seed_demo", employees=80, verbosity=0)
    providers = set(Opportunity.objects.values_list("provider", flat=True))
    assert providers == {"organisation", "region", "national"}
    assert Opportunity.objects.filter(title="Mary Seacole Programme").exists()
    assert Opportunity.objects.current().count() < Opportunity.objects.count()  # one is past
    assert Framework.objects.filter(name="NHS Healthcare Leadership Model").exists()
    assert Framework.objects.count() >= 2
    assert Interest.objects.filter(took_place_at__isnull=False).exists()
    employee = Employee.objects.get(user__username="employee")
    assert Interest.objects.filter(employee=employee).exists()
    open_to_employee = {item.title for item in opportunity_list(employee.user)}
    assert "Shadow the nurse in charge on the Acute Medical Unit" in open_to_employee
    assert "Mary Seacole Programme" not in open_to_employee  # bands 6 to 8a
