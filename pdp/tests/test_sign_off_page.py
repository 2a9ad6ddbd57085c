"""Signing off a plan asks once, on a page that says what will happen and who will be told
(pdp.views.sign_off); Yes signs the version that was read, and a plan changed since is refused."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse

from pdp import services
from pdp.factories import ActionFactory, ObjectiveFactory, PlanFactory
from pdp.models import Plan


@pytest.fixture
def plan(cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    ObjectiveFactory(plan=plan)
    ActionFactory.create_batch(2, plan=plan)
    return Plan.objects.get(pk=plan.pk)


def asking(plan, version=None) -> str:
    return reverse("pdp:sign_off", args=[plan.pk]) + f"?version={plan.version if version is None else version}"


def question(client, person, url) -> str:
    client.force_login(person.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.templates[0].name == "confirm.html"
    return html.unescape(response.content.decode())


def test_it_links_to_the_question_with_the_version_shown(client, cast, plan):
    client.force_login(cast.employee.user)
    page = client.get(reverse("pdp:detail", args=[plan.pk])).content.decode()
    assert f'href="{asking(plan)}"' in page.replace("&amp;", "&")
    assert f'action="{reverse("pdp:sign_off", args=[plan.pk])}"' not in page


def test_it_asks_the_employee_first_and_says_who_sees_it(client, cast, plan):
    page = question(client, cast.employee, asking(plan))
    assert "Agree and sign off your development plan?" in page
    assert "2 actions under 1 objective" in page
    assert plan.way_forward in page
    assert f"The plan is agreed once {cast.manager.full_name} signs too." in page
    assert f"Nobody is emailed. {cast.manager.full_name} sees your signature on the plan" in page
    assert f'<input type="hidden" name="version" value="{plan.version}">' in page
    assert "Yes, agree and sign off" in page
    plan.refresh_from_db()
    assert plan.employee_signed_off_at is None


@time_machine.travel(datetime.datetime(2026, 8, 31, 10, tzinfo=datetime.UTC), tick=False)
def test_it_tells_the_second_to_sign_that_it_agrees_the_plan_and_when_the_reviews_are(client, cast, plan):
    services.plan_sign_off(plan=plan, by=cast.employee, version=plan.version)
    plan.refresh_from_db()
    page = question(client, cast.manager, asking(plan))
    assert f"Sign off {cast.employee.full_name}'s development plan for the line?" in page
    assert "the plan becomes agreed today, 31 August 2026" in page
    assert "Its reviews are planned for 28 February 2027 (6 months) and 31 August 2027 (12 months)." in page
    assert "re-opens sign-off" in page

    response = client.post(reverse("pdp:sign_off", args=[plan.pk]), {"version": plan.version}, follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    content = html.unescape(response.content.decode())
    assert "You have both signed: the plan is agreed. Reviews are planned for 28 February 2027" in content
    assert f"Nobody was emailed; {cast.employee.full_name} sees it agreed." in content


def test_it_says_who_was_told_after_the_first_signature(client, cast, plan):
    client.force_login(cast.employee.user)
    response = client.post(reverse("pdp:sign_off", args=[plan.pk]), {"version": plan.version}, follow=True)
    plan.refresh_from_db()
    assert plan.employee_signed_off_at is not None
    assert plan.status == Plan.Status.DRAFT
    assert f"It is agreed once {cast.manager.full_name} signs too. Nobody was emailed" in response.content.decode()


def test_it_refuses_to_ask_about_a_plan_changed_since_it_was_read(client, cast, plan):
    read_at = plan.version
    services.plan_way_forward_save(plan=plan, by=cast.manager, way_forward="Something else.", version=plan.version)
    client.force_login(cast.employee.user)
    response = client.get(asking(plan, read_at), follow=True)
    assert response.redirect_chain[-1][0] == reverse("pdp:detail", args=[plan.pk]) + "#sign-off"
    assert services.SIGNED_STALE in response.content.decode()
    response = client.post(reverse("pdp:sign_off", args=[plan.pk]), {"version": read_at}, follow=True)
    assert services.SIGNED_STALE in response.content.decode()
    plan.refresh_from_db()
    assert plan.employee_signed_off_at is None


def test_it_does_not_ask_about_a_plan_without_actions(client, cast):
    empty = PlanFactory(employee=cast.employee, manager=cast.manager)
    client.force_login(cast.manager.user)
    response = client.get(asking(empty), follow=True)
    assert "Add at least one action before signing off" in response.content.decode()


def test_it_does_not_ask_twice(client, cast, plan):
    services.plan_sign_off(plan=plan, by=cast.employee, version=plan.version)
    plan.refresh_from_db()
    client.force_login(cast.employee.user)
    response = client.get(asking(plan), follow=True)
    assert "You have already signed off this version of the plan." in response.content.decode()


def test_it_signs_nothing_posted_without_a_version(client, cast, plan):
    client.force_login(cast.employee.user)
    response = client.post(reverse("pdp:sign_off", args=[plan.pk]), follow=True)
    assert "Reload the plan and sign off again." in response.content.decode()
    plan.refresh_from_db()
    assert plan.employee_signed_off_at is None


def test_it_asks_about_the_plan_as_it_is_when_no_version_was_shown(client, cast, plan):
    page = question(client, cast.employee, reverse("pdp:sign_off", args=[plan.pk]))
    assert f'<input type="hidden" name="version" value="{plan.version}">' in page


@pytest.mark.parametrize("outsider", ["other_employee", "other_manager", "supporter", "hr"])
def test_it_asks_nobody_outside_the_plan(client, cast, plan, outsider):
    client.force_login(getattr(cast, outsider).user)
    assert client.get(asking(plan)).status_code == 404
    assert client.post(reverse("pdp:sign_off", args=[plan.pk]), {"version": plan.version}).status_code == 404
    plan.refresh_from_db()
    assert plan.manager_signed_off_at is None
