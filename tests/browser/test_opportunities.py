"""Opportunities in the browser: HR publishes a shadowing offer for bands 5 to 7; the demo employee
finds it open to them and registers interest; their manager sees the interest on the conversation,
makes a plan action from it, and the plan's PDF names it. Screenshots at desktop and phone width."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from conversations.models import Conversation
from pdp.models import Plan
from tests.browser.test_pdp import console_errors

pytestmark = pytest.mark.browser

TITLE = "Shadow the nurse in charge on Ward 7"
PHONE = {"width": 375, "height": 740}


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _fits_phone(page, screenshot, name: str):
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_it_runs_from_publishing_an_offer_to_the_plan_pdf(page, live_server, demo_booked, sign_in, screenshot):
    problems = console_errors(page)
    url = live_server.url

    # HR publishes a shadowing offer for bands 5 to 7.
    sign_in(page, "hr")
    page.get_by_role("link", name="Opportunities", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opportunities")
    page.get_by_role("link", name="Publish an opportunity").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What kind of opportunity").select_option(label="Shadowing")
    page.get_by_label("Exposure", exact=False).check()
    page.get_by_label("Description").fill("Two shifts shadowing the nurse in charge: handover, flow and escalation.")
    for band in ("Band 5", "Band 6", "Band 7"):
        page.get_by_label(band, exact=True).check()
    page.get_by_label("Contact").fill("Sarah Thompson")
    page.get_by_label("Places").fill("4")
    screenshot(page, "opportunity-form")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    _fits_phone(page, screenshot, "opportunity-form-after")
    _sign_out(page)

    # The demo employee (band 5) finds it open to them and registers interest.
    sign_in(page, "employee")
    page.get_by_role("link", name="Opportunities", exact=True).click()
    expect(page.get_by_label("Who for")).to_have_value("mine")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Coaching skills for managers")).to_have_count(0)  # past: gone from the list
    screenshot(page, "opportunities-list")
    _fits_phone(page, screenshot, "opportunities-list")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Why it interests you").fill("I want to lead shifts next year.")
    page.get_by_role("button", name="Register your interest").click()
    expect(page.get_by_text("Interest registered.")).to_be_visible()
    screenshot(page, "opportunity-detail")
    _fits_phone(page, screenshot, "opportunity-detail")
    # ... and sees it, with what else is open to them, as they prepare for their conversation.
    conversation = Conversation.objects.get(
        employee__user__username="employee", kind=Conversation.Kind.TALENT, status=Conversation.Status.BOOKED
    )
    page.goto(f"{url}/conversations/{conversation.pk}/prepare/")
    panel = page.locator(".opportunities-panel")
    expect(panel.get_by_role("heading", name="Opportunities open to you")).to_be_visible()
    expect(panel.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    screenshot(page, "conversation-prepare-opportunities")
    _fits_phone(page, screenshot, "conversation-prepare-opportunities")
    _sign_out(page)

    # The manager (the contact) sees the interest on the conversation and makes a plan action.
    sign_in(page, "manager")
    page.goto(f"{url}/opportunities/offers/")
    expect(page.get_by_text("I want to lead shifts next year.")).to_be_visible()
    screenshot(page, "opportunity-offers")
    _fits_phone(page, screenshot, "opportunity-offers")
    page.goto(f"{url}/conversations/{conversation.pk}/")
    panel = page.locator(".opportunities-panel")
    expect(panel.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    panel.scroll_into_view_if_needed()
    screenshot(page, "conversation-opportunities")
    _fits_phone(page, screenshot, "conversation-opportunities")
    panel.get_by_role("link", name=re.compile(rf"^Add to the plan ?: {TITLE}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an action from an opportunity")
    expect(page.get_by_label("What will be done")).to_have_value(TITLE)
    screenshot(page, "opportunity-plan-action")
    _fits_phone(page, screenshot, "opportunity-plan-action")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action added from the opportunity.")).to_be_visible()

    plan = Plan.objects.get(employee__user__username="employee", is_current=True)
    assert plan.actions.filter(opportunity__title=TITLE).exists()
    pdf = page.request.get(f"{url}/pdp/{plan.pk}/pdf/")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert f"Opportunity: {TITLE}" in text
    _sign_out(page)

    # HR sees the uptake.
    sign_in(page, "hr")
    page.goto(f"{url}/opportunities/uptake/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot(page, "opportunity-uptake")
    _fits_phone(page, screenshot, "opportunity-uptake")
    assert problems == []
