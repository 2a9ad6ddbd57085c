from django.urls import reverse

from conversations.factories import BookedConversationFactory
from conversations.models import Conversation
from opportunities.factories import InterestFactory, OpportunityFactory
from opportunities.models import Framework


def test_it_lists_opportunities_open_to_the_person_on_their_preparation_page(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    OpportunityFactory(title="For my band", bands=[cast.employee.band])
    OpportunityFactory(title="For band 9", bands=["9"])
    InterestFactory(employee=cast.employee, opportunity__title="Rising Stars network")
    client.force_login(cast.employee.user)
    content = client.get(reverse("conversations:prepare", args=[conversation.pk])).content.decode()
    assert "Opportunities open to you" in content
    assert "For my band" in content
    assert "For band 9" not in content
    assert "You registered interest in" in content
    assert "Rising Stars network" in content


def test_it_shows_the_host_the_opportunities_and_interests_with_a_way_into_the_plan(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    interest = InterestFactory(employee=cast.employee, opportunity__title="Rising Stars network")
    client.force_login(cast.manager.user)
    content = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "Rising Stars network" in content
    assert reverse("opportunities:plan_action", args=[interest.opportunity.pk, cast.employee.pk]) in content


def test_it_shows_a_career_supporter_no_interests(client, cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER, origin="nomination"
    )
    OpportunityFactory(title="Open offer")
    InterestFactory(employee=cast.employee, opportunity__title="An offer they are interested in")
    client.force_login(cast.supporter.user)
    content = client.get(reverse("conversations:detail", args=[conversation.pk])).content.decode()
    assert "Open offer" in content
    assert "registered interest in" not in content
    assert "Add to the plan" not in content


def test_it_offers_the_frameworks_hr_keeps_on_the_record(client, cast):
    Framework.objects.create(name="Allied Health Professions Framework")
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    content = client.get(reverse("conversations:record", args=[conversation.pk])).content.decode()
    assert 'list="competency-frameworks"' in content
    assert '<option value="NHS Healthcare Leadership Model">' in content
    assert '<option value="Allied Health Professions Framework">' in content


def test_it_seeds_the_healthcare_leadership_model_with_its_nine_dimensions(db):
    model = Framework.objects.get(name="NHS Healthcare Leadership Model")
    assert len(model.dimension_list) == 9
    assert model.dimension_list[0] == "Inspiring shared purpose"
    assert model.dimension_list[-1] == "Influencing for results"
