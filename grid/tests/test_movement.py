import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grid.defaults import BOX_NUMBERS
from grid.factories import PlacementFactory
from grid.models import BoxDefinition, GridDefinition, GridSettings, Placement
from grid.scope import Scope
from grid.selectors import grid_in_use
from grid.services import calibration_move, calibration_session_open, placement_create
from grid.tests.bulk import staff_with_placements
from people.line import line_links_refresh
from people.models import Employee

URL = reverse("grid:movement")
PEOPLE_URL = reverse("grid:movement_people")
DATES = {"start": "1/1/2025", "end": "31/12/2025"}


def box_number(performance, potential):
    """The number the grid in use gives the box: the movement table's rows, columns and links use it."""
    return grid_in_use().box(performance, potential).number


def at(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def place(employee, performance, potential, when):
    """A placement at `when`, replacing the person's current one then."""
    Placement.objects.filter(employee=employee, is_current=True).update(is_current=False, replaced_at=when)
    return PlacementFactory(employee=employee, performance=performance, potential=potential, placed_at=when)


@pytest.fixture
def history(cast):
    """The employee moved from box 5 to box 1 in 2025; the other employee stayed in box 5; the
    manager was first placed (box 9) in 2025, after the start date."""
    place(cast.employee, 2, 2, at(2024, 6, 1))
    place(cast.employee, 3, 3, at(2025, 6, 1))
    place(cast.other_employee, 2, 2, at(2024, 6, 1))
    place(cast.manager, 1, 1, at(2025, 12, 31))
    place(cast.senior_manager, 3, 3, at(2026, 1, 1))  # after the end date
    return cast


def test_it_tabulates_where_people_were_at_each_date(client, history):
    client.force_login(history.hr.user)
    table = client.get(URL, DATES).context["table"]
    assert table.count(box_number(2, 2), box_number(3, 3)) == 1
    assert table.count(box_number(2, 2), box_number(2, 2)) == 1
    assert table.count(0, box_number(1, 1)) == 1
    assert table.count(0, 0) == 4  # the senior manager (placed later), other manager, supporter, HR
    assert (table.total, table.moved) == (7, 2)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # before anyone was placed, and after the first round
        ("1/1/2024", "1/1/2025", {(0, (2, 2)): 2, (0, 0): 5}),
        # a placement made on a day counts from that day
        ("1/6/2024", "1/6/2025", {((2, 2), (3, 3)): 1, ((2, 2), (2, 2)): 1, (0, 0): 5}),
        ("31/5/2024", "31/5/2025", {(0, (2, 2)): 2, (0, 0): 5}),
        # after the employee's move: the placement it replaced no longer counts
        ("2/6/2025", "1/1/2026", {((3, 3), (3, 3)): 1, ((2, 2), (2, 2)): 1, (0, (1, 1)): 1, (0, (3, 3)): 1, (0, 0): 3}),
    ],
)
def test_it_finds_where_people_were_on_past_dates(client, history, start, end, expected):
    client.force_login(history.hr.user)
    table = client.get(URL, {"start": start, "end": end}).context["table"]

    def number(box):
        return box if box == 0 else box_number(*box)

    assert table.cells == {(number(a), number(b)): count for (a, b), count in expected.items()}


def test_it_follows_placements_made_and_moved_through_the_services(client, cast):
    session = calibration_session_open(
        opened_by=cast.hr.user, name="Nursing", scope=Scope(department=cast.employee.department)
    )
    ratings = {"aspiration": 2, "engagement": 2, "ability": 2, "leadership_values": 2, "evidence": "Appraisal."}
    with time_machine.travel(at(2024, 6, 1), tick=False):
        placement_create(employee=cast.employee, placed_by=cast.manager.user, performance=2, potential=2, **ratings)
    with time_machine.travel(at(2025, 3, 1), tick=False):
        calibration_move(
            session=session, employee=cast.employee, performance=3, potential=2, reason="Peers.", moved_by=cast.hr.user
        )
    with time_machine.travel(at(2025, 9, 1), tick=False):
        placement_create(employee=cast.employee, placed_by=cast.manager.user, performance=1, potential=2, **ratings)
    client.force_login(cast.hr.user)
    moves = {}
    for start, end in [("1/1/2024", "1/1/2025"), ("1/1/2025", "1/6/2025"), ("1/6/2025", "31/12/2025")]:
        table = client.get(URL, {"start": start, "end": end}).context["table"]
        moves[start] = [(a, b) for (a, b), count in table.cells.items() if a != b]
    assert moves == {
        "1/1/2024": [(0, box_number(2, 2))],
        "1/1/2025": [(box_number(2, 2), box_number(3, 2))],
        "1/6/2025": [(box_number(3, 2), box_number(1, 2))],
    }
    page = client.get(PEOPLE_URL, {"start": "1/6/2025", "end": "31/12/2025"}).context["page"]
    assert [(person, person.to_placement) for person in page.object_list] == [
        (cast.employee, Placement.objects.get(employee=cast.employee, is_current=True).pk)
    ]


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


def with_history(people):
    """Half the people placed long ago and still there; a quarter of those moved ten days ago."""
    long_ago, lately = timezone.now() - datetime.timedelta(days=800), timezone.now() - datetime.timedelta(days=10)
    stayed = list(Placement.objects.filter(employee__in=people[::2]))
    Placement.objects.filter(pk__in=[placement.pk for placement in stayed]).update(placed_at=long_ago)
    moved = stayed[::2]
    Placement.objects.filter(pk__in=[placement.pk for placement in moved]).update(is_current=False, replaced_at=lately)
    for placement in moved:
        placement.pk, placement.placed_at, placement.performance = None, lately, placement.performance % 3 + 1
    Placement.objects.bulk_create(moved)


def movement_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm: the grid settings row
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["hr", "senior_manager"])
def test_it_counts_and_lists_moves_in_the_same_queries_at_any_size(client, cast, role):
    client.force_login(getattr(cast, role).user)
    counts = []
    for size, prefix in [(40, "a"), (800, "b")]:
        people = staff_with_placements(
            size, department=cast.employee.department, line_manager=cast.manager, prefix=prefix
        )
        with_history(people)
        line_links_refresh(None)
        counts.append((movement_queries(client, URL), movement_queries(client, PEOPLE_URL, {"band": "5"})))
        table = client.get(URL).context["table"]
        assert table.moved >= size // 2  # the first placements and the moves
        if role == "hr":
            assert table.cells == cells_worked_out(*client.get(URL).context["dates"])
    assert counts[0] == counts[1]


def cells_worked_out(start, end) -> dict:
    """The movement table worked out in Python from every placement's interval."""

    def box_at(placements, day) -> int:
        moment = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))
        held = [p for p in placements if p.placed_at < moment and (p.replaced_at is None or p.replaced_at >= moment)]
        return box_number(held[0].performance, held[0].potential) if held else 0

    cells = {}
    for person in Employee.objects.prefetch_related("placements"):
        placements = list(person.placements.all())
        key = (box_at(placements, start), box_at(placements, end))
        cells[key] = cells.get(key, 0) + 1
    return cells
