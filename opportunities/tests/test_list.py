import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.factories import InterestFactory, OpportunityFactory
from people.factories import DepartmentFactory, EmployeeFactory

LIST = reverse("opportunities:list")


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_it_shows_by_default_only_what_is_open_to_me(client, cast):
    cast.employee.band = "5"
    cast.employee.save()
    OpportunityFactory(title="Shadowing for bands 5 to 7", bands=["5", "6", "7"])
    OpportunityFactory(title="Programme for band 8a", bands=["8a"])
    OpportunityFactory(title="Network for everyone")
    client.force_login(cast.employee.user)
    content = client.get(LIST).content.decode()
    assert "Shadowing for bands 5 to 7" in content
    assert "Network for everyone" in content
    assert "Programme for band 8a" not in content
    everyone = client.get(LIST, {"audience": "all"}).content.decode()
    assert "Programme for band 8a" in everyone


def test_it_reaches_the_teams_below_a_directorate_it_is_for(client, cast):
    directorate = cast.employee.department.parent or cast.employee.department
    elsewhere = DepartmentFactory(name="Estates directorate")
    OpportunityFactory(title="For my directorate", departments=[directorate])
    OpportunityFactory(title="For another directorate", departments=[elsewhere])
    OpportunityFactory(title="For my band elsewhere", bands=[cast.employee.band], departments=[elsewhere])
    client.force_login(cast.employee.user)
    content = client.get(LIST).content.decode()
    assert "For my directorate" in content
    assert "For another directorate" not in content
    assert "For my band elsewhere" not in content


def test_it_drops_closed_and_past_opportunities_by_itself(client, cast):
    OpportunityFactory(title="Closed yesterday", closes_on=_days(-1))
    OpportunityFactory(title="Over", starts_on=_days(-30), ends_on=_days(-1), closes_on=None)
    OpportunityFactory(title="Closes today", closes_on=_days(0))
    client.force_login(cast.employee.user)
    content = client.get(LIST, {"audience": "all"}).content.decode()
    assert "Closes today" in content
    assert "Closed yesterday" not in content
    assert "Over" not in content


def test_it_filters_by_type_and_closing_soon(client, cast):
    OpportunityFactory(title="Soon shadowing", type="exposure", closes_on=_days(5))
    OpportunityFactory(title="Later course", type="education", closes_on=_days(60), ends_on=_days(90))
    client.force_login(cast.employee.user)
    soon = client.get(LIST, {"closing_soon": "on"}).content.decode()
    assert "Soon shadowing" in soon
    assert "Later course" not in soon
    education = client.get(LIST, {"type": "education"}).content.decode()
    assert "Later course" in education
    assert "Soon shadowing" not in education


def test_it_ignores_nonsense_filters(client, cast):
    OpportunityFactory(title="Any offer")
    client.force_login(cast.employee.user)
    response = client.get(LIST, {"type": "nonsense", "audience": "\x00", "page": "x"})
    assert response.status_code == 200


def test_it_marks_what_i_am_interested_in(client, cast):
    InterestFactory(employee=cast.employee, opportunity__title="My interest")
    client.force_login(cast.employee.user)
    assert "You are interested" in client.get(LIST).content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_in_constant_queries(client, cast, django_assert_max_num_queries, count):
    unit = cast.employee.department
    for _index in range(count):
        opportunity = OpportunityFactory(bands=sorted({"5", "6", cast.employee.band}), departments=[unit])
        InterestFactory(opportunity=opportunity, employee=EmployeeFactory())
    client.force_login(cast.employee.user)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["opportunities"]) == min(count, 25)
