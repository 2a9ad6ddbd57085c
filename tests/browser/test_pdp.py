"""Development plans in the browser: the employee's plan and its PDF, a manager's view, HR's export."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def console_errors(page) -> list[str]:
    """Console errors (CSP violations among them), except the browser's own request for a favicon."""
    problems = []

    def note(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(message.text)

    page.on("console", note)
    return problems


def test_it_shows_the_employee_their_plan_and_downloads_its_pdf(page, live_server, demo, sign_in, screenshot):
    problems = console_errors(page)
    sign_in(page, "employee")
    page.get_by_role("link", name="Development plan", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/pdp/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your development plan")
    expect(page.get_by_role("heading", name="Objectives and actions")).to_be_visible()
    screenshot(page, "pdp-employee")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF of the plan").click()
    download = download_info.value
    assert download.suggested_filename.startswith("development-plan-james-okafor-")
    path = SCREENSHOTS / "pdp-employee.pdf"
    download.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert "James Okafor" in reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert problems == []


def test_it_fits_a_phone_screen(page, live_server, demo, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "employee")
    page.goto(f"{live_server.url}/pdp/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "pdp-employee-phone")
    page.get_by_role("link", name="Record progress").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "pdp-progress-phone")


def test_it_lets_a_manager_open_and_change_a_plan_in_their_line(page, live_server, demo, sign_in, screenshot):
    problems = console_errors(page)
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/pdp/plans/")
    expect(page.get_by_role("heading", name="Development plans")).to_be_visible()
    screenshot(page, "pdp-manager-list")
    page.get_by_role("link", name="James Okafor", exact=True).click()
    page.get_by_role("link", name="Plan started").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Development plan: James Okafor")
    screenshot(page, "pdp-manager-plan")
    page.get_by_role("link", name="Add an action", exact=True).click()
    page.get_by_label("What will be done").fill("Spend a day with the patient flow team")
    page.get_by_label("Exposure: learning through others: shadowing, mentoring, coaching, networks").check()
    page.get_by_label("Someone else").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("form").get_by_text("Say who does it")).to_be_visible()
    expect(page.get_by_label("What will be done")).to_have_value("Spend a day with the patient flow team")
    screenshot(page, "pdp-action-form-error")
    page.get_by_label("Name of who does it").fill("Patient flow team")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action added.")).to_be_visible()
    expect(page.get_by_role("status").get_by_text("both need to sign again")).to_be_visible()
    assert problems == []


def test_it_builds_hrs_export_with_a_progress_page(page, live_server, demo, sign_in, screenshot, settings, tmp_path):
    settings.PDP_EXPORT_DIR = tmp_path
    problems = console_errors(page)
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/pdp/exports/")
    page.get_by_label("Part of the organisation").select_option(label="Emergency Department")
    page.get_by_role("button", name="Build the export").click()
    expect(page.get_by_role("heading", name="Plans of Emergency Department")).to_be_visible()
    if not settings.REDIS_URL:  # built by the background loop (make run's run_jobs), never in the request
        call_command("run_jobs")
        page.reload()
        expect(page.get_by_role("link", name="Download the zip file")).to_be_visible()
    screenshot(page, "pdp-export")
    assert problems == []


def test_it_refuses_a_progress_save_over_a_newer_one_and_shows_both(page, live_server, demo, sign_in, screenshot):
    from pdp.models import Action

    problems = console_errors(page)
    sign_in(page, "employee")
    page.goto(f"{live_server.url}/pdp/")
    page.get_by_role("link", name="Record progress").first.click()
    progress_url = page.url
    action_pk = int(progress_url.rstrip("/").split("/")[-2])
    # Meanwhile, on another device, newer notes are saved.
    Action.objects.filter(pk=action_pk).update(progress_notes="Booked the course for March.", version=99)
    page.get_by_label("Progress notes").fill("Spoke to the practice educator.")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Not saved: a newer version was saved while you were editing")
    ).to_be_visible()
    expect(page.get_by_text("Booked the course for March.")).to_be_visible()
    expect(page.get_by_label("Progress notes")).to_have_value("Spoke to the practice educator.")
    screenshot(page, "pdp-conflict")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "pdp-conflict-phone")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Progress saved.")).to_be_visible()
    assert Action.objects.get(pk=action_pk).progress_notes == "Spoke to the practice educator."
    assert [problem for problem in problems if "status of 409 (Conflict)" not in problem] == []
