"""The person as a hub: /people/<pk>/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.factories import ConversationFactory, HeldConversationFactory, ReviewFactory
from conversations.models import Conversation, PrivateNote
from grid.factories import PlacementFactory
from grid.models import GridSettings
from grid.selectors import grid_in_use
from pdp.factories import ActionFactory, PlanFactory
from people.factories import EmployeeFactory
from people.models import AccessLog, AccessLogRecord


def url(employee):
    return reverse("person_detail", args=[employee.pk])


def test_it_shows_a_manager_their_reports_record_and_logs_the_read(client, cast):
    client.force_login(cast.senior_manager.user)
    response = client.get(url(cast.employee))
    assert response.status_code == 200
    log = AccessLogRecord.objects.get(record_type="people.employee")
    assert (log.entry.user, log.subject, log.record_type, log.record_id) == (
        cast.senior_manager.user,
        cast.employee,
        "people.employee",
        cast.employee.pk,
    )
    assert log.entry.path == url(cast.employee)


def test_it_does_not_log_reading_your_own_record(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(url(cast.employee)).status_code == 200
    assert not AccessLog.objects.exists()


def test_it_logs_hr_reads(client, cast):
    client.force_login(cast.hr.user)
    client.get(url(cast.other_employee))
    assert AccessLogRecord.objects.filter(entry__user=cast.hr.user, subject=cast.other_employee).count() == 1


def test_it_answers_404_outside_the_line_and_logs_nothing(client, cast):
    client.force_login(cast.manager.user)
    assert client.get(url(cast.other_employee)).status_code == 404
    assert client.get(reverse("person_detail", args=[999999])).status_code == 404
    assert not AccessLog.objects.exists()


def test_it_answers_404_to_a_report_looking_up_their_manager(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(url(cast.manager)).status_code == 404


@pytest.mark.parametrize("reports", [2, 40])
def test_it_shows_a_person_in_constant_queries(client, cast, django_assert_max_num_queries, reports):
    EmployeeFactory.create_batch(reports, line_manager=cast.employee)
    client.force_login(cast.hr.user)
    for _ in range(reports // 2):  # signed off: only one talent conversation may be under way
        HeldConversationFactory(
            employee=cast.employee,
            host=cast.manager,
            status=Conversation.Status.SIGNED_OFF,
            host_signed_off_at=timezone.now(),
            employee_signed_off_at=timezone.now(),
        )
    ReviewFactory.create_batch(reports // 10 + 1, follows__employee=cast.employee, follows__host=cast.manager)
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    ActionFactory.create_batch(reports // 4, plan=plan)
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.hr.user)
    with django_assert_max_num_queries(17):
        response = client.get(url(cast.employee))
    assert len(response.context["reports"]) == reports


def test_it_logs_reads_not_writes(client, cast):
    client.force_login(cast.manager.user)
    client.post(url(cast.employee))
    assert not AccessLog.objects.exists()


def test_it_gathers_a_persons_conversations_plan_placement_and_reviews_for_their_manager(client, cast):
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    review = ReviewFactory(follows=held, due_on=timezone.localdate() - datetime.timedelta(days=1))
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    placement = PlacementFactory(employee=cast.employee, performance=3, potential=3)
    client.force_login(cast.manager.user)
    content = client.get(url(cast.employee)).content.decode()
    assert reverse("conversations:detail", args=[held.pk]) in content
    assert reverse("conversations:detail", args=[review.pk]) in content
    assert "Overdue" in content
    assert reverse("pdp:detail", args=[plan.pk]) in content
    assert "Box " in content
    assert reverse("grid:person", args=[cast.employee.pk]) in content
    assert f"{reverse('conversations:start')}?employee={cast.employee.pk}" in content
    assert reverse("grid:place", args=[cast.employee.pk]) in content
    assert "View plan" in content
    logged = set(AccessLogRecord.objects.filter(entry__user=cast.manager.user).values_list("record_type", "record_id"))
    assert ("pdp.plan", plan.pk) in logged
    assert ("grid.placement", placement.pk) in logged


def test_it_hides_career_conversations_from_the_line_manager(client, cast):
    career = ConversationFactory(employee=cast.employee, host=cast.supporter, kind="career", origin="supporter_request")
    client.force_login(cast.manager.user)
    content = client.get(url(cast.employee)).content.decode()
    assert reverse("conversations:detail", args=[career.pk]) not in content
    assert "Career conversation" not in content


def test_it_never_shows_private_notes(client, cast):
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    PrivateNote.objects.create(conversation=held, author=cast.manager.user, text="Secret worry about Ward 7")
    for viewer in (cast.manager, cast.hr, cast.employee):
        client.force_login(viewer.user)
        assert "Secret worry" not in client.get(url(cast.employee)).content.decode()


def test_it_offers_hr_no_actions_that_are_the_managers(client, cast):
    client.force_login(cast.hr.user)
    content = client.get(url(cast.employee)).content.decode()
    assert "Start a conversation" not in content
    assert "Place on the grid" not in content


def test_it_shows_the_employee_their_own_placement_only_when_hr_shows_placements(client, cast):
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.employee.user)
    grid_in_use()  # the settings row
    GridSettings.objects.update(employee_view=GridSettings.EmployeeView.HIDDEN)
    assert "Box " not in client.get(url(cast.employee)).content.decode()
    GridSettings.objects.update(employee_view=GridSettings.EmployeeView.SHOWN)
    content = client.get(url(cast.employee)).content.decode()
    assert "Box " in content
    assert "Start a conversation" not in content
