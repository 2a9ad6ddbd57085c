"""What administration and sign-in look like now that they cannot be got round: HR's view of a
career conversation, HR's account administration, and the page after too many wrong passwords."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_shows_hr_only_that_a_career_conversation_took_place(page, live_server, demo, sign_in, screenshot):
    from conversations.models import Conversation

    career = Conversation.objects.filter(kind=Conversation.Kind.CAREER).first()
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/conversations/{career.pk}/")
    expect(page.get_by_role("heading", name="Between the two people only")).to_be_visible()
    if career.statement:
        expect(page.get_by_text(career.statement[:40])).to_have_count(0)
    screenshot(page, "conversation-career-hr")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "conversation-career-hr-phone")


def test_it_gives_hr_an_account_page_without_passwords_or_rights(page, live_server, demo, sign_in, screenshot):
    from people.models import Employee

    employee = Employee.objects.get(user__username="employee")
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/admin/auth/user/{employee.user_id}/change/")
    expect(page.get_by_text("Can sign in")).to_be_visible()
    expect(page.get_by_label("Career supporters")).to_be_visible()
    expect(page.get_by_text("Superuser status")).to_have_count(0)
    expect(page.locator("input[name=password1]")).to_have_count(0)
    screenshot(page, "admin-account")


def test_it_pauses_sign_in_after_ten_wrong_passwords(page, live_server, demo, screenshot):
    for _ in range(10):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("employee")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in is paused for 15 minutes")).to_be_visible()
    screenshot(page, "sign-in-paused")
