import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.factories import InterestFactory, OpportunityFactory
from people.factories import EmployeeFactory

UPTAKE = reverse("opportunities:uptake")


def test_it_counts_interest_and_places_taken_per_opportunity(client, cast):
    opportunity = OpportunityFactory(title="Mary Seacole Programme", places=4)
    InterestFactory(opportunity=opportunity, took_place_at=timezone.now())
    InterestFactory(opportunity=opportunity)
    InterestFactory(opportunity=opportunity)
    client.force_login(cast.hr.user)
    response = client.get(UPTAKE)
    row = next(item for item in response.context["opportunities"] if item.pk == opportunity.pk)
    assert (row.interest_count, row.taken_count) == (3, 1)
    assert "1 of 4" in response.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_it_shows_uptake_and_offers_in_constant_queries(client, cast, django_assert_max_num_queries, count):
    for _ in range(count):
        opportunity = OpportunityFactory(contact=cast.hr)
        InterestFactory(opportunity=opportunity, employee=EmployeeFactory())
        InterestFactory(opportunity=opportunity, employee=EmployeeFactory(), took_place_at=timezone.now())
    client.force_login(cast.hr.user)
    with django_assert_max_num_queries(11):
        assert client.get(UPTAKE).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("opportunities:offers")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_it_shows_one_opportunity_and_its_interest_in_constant_queries(
    client, cast, django_assert_max_num_queries, count
):
    opportunity = OpportunityFactory(bands=["5", "6"])
    for _ in range(count):
        InterestFactory(opportunity=opportunity, employee=EmployeeFactory())
    client.force_login(cast.hr.user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("opportunities:detail", args=[opportunity.pk])).status_code == 200
