import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.factories import ReviewFactory
from conversations.models import Conversation, ReviewChange
from people.factories import EmployeeFactory

LIST = reverse("conversations:reviews")


def make_review(employee, host, due_in_days: int, kind=Conversation.Kind.SIX_MONTH):
    return ReviewFactory(
        follows__employee=employee,
        follows__host=host,
        follows__way_forward="Lead two shifts a month.",
        follows__status=Conversation.Status.SIGNED_OFF,
        kind=kind,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
    )


def test_it_lists_the_reviews_in_a_managers_line_and_the_late_ones(client, cast):
    late = make_review(cast.employee, cast.manager, -3)
    coming = make_review(cast.employee, cast.manager, 20, kind=Conversation.Kind.TWELVE_MONTH)
    make_review(cast.other_employee, cast.other_manager, -3)
    client.force_login(cast.senior_manager.user)
    assert list(client.get(LIST).context["page"].object_list) == [late, coming]
    assert list(client.get(LIST, {"show": "late"}).context["page"].object_list) == [late]


def test_it_lists_every_review_for_hr(client, cast):
    make_review(cast.employee, cast.manager, -3)
    make_review(cast.other_employee, cast.other_manager, 5)
    client.force_login(cast.hr.user)
    assert client.get(LIST).context["page"].paginator.count == 2


def test_it_is_not_for_staff_without_reports(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(LIST).status_code == 404


@pytest.mark.parametrize("reviews", [2, 30])
def test_it_lists_reviews_in_constant_queries(client, db, django_assert_max_num_queries, reviews):
    manager = EmployeeFactory()
    for index in range(reviews):
        make_review(EmployeeFactory(line_manager=manager), manager, index - 5)
    client.force_login(manager.user)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == reviews


def test_it_shows_what_to_look_back_on(client, cast):
    review = make_review(cast.employee, cast.manager, 10)
    client.force_login(cast.manager.user)
    response = client.get(reverse("conversations:detail", args=[review.pk]))
    content = response.content.decode()
    assert "Lead two shifts a month." in content
    assert response.context["actions"] >= {"book", "reschedule", "close_review"}
    assert "decline" not in response.context["actions"]


def test_it_moves_a_review_with_a_reason(client, cast):
    review = make_review(cast.employee, cast.manager, 10)
    new_date = timezone.localdate() + datetime.timedelta(days=40)
    client.force_login(cast.manager.user)
    response = client.post(
        reverse("conversations:reschedule", args=[review.pk]), {"due_on": new_date.isoformat(), "reason": "On leave"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.due_on == new_date
    assert ReviewChange.objects.get().reason == "On leave"


def test_it_requires_a_reason_and_a_future_date_to_move_a_review(client, cast):
    review = make_review(cast.employee, cast.manager, 10)
    client.force_login(cast.manager.user)
    response = client.post(
        reverse("conversations:reschedule", args=[review.pk]), {"due_on": "2001-01-01", "reason": ""}
    )
    assert set(response.context["form"].errors) == {"due_on", "reason"}
    review.refresh_from_db()
    assert review.due_on == timezone.localdate() + datetime.timedelta(days=10)


def test_it_closes_a_review_with_a_reason_the_employee_reads(client, cast):
    review = make_review(cast.employee, cast.manager, -10)
    client.force_login(cast.manager.user)
    client.post(reverse("conversations:close_review", args=[review.pk]), {"reason": "Moved to the community team."})
    client.force_login(cast.employee.user)
    content = client.get(reverse("conversations:detail", args=[review.pk])).content.decode()
    assert "Closed without meeting" in content
    assert "Moved to the community team." in content


def test_it_keeps_moving_and_closing_to_the_host(client, cast):
    review = make_review(cast.employee, cast.manager, 10)
    for person in (cast.employee, cast.senior_manager, cast.hr, cast.other_manager):
        client.force_login(person.user)
        assert client.post(reverse("conversations:close_review", args=[review.pk]), {"reason": "x"}).status_code == 404
    review.refresh_from_db()
    assert review.status == Conversation.Status.REQUESTED


def test_it_shows_coming_and_late_reviews_on_the_home_page(client, cast):
    make_review(cast.employee, cast.manager, -3)
    client.force_login(cast.employee.user)
    content = client.get("/").content.decode()
    assert "6-month review" in content
    assert "Overdue" in content


def test_it_lists_the_reviews_on_the_initial_conversation(client, cast):
    review = make_review(cast.employee, cast.manager, 30)
    client.force_login(cast.employee.user)
    content = client.get(reverse("conversations:detail", args=[review.follows_id])).content.decode()
    assert reverse("conversations:detail", args=[review.pk]) in content
    assert f"due {review.due_on:%-d %b %Y}" in content
