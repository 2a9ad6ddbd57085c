"""Browser journeys on the talent grid, with screenshots of each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def watch_console(page) -> list[str]:
    """Console errors (a CSP violation among them) and failed loads, by URL. The browser's own
    favicon request is not the page's: its 404 is left out."""
    problems = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.append(f"{response.status} {response.url}")

    page.on("console", console)
    page.on("response", response)
    return problems


def test_it_takes_hr_from_the_grid_to_a_calibrated_move(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hr")
    page.get_by_role("link", name="Talent grid", exact=True).click()
    expect(page.get_by_role("heading", name="Talent grid", level=1)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Potential"))).to_be_visible()
    screenshot(page, "grid-dashboard-hr")

    page.get_by_label("Directorate or department").select_option(label="Emergency Department")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"department=\d+"))
    expect(page.get_by_text("Emergency Department", exact=True).first).to_be_visible()
    screenshot(page, "grid-dashboard-filtered")

    page.get_by_role("link", name=re.compile("Solid contributor, developing")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Solid contributor, developing")
    expect(page.get_by_role("table", name="People in this box")).to_be_visible()
    screenshot(page, "grid-box")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Talent grid").click()
    page.get_by_role("link", name="Calibration", exact=True).click()
    page.get_by_label("Name of the session").fill("Emergency Department calibration, autumn")
    page.get_by_label("Directorate or department").select_option(label="Emergency Department")
    screenshot(page, "grid-calibration-list")
    page.get_by_role("button", name="Open session").click()
    expect(page.get_by_role("heading", name="Emergency Department calibration, autumn")).to_be_visible()

    card = page.locator(".calibration-card").first
    name = card.get_attribute("data-name")
    origin = card.locator("xpath=ancestor::td[@data-box]").get_attribute("data-box")
    target = page.locator(f"td[data-box]:not([data-box='{origin}'])").first
    target_box = target.get_attribute("data-box")
    card.drag_to(target)
    expect(page.locator("#move-status")).to_contain_text(f"Moving {name} to box")
    expect(page.get_by_label("Person", exact=True)).to_have_value(card.get_attribute("data-person"))
    expect(page.get_by_label("Move to box")).to_have_value(target_box)
    expect(page.get_by_label("Reason for the move")).to_be_focused()
    page.get_by_label("Reason for the move").fill("Panel agreed the evidence matches peers placed in this box.")
    screenshot(page, "grid-calibration-drag")
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} moved to box")
    moves = page.get_by_role("table", name="Moves, newest first")
    expect(moves).to_contain_text("Panel agreed the evidence matches peers placed in this box.")
    expect(page.locator(f"td[data-box='{target_box}']")).to_contain_text(name)
    screenshot(page, "grid-calibration-moved")

    page.get_by_role("link", name="Close and lock the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close Emergency Department calibration, autumn?")
    expect(page.get_by_text("Nobody is emailed")).to_be_visible()
    screenshot(page, "grid-calibration-close-confirm")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "grid-calibration-close-confirm-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Close and lock the session").click()
    expect(page.get_by_text("Session closed")).to_be_visible()
    expect(page.get_by_role("button", name="Record the move")).to_have_count(0)
    screenshot(page, "grid-calibration-closed")
    assert problems == []


def test_it_moves_a_person_without_javascript(browser, live_server, demo, sign_in, screenshot):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/calibration/")
    page.get_by_label("Name of the session").fill("Keyboard-only session")
    page.get_by_label("Directorate or department").select_option(label="Emergency Department")
    page.get_by_role("button", name="Open session").click()
    card = page.locator(".calibration-card").first
    origin = card.locator("xpath=ancestor::td[@data-box]").get_attribute("data-box")
    target = page.locator(f"td[data-box]:not([data-box='{origin}'])").first.get_attribute("data-box")
    page.get_by_label("Person", exact=True).select_option(card.get_attribute("data-person"))
    page.get_by_label("Move to box").select_option(target)
    page.get_by_role("button", name="Record the move").click()
    expect(page.locator("form").get_by_text("Give the reason for the move")).to_be_visible()
    page.get_by_label("Reason for the move").fill("Agreed by the panel.")
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_role("table", name="Moves, newest first")).to_contain_text("Agreed by the panel.")
    screenshot(page, "grid-calibration-no-javascript")
    context.close()


def test_it_compares_two_dates_and_lists_succession_gaps(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/movement/")
    page.get_by_label("From", exact=True).fill("1/1/2025")
    page.get_by_label("To", exact=True).fill("1/4/2026")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name=re.compile("Rows: box on"))
    expect(table).to_be_visible()
    screenshot(page, "grid-movement")
    table.locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("to")
    screenshot(page, "grid-movement-people")
    page.goto(f"{live_server.url}/grid/succession/")
    expect(page.get_by_role("heading", name="Succession for critical roles")).to_be_visible()
    screenshot(page, "grid-succession")
    page.get_by_role("table").get_by_role("link").first.click()
    screenshot(page, "grid-succession-role")
    assert problems == []


def test_it_lets_a_manager_place_a_report_with_an_override(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    sign_in(page, "manager")
    page.get_by_role("link", name="Talent grid", exact=True).click()
    screenshot(page, "grid-dashboard-manager")
    page.get_by_role("link", name="James Okafor").first.click()
    expect(page.get_by_role("heading", name="James Okafor")).to_be_visible()
    screenshot(page, "grid-person")
    page.get_by_role("link", name="Update placement").click()
    form = page.locator("#placement-form")
    form.get_by_role("group", name="Performance").get_by_label("High").check()
    for criterion in ["Aspiration", "Engagement", "Ability", "Leadership values"]:
        form.get_by_role("group", name=criterion).get_by_label("High").check()
    expect(page.locator("#suggestion")).to_have_text("The criteria suggest high potential.")
    form.get_by_role("group", name="Potential", exact=True).get_by_label("Moderate").check()
    expect(page.locator("#suggestion")).to_contain_text("give a reason")
    form.get_by_label("Evidence").fill("Led the sepsis audit; excellent feedback from the team.")
    page.get_by_role("button", name="Save placement").click()
    expect(page.locator("form").get_by_text("Give a reason for choosing a different row")).to_be_visible()
    screenshot(page, "grid-place-error")
    form.get_by_label("Reason for choosing a different row").fill("Wants to stay in role for two years.")
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_role("status")).to_contain_text("James Okafor is placed in box 4")
    screenshot(page, "grid-person-placed")
    assert problems == []


def test_it_shows_an_employee_their_placement_in_plain_words(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    sign_in(page, "employee")
    page.get_by_role("link", name="Your place on the grid").click()
    expect(page.get_by_role("heading", name=re.compile("You are in box"))).to_be_visible()
    page.get_by_role("textbox", name="Your comment").fill(
        "Thank you. I would like to talk about the acute care course."
    )
    page.get_by_role("button", name="Save comment").click()
    expect(page.get_by_role("status")).to_contain_text("Your comment is saved")
    screenshot(page, "grid-mine")
    assert page.get_by_role("link", name="Talent grid", exact=True).count() == 0
    assert problems == []


def test_it_fits_the_grid_on_a_phone(page, live_server, demo, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "hr")
    for name, path in [("grid-dashboard-phone", "/grid/"), ("grid-movement-phone", "/grid/movement/")]:
        page.goto(f"{live_server.url}{path}")
        screenshot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path


def test_it_shows_hr_the_inclusion_figures_on_a_desktop_and_a_phone(
    page, live_server, sign_in, screenshot, transactional_db
):
    from django.core.management import call_command

    call_command("seed_demo", employees=300, verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/")
    page.get_by_role("link", name="Inclusion", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inclusion and reach")
    screenshot(page, "grid-inclusion")
    expect(page.get_by_text("Women: potential rated below performance")).to_be_visible()
    expect(page.get_by_role("img", name="Had a talent or career conversation, by sex")).to_be_visible()
    expect(page.locator("#counted-at")).to_contain_text("kept for 10 minutes")
    page.get_by_role("link", name="Count them again now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inclusion and reach")
    expect(page.locator("#counted-at")).to_contain_text("Counted at")
    screenshot(page, "grid-inclusion")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "grid-inclusion-phone")
    page.get_by_role("link", name="See the people placed in the group Female").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sex: Female")
    screenshot(page, "grid-inclusion-people")
