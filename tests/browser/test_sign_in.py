import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOME_SHOWS = {
    "employee": "Needs you now",
    "manager": "Your team",
    "supporter": "Career supporter",
    "hr": "Import staff from the HR system",
}


@pytest.mark.parametrize("username", list(HOME_SHOWS))
def test_it_signs_in_each_demo_account_to_its_home_page(page, live_server, demo, sign_in, screenshot, username):
    sign_in(page, username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(page.get_by_text(HOME_SHOWS[username]).first).to_be_visible()
    screenshot(page, f"home-{username}")


def test_it_sends_an_anonymous_visitor_to_sign_in_and_back(page, live_server, demo, screenshot):
    page.goto(f"{live_server.url}/people/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/people/")
    screenshot(page, "sign-in")
    page.get_by_label("Username").fill("hr")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("form").get_by_text("Please enter a correct username and password")).to_be_visible()
    page.get_by_label("Password").fill("talent-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="Staff")).to_be_visible()
    screenshot(page, "staff-list")


def test_it_skips_to_main_content_by_keyboard(page, live_server, demo, sign_in):
    sign_in(page, "manager")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_it_fits_a_phone_screen(page, live_server, demo, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "manager")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Show navigation").click()
    expect(page.get_by_role("link", name="My team")).to_be_visible()
    screenshot(page, "home-manager-phone")


def test_it_loads_without_console_errors_or_csp_violations(page, live_server, demo, sign_in, screenshot):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    sign_in(page, "hr")
    for name, path in [
        ("people-import", "/people/import/"),
        ("admin", "/admin/"),
        ("password-change", "/accounts/password_change/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        screenshot(page, name)
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="James Okafor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("James Okafor")
    screenshot(page, "person-detail")
    assert problems == []


def test_it_warns_before_an_idle_session_ends_and_keeps_it_on(page, live_server, demo, sign_in, screenshot, settings):
    settings.SESSION_COOKIE_AGE = 16  # the warning shows 8 seconds in
    sign_in(page, "employee")
    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=12_000)
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    screenshot(page, "session-warning")
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
