"""HR's access log page: filters by person, reader and dates; plain record names and en-GB times;
keyset pages that neither skip nor repeat; HR only; a fixed number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.factories import HeldConversationFactory
from people import access_log
from people.access_log import entry_write
from people.factories import EmployeeFactory, make_hr
from people.models import AccessLogRecord

URL = reverse("access_log")


def read(reader, *records, path="/somewhere/"):
    """An entry: `reader` read `records`, each (record type, record id, subject)."""
    return entry_write(user=reader.user, path=path, reads=[(kind, pk, subject.pk) for kind, pk, subject in records]).row


def shown(response) -> list[int]:
    return [entry.row.pk for entry in response.context["page"].entries]


@pytest.fixture
def hr_client(client, cast):
    client.force_login(cast.hr.user)
    return client


def test_it_names_records_in_plain_words_at_en_gb_times(hr_client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    with time_machine.travel("2026-12-02 20:06 +00:00", tick=False):
        read(cast.manager, ("conversations.conversation", conversation.pk, cast.employee))
    content = hr_client.get(URL).content.decode()
    assert "Talent conversation record of <a" in content
    assert cast.employee.full_name in content
    assert "2 December 2026, 20:06" in content
    assert "conversations.conversation" not in content


def test_it_sums_up_a_large_entry_and_lists_it_in_full_on_its_page(hr_client, cast):
    people = EmployeeFactory.create_batch(7)
    entry = read(cast.manager, *[("grid.placement", index, person) for index, person in enumerate(people, 1)])
    content = hr_client.get(URL).content.decode()
    assert "Grid placements of 7 people" in content
    page = hr_client.get(reverse("access_log_entry", args=[entry.pk])).content.decode()
    assert all(person.full_name in page for person in people)
    assert page.count("Grid placement of") == 7


def test_it_filters_by_person_showing_their_records_in_a_large_entry(hr_client, cast):
    others = EmployeeFactory.create_batch(6)
    large = read(cast.hr, *[("grid.placement", n, person) for n, person in enumerate([*others, cast.employee], 1)])
    mine = read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
    read(cast.manager, ("people.employee", cast.other_employee.pk, cast.other_employee))
    response = hr_client.get(URL, {"person_id": cast.employee.pk})
    assert shown(response) == [mine.pk, large.pk]
    content = response.content.decode()
    assert f"Grid placement of {cast.employee.full_name}" in content
    assert "Grid placements of 7 people" in content


def test_it_finds_the_person_by_name_and_keeps_what_was_typed(hr_client, cast):
    entry = read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
    read(cast.manager, ("people.employee", cast.other_employee.pk, cast.other_employee))
    response = hr_client.get(URL, {"person": cast.employee.staff_number})
    assert shown(response) == [entry.pk]
    response = hr_client.get(URL, {"person": "Nobody-Like-This"})
    assert response.context["page"] is None
    content = response.content.decode()
    assert "No one of that name or number" in content
    assert 'value="Nobody-Like-This"' in content


def test_it_offers_a_choice_when_several_people_match(hr_client, cast):
    twins = [EmployeeFactory(user__last_name="Okafor", user__first_name=name) for name in ("James", "Jane")]
    response = hr_client.get(URL, {"person": "Okafor"})
    assert "Several people match" in response.content.decode()
    assert [person for person, _ in response.context["person_choices"]] == sorted(
        twins, key=lambda person: person.user.first_name
    )
    _, query = response.context["person_choices"][0]
    assert hr_client.get(f"{URL}?{query}").context["log_filter"].person == twins[0]


def test_it_filters_by_reader_and_by_dates(hr_client, cast):
    with time_machine.travel("2026-03-01 12:00 +00:00", tick=False):
        march = read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
    with time_machine.travel("2026-04-15 12:00 +00:00", tick=False):
        april = read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
        by_hr = read(cast.hr, ("people.employee", cast.employee.pk, cast.employee))
    assert shown(hr_client.get(URL, {"reader_id": cast.manager.user.pk})) == [april.pk, march.pk]
    assert shown(hr_client.get(URL, {"reader": cast.manager.user.username})) == [april.pk, march.pk]
    assert shown(hr_client.get(URL, {"since": "2026-04-01"})) == [by_hr.pk, april.pk]
    assert shown(hr_client.get(URL, {"until": "2026-03-01"})) == [march.pk]
    both = {"reader_id": cast.manager.user.pk, "person_id": cast.employee.pk, "since": "2026-04-15"}
    assert shown(hr_client.get(URL, both)) == [april.pk]


def test_it_refuses_an_end_before_the_start_beside_the_field(hr_client, cast):
    response = hr_client.get(URL, {"since": "2026-04-02", "until": "2026-04-01", "page": "²"})
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


def test_it_survives_nonsense_in_the_address(hr_client, cast):
    read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
    for query in ({"before": "x-1"}, {"after": "99999999999999999999-1"}, {"person_id": "²"}, {"since": "never"}):
        assert hr_client.get(URL, query).status_code == 200
    assert hr_client.get(reverse("access_log_entry", args=[999999])).status_code == 404


def test_it_pages_by_keyset_without_skipping_or_repeating(hr_client, cast, monkeypatch):
    monkeypatch.setattr(access_log, "PER_PAGE", 4)
    entries = []
    for minute in range(5):
        with time_machine.travel(datetime.datetime(2026, 5, 1, 9, minute, tzinfo=datetime.UTC), tick=False):
            # Two entries at the very same moment: the id breaks the tie.
            entries += [read(cast.manager, ("people.employee", cast.employee.pk, cast.employee)) for _ in range(2)]
    newest_first = [entry.pk for entry in reversed(entries)]
    seen, response = [], hr_client.get(URL, {"person_id": cast.employee.pk})
    while True:
        seen += shown(response)
        older = response.context["page"].older
        if older is None:
            break
        if len(seen) == 4:  # someone reads the record meanwhile: the pages already begun do not shift
            read(cast.hr, ("people.employee", cast.employee.pk, cast.employee))
        response = hr_client.get(URL, {"person_id": cast.employee.pk, "before": str(older)})
    assert seen == newest_first
    back = hr_client.get(URL, {"person_id": cast.employee.pk, "after": str(response.context["page"].newer)})
    assert shown(back) == newest_first[4:8]
    unfiltered = hr_client.get(URL, {"before": str(access_log.Cursor(at=entries[5].at, id=entries[5].pk))})
    assert shown(unfiltered) == [entries[4].pk, entries[3].pk, entries[2].pk, entries[1].pk]


def test_it_answers_who_read_a_persons_records_from_their_page(client, cast):
    link = f"{URL}?person_id={cast.employee.pk}"
    client.force_login(cast.hr.user)
    assert link in client.get(reverse("person_detail", args=[cast.employee.pk])).content.decode()
    client.force_login(cast.manager.user)
    assert link not in client.get(reverse("person_detail", args=[cast.employee.pk])).content.decode()


@pytest.mark.parametrize("role", ["employee", "manager", "senior_manager", "supporter"])
def test_it_is_for_hr_only(client, cast, role):
    entry = read(cast.manager, ("people.employee", cast.employee.pk, cast.employee))
    client.force_login(getattr(cast, role).user)
    assert client.get(URL).status_code == 404
    assert client.get(reverse("access_log_entry", args=[entry.pk])).status_code == 404


def fill(size: int, reader, people) -> None:
    # one talent conversation under way per person: a second fill reads the same one
    conversation = people[0].conversations.first() or HeldConversationFactory(employee=people[0], host=reader)
    for index in range(size):
        person = people[index % len(people)]
        if index % 3 == 0:
            read(
                reader,
                ("conversations.conversation", conversation.pk, people[0]),
                ("conversations.preparation", 1, people[0]),
            )
        elif index % 3 == 1:
            read(reader, *[("grid.placement", n, other) for n, other in enumerate(people, 1)])
        else:
            read(reader, ("people.employee", person.pk, person))


@pytest.mark.parametrize("filters", ["none", "person", "reader"])
def test_it_shows_a_page_in_the_same_queries_at_any_size(client, db, filters, settings):
    hr = make_hr()
    reader = EmployeeFactory()
    people = EmployeeFactory.create_batch(8)
    query = {"none": {}, "person": {"person_id": people[0].pk}, "reader": {"reader_id": reader.user.pk}}[filters]
    client.force_login(hr.user)
    settings.SESSION_TOUCH_SECONDS = 24 * 3600  # however slow the set-up, no session save in the counts
    client.get(reverse("home"))  # the first save, out of the way of the counts
    counts = []
    for size in (6, 120):
        fill(size, reader, people)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, query)
        assert response.status_code == 200
        assert response.context["page"].entries
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert AccessLogRecord.objects.count() > 120
