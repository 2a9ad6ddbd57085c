import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grid.defaults import BOX_NUMBERS
from grid.factories import PlacementFactory
from grid.models import BoxDefinition, GridDefinition, GridSettings
from grid.selectors import grid_in_use

URL = reverse("grid:movement")
PEOPLE_URL = reverse("grid:movement_people")
DATES = {"start": "1/1/2025", "end": "31/12/2025"}


def box_number(performance, potential):
    """The number the grid in use gives the box: the movement table's rows, columns and links use it."""
    return grid_in_use().box(performance, potential).number


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def place(employee, performance, potential, when, current=False):
    return PlacementFactory(
        employee=employee, performance=performance, potential=potential, placed_at=when, is_current=current
    )


@pytest.fixture
def history(cast):
    """The employee moved from box 5 to box 1 in 2025; the other employee stayed in box 5; the
    manager was first placed (box 9) in 2025, after the start date."""
    place(cast.employee, 2, 2, at(2024, 6, 1))
    place(cast.employee, 3, 3, at(2025, 6, 1), current=True)
    place(cast.other_employee, 2, 2, at(2024, 6, 1), current=True)
    place(cast.manager, 1, 1, at(2025, 12, 31), current=True)
    place(cast.senior_manager, 3, 3, at(2026, 1, 1), current=True)  # after the end date
    return cast


def test_it_tabulates_where_people_were_at_each_date(client, history):
    client.force_login(history.hr.user)
    table = client.get(URL, DATES).context["table"]
    assert table.count(box_number(2, 2), box_number(3, 3)) == 1
    assert table.count(box_number(2, 2), box_number(2, 2)) == 1
    assert table.count(0, box_number(1, 1)) == 1
    assert table.count(0, 0) == 4  # the senior manager (placed later), other manager, supporter, HR
    assert (table.total, table.moved) == (7, 2)


def test_it_links_each_count_by_the_box_numbers_people_see(client, history):
    client.force_login(history.hr.user)
    content = client.get(URL, DATES).content.decode()
    assert "from_box=5&amp;to_box=1" in content  # the employee: box 5 to box 1, top right


def test_it_follows_a_grid_numbered_otherwise(client, history):
    upside_down = GridDefinition.objects.create(name="Numbered from the bottom left")
    BoxDefinition.objects.bulk_create(
        BoxDefinition(
            definition=upside_down,
            performance=performance,
            potential=potential,
            number=10 - number,
            label=f"Box {10 - number}",
            description="",
            suggested_actions="",
        )
        for (performance, potential), number in BOX_NUMBERS.items()
    )
    GridSettings.objects.update(definition=upside_down)
    client.force_login(history.hr.user)
    table = client.get(URL, DATES).context["table"]
    assert table.count(5, 9) == 1  # the employee, into the top right box, which this grid numbers 9
    page = client.get(PEOPLE_URL, {**DATES, "from_box": 5, "to_box": 9}).context["page"]
    assert list(page.object_list) == [history.employee]


def test_it_lists_who_made_a_move(client, history):
    client.force_login(history.hr.user)
    params = {**DATES, "from_box": box_number(2, 2), "to_box": box_number(3, 3)}
    page = client.get(PEOPLE_URL, params).context["page"]
    assert list(page.object_list) == [history.employee]


def test_it_lists_everyone_who_changed_box_when_no_box_is_given(client, history):
    client.force_login(history.hr.user)
    page = client.get(PEOPLE_URL, DATES).context["page"]
    assert set(page.object_list) == {history.employee, history.manager}


def test_it_keeps_a_manager_to_their_line(client, history):
    client.force_login(history.other_manager.user)
    table = client.get(URL, DATES).context["table"]
    assert table.total == 1
    assert table.count(box_number(2, 2), box_number(2, 2)) == 1
    page = client.get(PEOPLE_URL, {**DATES, "from_box": box_number(2, 2), "to_box": box_number(3, 3)}).context["page"]
    assert list(page.object_list) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "31/02/2025", "end": "1/1/2026"}, "Enter a date as day/month/year"),
        ({"start": "1/1/2026", "end": "1/1/2025"}, "must be before"),
        ({"start": "1/1/1850", "end": "1/1/2025"}, "from 2000 onwards"),
        ({"start": "yesterday", "end": "x" * 300}, "Enter a date"),
    ],
)
def test_it_explains_dates_it_cannot_use(client, cast, params, message):
    client.force_login(cast.hr.user)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["table"] is None
    assert client.get(PEOPLE_URL, params).status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "1/1/2025", "end": "31/12/9999"}, "up to 31/12/2099"),
        ({"start": "30/12/9999", "end": "31/12/9999"}, "up to 31/12/2099"),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "up to 31/12/2099"),
        ({"start": "1/1/2025", "end": "1/1/10000"}, "Enter a date"),
        ({"start": "31/12/9999", "end": "1/1/2025"}, "up to 31/12/2099"),
        ({"start": "1/6/2025", "end": "1/1/2025"}, "must be before"),
    ],
)
def test_it_explains_far_future_dates_on_both_pages(client, cast, params, message):
    client.force_login(cast.hr.user)
    for url in (URL, PEOPLE_URL):
        response = client.get(url, params)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert response.context["dates"] is None


@pytest.mark.parametrize("box", ["10", "-1", "x", "99999999999999999999"])
def test_it_answers_404_for_a_box_that_does_not_exist(client, cast, box):
    client.force_login(cast.hr.user)
    assert client.get(PEOPLE_URL, {**DATES, "from_box": box}).status_code == 404


def test_it_defaults_to_the_last_twelve_months(client, cast):
    client.force_login(cast.hr.user)
    response = client.get(URL)
    start, end = response.context["dates"]
    assert end == timezone.localdate()
    assert (end - start).days == 365
