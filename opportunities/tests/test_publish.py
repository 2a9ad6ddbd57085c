from django.urls import reverse

from opportunities.factories import OpportunityFactory
from opportunities.models import Opportunity
from people.factories import EmployeeFactory

NEW = reverse("opportunities:new")


def _form(**overrides) -> dict:
    return {
        "title": "Shadowing on Ward 7",
        "kind": "shadowing",
        "type": "exposure",
        "description": "A shift with the nurse in charge.",
        "provider": "organisation",
        "provider_name": "",
        "bands": ["5", "6", "7"],
        "contact": "",
        "closes_on": "",
        "places": "4",
        **overrides,
    }


def test_it_publishes_an_offer_for_some_bands(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(NEW, _form(contact=cast.manager.staff_number))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    assert sorted(band.band for band in opportunity.bands.all()) == ["5", "6", "7"]
    assert opportunity.contact == cast.manager
    assert opportunity.published_by == cast.hr


def test_it_finds_the_contact_by_name(client, cast):
    client.force_login(cast.supporter.user)
    client.post(NEW, _form(contact=cast.manager.user.get_full_name()))
    assert Opportunity.objects.get().contact == cast.manager


def test_it_shows_errors_beside_the_fields_and_keeps_the_text(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(NEW, _form(contact="Nobody Atall", starts_on="2027-03-01", ends_on="2027-02-01", places="0"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "No one in the organisation matches" in content
    assert "The end cannot be before the start." in content
    assert "A shift with the nurse in charge." in content
    assert not Opportunity.objects.exists()


def test_it_lets_a_supporter_change_only_their_own_offers(client, cast):
    own = OpportunityFactory(published_by=cast.supporter, contact=cast.supporter)
    someone_elses = OpportunityFactory()
    client.force_login(cast.supporter.user)
    assert client.get(reverse("opportunities:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("opportunities:edit", args=[someone_elses.pk])).status_code == 404
    response = client.post(
        reverse("opportunities:edit", args=[own.pk]),
        _form(title="Renamed", contact=cast.supporter.staff_number, bands=[]),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Renamed"
    assert not own.bands.exists()


def test_it_keeps_an_offer_whose_contact_is_deleted(client, cast):
    contact = EmployeeFactory()
    opportunity = OpportunityFactory(contact=contact, published_by=contact)
    contact.delete()
    opportunity.refresh_from_db()
    assert opportunity.contact is None
    client.force_login(cast.employee.user)
    assert "None named: ask HR" in client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
