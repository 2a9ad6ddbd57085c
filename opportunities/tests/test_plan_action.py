import io

from django.urls import reverse
from pypdf import PdfReader

from conversations.factories import HeldConversationFactory
from opportunities.factories import OpportunityFactory
from pdp.factories import PlanFactory
from pdp.models import Action


def _url(opportunity, person):
    return reverse("opportunities:plan_action", args=[opportunity.pk, person.pk])


def test_it_fills_the_action_in_from_the_opportunity(client, cast):
    PlanFactory(employee=cast.employee, manager=cast.manager)
    opportunity = OpportunityFactory(title="Mary Seacole Programme", kind="programme", type="education")
    client.force_login(cast.manager.user)
    form = client.get(_url(opportunity, cast.employee)).context["form"]
    assert form.initial["type"] == "education"
    assert "Mary Seacole Programme" in form.initial["description"]
    assert form.initial["due_on"] == opportunity.ends_on


def test_it_adds_the_action_linked_to_the_opportunity_and_the_pdf_names_it(client, cast):
    conversation = HeldConversationFactory(
        employee=cast.employee, host=cast.manager, competency_framework="NHS Healthcare Leadership Model"
    )
    plan = PlanFactory(employee=cast.employee, manager=cast.manager, source_conversation=conversation)
    opportunity = OpportunityFactory(title="Shadowing the site manager", provider_name="Riverside site team")
    client.force_login(cast.manager.user)
    response = client.post(
        _url(opportunity, cast.employee),
        {
            "version": plan.version,
            "description": "Shadow the site manager for two late shifts",
            "type": "exposure",
            "owner": "employee",
            "due_on": "2027-01-31",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(plan=plan)
    assert action.opportunity == opportunity
    assert "from the opportunity" in plan.changes.first().summary
    pdf = client.get(reverse("pdp:pdf", args=[plan.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.getvalue())).pages)
    text = " ".join(text.split())
    assert "Opportunity: Shadowing the site manager" in text
    assert "NHS Healthcare Leadership Model" in text


def test_it_keeps_the_link_when_the_action_is_changed(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    opportunity = OpportunityFactory()
    action = Action.objects.create(plan=plan, description="Shadowing", type="exposure", opportunity=opportunity)
    client.force_login(cast.manager.user)
    client.post(
        reverse("pdp:action_edit", args=[plan.pk, action.pk]),
        {
            "version": action.version,
            "description": "Shadowing, changed",
            "type": "exposure",
            "owner": "employee",
            "status": "in_progress",
        },
    )
    action.refresh_from_db()
    assert action.description == "Shadowing, changed"
    assert action.opportunity == opportunity


def test_it_sends_the_manager_to_start_a_plan_first(client, cast):
    client.force_login(cast.manager.user)
    response = client.get(_url(OpportunityFactory(), cast.employee))
    assert response.status_code == 302
    assert response["Location"] == reverse("pdp:person", args=[cast.employee.pk])


def test_it_refuses_a_manager_outside_the_line(client, cast):
    PlanFactory(employee=cast.employee, manager=cast.manager)
    client.force_login(cast.other_manager.user)
    assert client.get(_url(OpportunityFactory(), cast.employee)).status_code == 404


def test_the_plan_page_names_the_opportunity_and_links_to_it_while_it_is_open(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    current = OpportunityFactory(title="Shadowing the site manager")
    closed = OpportunityFactory(
        title="Last year's secondment", starts_on="2025-02-01", closes_on="2025-01-31", ends_on="2025-06-30"
    )
    Action.objects.create(plan=plan, description="Shadow", type="exposure", opportunity=current)
    Action.objects.create(plan=plan, description="Second", type="experience", opportunity=closed)
    client.force_login(cast.employee.user)
    page = client.get(reverse("pdp:mine")).content.decode()
    link = reverse("opportunities:detail", args=[current.pk])
    assert f'<a href="{link}">Shadowing the site manager</a>' in page
    assert "Last year&#x27;s secondment" in page
    assert reverse("opportunities:detail", args=[closed.pk]) not in page
