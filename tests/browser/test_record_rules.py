"""Browser journeys for the rules that protect the record, on the demo data."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Conversation
from tests.browser.test_grid import watch_console

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}


def test_it_tells_the_employee_they_have_a_conversation_under_way(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    sign_in(page, "employee")
    page.goto(f"{live_server.url}/conversations/nominate/")
    notice = page.get_by_role("status").filter(has_text="You already have a talent conversation under way")
    expect(notice).to_be_visible()
    screenshot(page, "nominate-under-way-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "nominate-under-way-phone")
    notice.get_by_role("link", name="open it").click()
    expect(page.get_by_role("link", name="Agree and sign off")).to_be_visible()
    assert problems == []


def test_it_waits_for_topic_and_way_forward_before_offering_sign_off(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    today = Conversation.objects.get(
        host__user__username="manager", status="booked", starts_at__date=timezone.localdate()
    )
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/conversations/{today.pk}/")
    page.get_by_role("link", name="Mark as held and record it").click()
    page.get_by_role("button", name="Yes, mark as held").click()
    expect(page).to_have_url(f"{live_server.url}/conversations/{today.pk}/record/")  # marking as held opens the record
    page.goto(f"{live_server.url}/conversations/{today.pk}/")
    expect(page.get_by_text("Write the Topic and the Way forward before you sign off the record.")).to_be_visible()
    expect(page.get_by_role("link", name="Mark as held and record it")).to_have_count(0)  # it is held now
    expect(page.get_by_role("link", name="Sign off the record")).to_have_count(0)
    screenshot(page, "sign-off-waits-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "sign-off-waits-phone")
    page.goto(f"{live_server.url}/conversations/{today.pk}/record/")
    page.get_by_role("textbox", name="Topic", exact=True).fill("Next steps in the team")
    page.get_by_role("textbox", name="Way forward", exact=True).fill("Lead the morning huddle twice a week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{live_server.url}/conversations/{today.pk}/")
    expect(page.get_by_role("link", name=re.compile("Sign off the record"))).to_be_visible()
    assert problems == []
