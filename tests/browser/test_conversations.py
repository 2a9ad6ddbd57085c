"""Browser journeys through a talent conversation, with screenshots of each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def in_four_weeks() -> str:
    from datetime import timedelta

    from django.utils import timezone

    day = timezone.localdate() + timedelta(weeks=4)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def open_page(page, live_server, path):
    page.goto(f"{live_server.url}{path}")


def test_it_takes_a_nomination_from_request_to_booking(page, live_server, demo, sign_in, screenshot):
    sign_in(page, "employee")
    # First the record waiting for the employee's sign-off: one talent conversation at a time.
    page.get_by_role("link", name="Conversations", exact=True).click()
    page.get_by_role("row").filter(has_text="Read the record, comment and sign off").first.get_by_role("link").click()
    page.get_by_role("link", name="Agree and sign off").click()
    page.get_by_role("button", name="Yes, sign off the record").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "employee")
    page.get_by_role("link", name="Conversations", exact=True).click()
    screenshot(page, "conversations-list-employee")
    page.get_by_role("link", name="Ask for a talent conversation").click()
    page.get_by_label("Sarah Thompson, Ward Manager").check()
    page.get_by_label("Consistently high performance").check()
    page.get_by_label("In a few sentences").fill("I have led our falls project and would like to step up.")
    page.get_by_label("Stretch: step up to greater complexity").check()
    screenshot(page, "nominate")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Sent to Sarah Thompson")).to_be_visible()
    expect(page.get_by_text("Waiting for Sarah to book a time")).to_be_visible()
    screenshot(page, "conversation-requested-employee")
    conversation_url = page.url

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "manager")
    expect(page.get_by_role("heading", name=re.compile("^Needs you now"))).to_be_visible()
    screenshot(page, "home-manager-waiting")
    page.goto(conversation_url)
    page.get_by_role("link", name="Accept and book").click()
    page.get_by_label("Date").fill(in_four_weeks())
    page.get_by_label("Time").fill("14:00")
    page.get_by_role("textbox", name="Venue").fill("Sister's office, Ward 7")
    page.get_by_label("The venue is private").check()
    screenshot(page, "book")
    page.get_by_role("button", name="Book and send invites").click()
    expect(page.get_by_text("Booked. You and James have been emailed a calendar invite.")).to_be_visible()
    screenshot(page, "conversation-booked-manager")


def test_it_warns_of_short_notice_before_booking(page, live_server, demo, sign_in, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    sign_in(page, "manager")
    page.get_by_role("link", name="Conversations", exact=True).click()
    page.get_by_label("Show", exact=True).select_option("waiting")
    page.get_by_role("button", name="Filter").click()
    screenshot(page, "conversations-list-manager-waiting")
    page.get_by_role("row").filter(has_text="Accept and book a time").first.get_by_role("link").click()
    page.get_by_role("link", name="Accept and book").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    while tomorrow.weekday() >= 5:  # a weekday, so that short notice is the only warning
        tomorrow += timedelta(days=1)
    page.get_by_label("Date").fill(tomorrow.isoformat())
    page.get_by_label("Time").fill("09:00")
    page.get_by_role("textbox", name="Venue").fill("Quiet room")
    page.get_by_label("The venue is private").check()
    page.get_by_role("button", name="Book and send invites").click()
    expect(page.get_by_text("Short notice")).to_be_visible()
    screenshot(page, "book-warning")
    page.get_by_role("button", name="Book anyway").click()
    expect(page.get_by_text("Booked.")).to_be_visible()


def test_it_shows_the_supporter_directory(page, live_server, demo, sign_in, screenshot):
    sign_in(page, "employee")
    open_page(page, live_server, "/conversations/supporters/")
    expect(page.get_by_role("heading", name="David Evans")).to_be_visible()
    screenshot(page, "supporters")
    page.set_viewport_size({"width": 375, "height": 740})
    open_page(page, live_server, "/conversations/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "conversations-list-phone")


def test_it_moves_an_overdue_review_to_another_date(page, live_server, demo, sign_in, screenshot):
    sign_in(page, "manager")
    open_page(page, live_server, "/conversations/reviews/?show=late")
    expect(page.get_by_role("heading", name="Overdue reviews")).to_be_visible()
    screenshot(page, "reviews-overdue")
    page.get_by_role("row").filter(has_text="Overdue").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Looking back")).to_be_visible()
    screenshot(page, "review-detail")
    page.get_by_role("link", name="Move to another date").click()
    page.get_by_label("New due date").fill(in_four_weeks())
    page.get_by_label("Reason").fill("On annual leave until the end of the month.")
    screenshot(page, "review-reschedule")
    page.get_by_role("button", name="Move the review").click()
    expect(page.get_by_text("Review moved to")).to_be_visible()
    page.get_by_text("Date changes").click()
    expect(page.get_by_text("On annual leave until the end of the month.")).to_be_visible()
    screenshot(page, "review-moved")
