"""The writing pages in a browser: autosave, refused stale saves, text kept through signing
in again, the local copy as a last resort; screenshots on a desktop and a phone."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from conversations.factories import BookedConversationFactory, HeldConversationFactory
from conversations.models import Conversation, Preparation, PrivateNote
from people.factories import PASSWORD, EmployeeFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def people(transactional_db):
    manager = EmployeeFactory(
        user__username="ward-manager", user__first_name="Sarah", user__last_name="Thompson", job_title="Ward Manager"
    )
    employee = EmployeeFactory(
        user__username="staff-nurse", user__first_name="James", user__last_name="Okafor", line_manager=manager
    )
    return manager, employee


@pytest.fixture(autouse=True)
def no_favicon_requests(page):
    """The site has no favicon; the browser's request for one would run at the same time as the
    page's own requests, which the shared in-memory SQLite of the live server does not bear."""
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


@pytest.fixture
def problems(page):
    """Console errors, which include Content-Security-Policy violations."""
    seen = []
    page.on("console", lambda message: message.type == "error" and seen.append(message.text))
    return seen


def address(live_server, name, conversation):
    from django.urls import reverse

    return f"{live_server.url}{reverse(f'conversations:{name}', args=[conversation.pk])}"


@pytest.fixture
def shoot(screenshot):
    """A full-page screenshot taken with the window as tall as the page, so that the sticky save bar
    sits in its own place at the end of the form instead of over the fields."""

    def take(page, name):
        size = page.viewport_size
        page.set_viewport_size({"width": size["width"], "height": page.evaluate("document.body.scrollHeight")})
        screenshot(page, name)
        page.set_viewport_size(size)

    return take


def all_saved(page):
    """Wait until no change is waiting to be saved (autosave.js clears its progress note)."""
    page.wait_for_function("() => document.querySelector('.save-progress').textContent === ''")


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_it_saves_the_record_as_you_type_and_keeps_it_on_reload(page, live_server, people, sign_in, shoot, problems):
    manager, employee = people
    conversation = BookedConversationFactory(employee=employee, host=manager)
    sign_in(page, "ward-manager", PASSWORD)
    page.goto(address(live_server, "record", conversation))
    expect(page.get_by_text("Your changes save as you type.")).to_be_visible()

    page.get_by_role("textbox", name="Topic", exact=True).fill("Moving towards a charge nurse role")
    page.get_by_role("textbox", name="Goal", exact=True).fill("Lead night shifts on Ward 7 within a year")
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    page.get_by_label("How strong is the intention to act").select_option("8")
    page.get_by_label("Support needed by").fill("2031-03-31")
    page.get_by_label("Feedback from the manager and colleagues").check()
    page.get_by_role("textbox", name="Shared notes", exact=True).fill("James will talk to the practice educator.")
    page.get_by_role("textbox", name="Shared notes", exact=True).blur()
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    all_saved(page)

    page.reload()
    expect(page.get_by_role("textbox", name="Topic", exact=True)).to_have_value("Moving towards a charge nurse role")
    expect(page.get_by_role("textbox", name="Shared notes", exact=True)).to_have_value(
        "James will talk to the practice educator."
    )
    expect(page.get_by_label("How strong is the intention to act")).to_have_value("8")
    conversation.refresh_from_db()
    assert conversation.goal == "Lead night shifts on Ward 7 within a year"
    assert conversation.support_by.isoformat() == "2031-03-31"
    assert conversation.discussed_feedback
    shoot(page, "record-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    fits_the_phone(page)
    shoot(page, "record-phone")
    assert problems == []


def test_it_refuses_a_save_over_a_newer_version_and_shows_both(page, live_server, people, sign_in, shoot, problems):
    manager, employee = people
    conversation = BookedConversationFactory(employee=employee, host=manager)
    sign_in(page, "ward-manager", PASSWORD)
    record = address(live_server, "record", conversation)
    other_window = page.context.new_page()
    other_window.goto(record)
    page.goto(record)

    other_window.get_by_role("textbox", name="Goal", exact=True).fill("Saved in the other window")
    expect(other_window.get_by_text("Draft saved at")).to_be_visible()

    page.get_by_role("textbox", name="Goal", exact=True).fill("Typed in this window")
    expect(page.get_by_text("Not saved: a newer version was saved at")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_role("heading", name="Not saved: a newer version was saved while you were editing")
    ).to_be_visible()
    expect(page.get_by_role("textbox", name="Goal", exact=True)).to_have_value("Typed in this window")
    expect(page.get_by_text("Saved in the other window")).to_be_visible()
    expect(page.get_by_text("Saving as you type is paused")).to_be_visible()
    shoot(page, "record-conflict")
    conversation.refresh_from_db()
    assert conversation.goal == "Saved in the other window"

    page.get_by_role("button", name="Save", exact=True).click()  # deliberately keep this window's text
    expect(page.get_by_text("Saved at")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.goal == "Typed in this window"
    assert [problem for problem in problems if "status of 409 (Conflict)" not in problem] == []


def test_it_keeps_the_text_when_the_session_ends_while_typing(page, live_server, people, sign_in, shoot):
    manager, employee = people
    conversation = BookedConversationFactory(employee=employee, host=manager)
    sign_in(page, "ward-manager", PASSWORD)
    page.goto(address(live_server, "record", conversation))
    page.get_by_role("textbox", name="Reality", exact=True).fill("Has led two shifts already")
    expect(page.get_by_text("Draft saved at")).to_be_visible()

    Session.objects.all().delete()  # the session times out
    page.get_by_role("textbox", name="Reality", exact=True).fill("Has led two shifts already, both went well")
    expect(page.get_by_text("Not saved: you may have been signed out.")).to_be_visible()
    shoot(page, "record-signed-out")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("Your session had ended. Sign in again and your text will be restored.")).to_be_visible()
    page.get_by_label("Username").fill("ward-manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("We kept the text you typed before your session ended.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Reality", exact=True)).to_have_value(
        "Has led two shifts already, both went well"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved at")).to_be_visible()
    conversation.refresh_from_db()
    assert conversation.reality == "Has led two shifts already, both went well"


def test_it_offers_back_text_kept_on_the_device_when_the_server_was_unreachable(page, live_server, people, sign_in):
    manager, employee = people
    conversation = BookedConversationFactory(employee=employee, host=manager)
    sign_in(page, "ward-manager", PASSWORD)
    notes = address(live_server, "private_notes", conversation)
    page.goto(notes)
    page.context.set_offline(True)
    page.get_by_label("Your private notes").fill("Typed on a train with no signal")
    expect(page.get_by_text("Not saved: the server could not be reached.")).to_be_visible()
    page.context.set_offline(False)

    later = page.context.new_page()
    later.goto(notes)
    expect(later.get_by_text("This browser kept text you typed here")).to_be_visible()
    later.get_by_role("button", name="Put it back in the form").click()
    expect(later.get_by_label("Your private notes")).to_have_value("Typed on a train with no signal")
    expect(later.get_by_text("Draft saved at")).to_be_visible()
    assert PrivateNote.objects.get().text == "Typed on a train with no signal"
    # Both pages closed before the database is emptied for the next test, so that no autosave
    # still on its way (the first page tries again once back online) races the emptying.
    later.close()
    page.close()


def test_it_prepares_and_shares_the_answers(page, live_server, people, sign_in, shoot, problems):
    manager, employee = people
    conversation = BookedConversationFactory(employee=employee, host=manager)
    sign_in(page, "staff-nurse", PASSWORD)
    page.goto(address(live_server, "prepare", conversation))
    expect(page.get_by_text("Private draft: only you can see these answers.")).to_be_visible()
    page.get_by_label("What have you enjoyed most in your work?").fill("Teaching student nurses on placement.")
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    assert Preparation.objects.get().shared_at is None
    shoot(page, "prepare-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shoot(page, "prepare-phone")

    page.get_by_role("button", name="Share with Sarah").click()
    expect(page.get_by_text("Shared with Sarah at")).to_be_visible()
    assert Preparation.objects.get().shared_at is not None
    assert problems == []


def test_it_shows_private_notes_and_comments_on_desktop_and_phone(page, live_server, people, sign_in, shoot, problems):
    manager, employee = people
    conversation = HeldConversationFactory(
        employee=employee,
        host=manager,
        host_signed_off_at=timezone.now(),
        reality="Has led two shifts with support.",
        options="Shadow the night charge nurse; the leadership course; act up for a month.",
        way_forward="Shadow for three shifts, then lead with support.",
        intention_strength=8,
        shared_notes="Talk to the practice educator about the course.",
    )
    PrivateNote.objects.create(conversation=conversation, author=manager.user, text="Check in after the first shift.")

    sign_in(page, "ward-manager", PASSWORD)
    page.goto(address(live_server, "private_notes", conversation))
    expect(page.get_by_text("Only you can see these notes.")).to_be_visible()
    shoot(page, "private-notes-desktop")
    page.set_viewport_size(PHONE)
    page.reload()
    fits_the_phone(page)
    shoot(page, "private-notes-phone")
    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 1280, "height": 720})
    sign_in(page, "staff-nurse", PASSWORD)
    page.goto(address(live_server, "comments", conversation))
    expect(page.get_by_text("Shadow for three shifts, then lead with support.")).to_be_visible()
    expect(page.get_by_text("Check in after the first shift.")).to_have_count(0)
    page.get_by_label("Your comments on the record").fill("I would like the course before acting up.")
    expect(page.get_by_text("Draft saved at")).to_be_visible()
    shoot(page, "comments-desktop")
    page.set_viewport_size(PHONE)
    fits_the_phone(page)
    shoot(page, "comments-phone")
    assert Conversation.objects.get().employee_comments == "I would like the course before acting up."
    assert problems == []


def test_it_takes_a_held_conversation_to_both_sign_offs(page, live_server, people, sign_in, shoot, problems):
    """The manager marks it held, records it in TGROW and signs off; the employee reads, comments and signs off."""
    from datetime import timedelta

    manager, employee = people
    conversation = BookedConversationFactory(
        employee=employee, host=manager, starts_at=timezone.now() - timedelta(hours=1)
    )
    sign_in(page, "ward-manager", PASSWORD)
    page.goto(address(live_server, "detail", conversation))
    page.get_by_role("link", name="Mark as held and record it").click()
    page.get_by_role("button", name="Yes, mark as held").click()
    expect(page.get_by_text("Marked as held.")).to_be_visible()
    expect(page).to_have_url(address(live_server, "record", conversation))
    for part, text in [
        ("Topic", "Next steps after two years as a staff nurse"),
        ("Goal", "Ready to apply for a band 6 post within 12 months"),
        ("Reality", "Confident clinically; little experience of leading shifts"),
        ("Options", "Shadow the charge nurse; lead two shifts a month"),
        ("Way forward", "Lead two shifts a month from January, with a debrief each time"),
    ]:
        page.get_by_role("textbox", name=part, exact=True).fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(address(live_server, "detail", conversation))
    expect(page.get_by_text("Lead two shifts a month from January")).to_be_visible()
    page.get_by_role("link", name="Sign off the record").click()
    expect(page.get_by_text(f"{employee.full_name} is emailed that the record is ready")).to_be_visible()
    page.get_by_role("button", name="Yes, sign off the record").click()
    expect(page.get_by_text("Signed off.")).to_be_visible()
    shoot(page, "conversation-host-signed-off")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "staff-nurse", PASSWORD)
    expect(page.get_by_text("Read the record, comment and sign off")).to_be_visible()
    page.get_by_role("link", name="Read the record, comment and sign off").click()
    expect(page.get_by_text("Ready to apply for a band 6 post within 12 months")).to_be_visible()
    page.get_by_role("link", name="Add your comments").click()
    page.get_by_role("textbox").first.fill("A fair summary. I would like to start in January.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(address(live_server, "detail", conversation))
    expect(page.get_by_text("I would like to start in January.")).to_be_visible()
    page.get_by_role("link", name="Agree and sign off").click()
    page.get_by_role("button", name="Yes, sign off the record").click()
    expect(page.get_by_text("Signed off", exact=True).first).to_be_visible()
    shoot(page, "conversation-signed-off-employee")
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.SIGNED_OFF
    assert conversation.reviews.count() == 2
    assert problems == []
