"""One way of asking before an irreversible action, across the site (core.confirm and
templates/confirm.html): the page before links to the question; the question says what will
happen and who will be told, posts to its own address with a "Yes, ..." button, offers a way
back, and changes nothing until it is answered."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone


def held_conversation(cast, **fields):
    from conversations.factories import HeldConversationFactory

    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, **fields)
    return conversation, reverse("conversations:detail", args=[conversation.pk])


def mark_as_held(cast):
    from conversations.factories import BookedConversationFactory

    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = reverse("conversations:detail", args=[conversation.pk])
    return cast.manager, page, reverse("conversations:hold", args=[conversation.pk])


def host_sign_off(cast):
    conversation, page = held_conversation(cast)
    return cast.manager, page, reverse("conversations:sign_off", args=[conversation.pk])


def employee_sign_off(cast):
    conversation, page = held_conversation(cast, host_signed_off_at=timezone.now())
    return cast.employee, page, reverse("conversations:sign_off", args=[conversation.pk])


def plan_sign_off(cast):
    from pdp.factories import ActionFactory

    action = ActionFactory(plan__employee=cast.employee, plan__manager=cast.manager)
    url = reverse("pdp:sign_off", args=[action.plan_id]) + f"?version={action.plan.version}"
    return cast.employee, reverse("pdp:detail", args=[action.plan_id]), url


def calibration_close(cast):
    from grid.factories import CalibrationSessionFactory

    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    page = reverse("grid:calibration_session", args=[session.pk])
    return cast.hr, page, reverse("grid:calibration_close", args=[session.pk])


def successor_remove(cast):
    from grid.factories import SuccessorFactory

    named = SuccessorFactory(role__incumbent=cast.manager, employee=cast.employee)
    page = reverse("grid:succession_role", args=[named.role_id])
    return cast.hr, page, reverse("grid:successor_remove", args=[named.role_id, named.pk])


QUESTIONS = [mark_as_held, host_sign_off, employee_sign_off, plan_sign_off, calibration_close, successor_remove]


def snapshot():
    """Everything these actions change, to show that asking changes none of it."""
    from conversations.models import Conversation, Notice
    from grid.models import CalibrationSession, Successor
    from pdp.models import Plan, PlanChange

    return (
        list(Conversation.objects.values_list("pk", "status", "host_signed_off_at", "employee_signed_off_at")),
        Notice.objects.count(),
        list(Plan.objects.values_list("pk", "status", "employee_signed_off_at", "version")),
        PlanChange.objects.count(),
        list(CalibrationSession.objects.values_list("pk", "closed_at")),
        Successor.objects.count(),
    )


@pytest.mark.parametrize("ask", QUESTIONS, ids=lambda ask: ask.__name__)
def test_it_asks_the_same_way_everywhere(client, cast, ask):
    person, page_before, url = ask(cast)
    client.force_login(person.user)
    before = client.get(page_before).content.decode().replace("&amp;", "&")
    assert f'href="{url}"' in before  # a link to the question, not a button that acts
    path = url.split("?")[0]
    assert f'action="{path}"' not in before
    unchanged = snapshot()

    response = client.get(url)
    assert response.status_code == 200
    assert [template.name for template in response.templates][:2] == ["confirm.html", "base.html"]
    page = response.content.decode()
    title = re.search(r"<h1[^>]*>(.*?)</h1>", page).group(1)
    assert title.endswith("?")
    for heading in ("What will happen", "Who will be told"):
        assert re.search(rf"<h2[^>]*>{heading}</h2>\s*<ul><li>", page), heading
    assert f'<form method="post" action="{path}"' in page
    assert re.search(r'<button type="submit" class="btn btn-(primary|danger)">Yes, ', page)
    assert re.search(r'<a class="btn btn-link" href="[^"]+">No, ', page)
    assert snapshot() == unchanged
