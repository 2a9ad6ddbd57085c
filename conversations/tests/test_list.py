import datetime

import pytest
from django.urls import reverse

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation
from people.factories import EmployeeFactory

URL = reverse("conversations:list")


def listed(client, **filters):
    return [conversation for conversation, _ in client.get(URL, filters).context["rows"]]


def test_it_lists_an_employees_own_conversations(client, cast):
    mine = ConversationFactory(employee=cast.employee, host=cast.manager)
    ConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.employee.user)
    assert listed(client) == [mine]


def test_it_lists_a_managers_line_and_hosted_conversations(client, cast):
    in_line = ConversationFactory(employee=cast.employee, host=cast.manager)
    ConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.senior_manager.user)
    assert listed(client) == [in_line]


def test_it_lists_everything_for_hr(client, cast):
    ConversationFactory(employee=cast.employee, host=cast.manager)
    ConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.hr.user)
    assert len(listed(client)) == 2


def test_it_filters_what_waits_for_me(client, cast):
    # one talent conversation under way per person: four people in the manager's team
    team = [cast.employee, *(EmployeeFactory(line_manager=cast.manager) for _ in range(3))]
    request = ConversationFactory(employee=team[0], host=cast.manager)
    BookedConversationFactory(employee=team[1], host=cast.manager)
    overdue_record = BookedConversationFactory(
        employee=team[2], host=cast.manager, starts_at=datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC)
    )
    signed = HeldConversationFactory(employee=team[3], host=cast.manager)
    client.force_login(cast.manager.user)
    assert set(listed(client, show="waiting")) == {request, overdue_record, signed}


def test_it_filters_upcoming_and_by_status(client, cast):
    soon = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    ConversationFactory(employee=cast.employee, host=cast.manager, status=Conversation.Status.DECLINED)
    client.force_login(cast.employee.user)
    assert listed(client, show="upcoming") == [soon]
    assert listed(client, status="booked") == [soon]


def test_it_survives_bad_filters(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(URL, {"show": "everything", "status": "nonsense", "page": "x"})
    assert response.status_code == 200


def test_it_says_what_will_appear_when_empty(client, cast):
    client.force_login(cast.employee.user)
    assert "No conversations yet" in client.get(URL).content.decode()


@pytest.mark.parametrize("team", [3, 40])
def test_it_lists_in_constant_queries(client, db, django_assert_max_num_queries, team):
    manager = EmployeeFactory()
    for person in EmployeeFactory.create_batch(team, line_manager=manager):
        ConversationFactory(employee=person, host=manager)
    client.force_login(manager.user)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["rows"]) == min(team, 25)
    assert Conversation.objects.count() == team


@pytest.fixture
def line_and_more(cast):
    """What the senior manager may read: their line's talent conversations (not a career one with
    a supporter), one they host as a supporter and their own; and what they may not."""
    supporter = cast.supporter
    visible = [
        ConversationFactory(employee=cast.employee, host=cast.manager),
        BookedConversationFactory(employee=cast.manager, host=cast.senior_manager),
        HeldConversationFactory(employee=EmployeeFactory(line_manager=cast.manager), host=cast.manager),
        ConversationFactory(employee=cast.other_employee, host=cast.senior_manager, kind=Conversation.Kind.CAREER),
        ConversationFactory(employee=cast.senior_manager, host=cast.other_manager),
        ConversationFactory(
            employee=cast.employee, host=cast.manager, status=Conversation.Status.DECLINED, decline_reason="Not now."
        ),
    ]
    ConversationFactory(employee=cast.employee, host=supporter, kind=Conversation.Kind.CAREER)
    ConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    return visible


@pytest.mark.parametrize("large_line", [1, 10**6])
def test_it_lists_and_counts_a_line_alike_however_large_it_is(client, cast, line_and_more, monkeypatch, large_line):
    """A large line is read along the order's index, a small one gathered first: the same list."""
    monkeypatch.setattr("people.access.LARGE_LINE", large_line)
    client.force_login(cast.senior_manager.user)
    page = client.get(URL).context["page"]
    assert set(page.object_list) == set(line_and_more)
    assert page.paginator.count == len(line_and_more)
    assert list(page.object_list)[-1].status == Conversation.Status.DECLINED  # finished ones last
    booked = client.get(URL, {"status": "booked"}).context["page"]
    assert (list(booked.object_list), booked.paginator.count) == ([line_and_more[1]], 1)


@pytest.mark.parametrize("team", [15, 60])
def test_it_lists_a_large_line_in_constant_queries(client, db, django_assert_max_num_queries, monkeypatch, team):
    monkeypatch.setattr("people.access.LARGE_LINE", 10)  # each team is a large line
    manager = EmployeeFactory()
    for person in EmployeeFactory.create_batch(team, line_manager=manager):
        ConversationFactory(employee=person, host=manager)
    client.force_login(manager.user)
    client.get(URL)
    with django_assert_max_num_queries(10):
        response = client.get(URL)
    assert len(response.context["rows"]) == min(team, 25)
    assert response.context["page"].paginator.count == team
