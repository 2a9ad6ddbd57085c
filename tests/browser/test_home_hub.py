"""Browser journeys for the home pages, the person as a hub and the wording from the reader's
side, with screenshots of each page at desktop (1280 px) and phone (375 px) width."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def both(screenshot):
    """Screenshots of the page at desktop and at phone width."""

    def take(page, name: str) -> None:
        page.set_viewport_size(DESKTOP)
        screenshot(page, f"{name}-desktop")
        page.set_viewport_size(PHONE)
        screenshot(page, f"{name}-phone")
        page.set_viewport_size(DESKTOP)

    return take


def demo_person(username: str):
    from people.models import Employee

    return Employee.objects.select_related("user").get(user__username=username)


def a_report_whose_conversation_has_started():
    """One of the demo manager's reports, other than the demo employee, with a talent conversation
    that began an hour ago."""
    from django.utils import timezone

    from conversations.factories import BookedConversationFactory

    manager = demo_person("manager")
    report = manager.direct_reports.exclude(user__username="employee").select_related("user").first()
    report.conversations.filter(status__in=["requested", "booked"]).update(status="cancelled")
    return BookedConversationFactory(
        host=manager, employee=report, starts_at=timezone.now() - timedelta(hours=1), duration_minutes=60
    )


def test_it_leads_a_manager_from_home_to_the_record_and_through_holding_it(page, live_server, demo, sign_in, both):
    conversation = a_report_whose_conversation_has_started()
    sign_in(page, "manager")
    needs_you = page.get_by_role("region", name="Needs you now")
    expect(needs_you).to_contain_text(conversation.employee.full_name)
    both(page, "home-manager")
    needs_you.get_by_role("link", name="Record the conversation").first.click()
    expect(page).to_have_url(f"{live_server.url}/conversations/{conversation.pk}/record/")
    both(page, "record-time-has-come")
    page.get_by_role("link", name="Mark as held").click()
    expect(
        page.get_by_role(
            "heading", name=f"Mark the talent conversation with {conversation.employee.full_name} as held?"
        )
    ).to_be_visible()
    both(page, "confirm-hold")
    page.get_by_role("button", name="Yes, mark as held").click()
    expect(page).to_have_url(f"{live_server.url}/conversations/{conversation.pk}/record/")
    expect(page.get_by_text("Marked as held")).to_be_visible()
    expect(page.get_by_text("The reviews are scheduled for")).to_be_visible()
    both(page, "record-after-held")


def test_it_gives_a_manager_a_hub_for_each_person_and_a_live_box_suggestion(page, live_server, demo, sign_in, both):
    employee = demo_person("employee")
    sign_in(page, "manager")
    page.get_by_role("link", name="My team").click()
    page.get_by_role("link", name=employee.full_name).first.click()
    expect(page.get_by_role("heading", name=employee.full_name, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    expect(page.get_by_role("link", name="Start a conversation")).to_be_visible()
    both(page, "person-hub-manager")
    page.get_by_role("link", name="Place on the grid").click()
    form = page.locator("#placement-form")
    form.locator('input[name="performance"][value="3"]').check()
    for name in ("aspiration", "engagement", "ability", "leadership_values"):
        form.locator(f'input[name="{name}"][value="3"]').check()
    suggestion = page.locator("#box-suggestion")
    expect(suggestion).to_contain_text("These ratings place James in box")
    first = suggestion.inner_text()
    form.locator('input[name="performance"][value="1"]').check()
    expect(suggestion).not_to_have_text(first)
    both(page, "place-live-box")


def test_it_words_the_employees_pages_from_their_side(page, live_server, demo, sign_in, both):
    from conversations.factories import BookedConversationFactory

    employee, manager = demo_person("employee"), demo_person("manager")
    employee.conversations.filter(status__in=["requested", "booked", "held"]).update(status="cancelled")
    conversation = BookedConversationFactory(host=manager, employee=employee)
    sign_in(page, "employee")
    needs_you = page.get_by_role("region", name="Needs you now")
    expect(needs_you).to_contain_text("Your talent conversation with Sarah Thompson")
    both(page, "home-employee")
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    expect(page.get_by_role("heading", name="Your talent conversation with Sarah Thompson")).to_be_visible()
    expect(page.get_by_text("Sarah Thompson is your line manager")).to_be_visible()
    both(page, "conversation-employee")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/conversations/")
    row = page.locator("tbody tr").first
    expect(row.get_by_role("link")).to_have_text("Your talent conversation with Sarah Thompson")
    expect(row.locator(".d-md-none")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    both(page, "conversations-list")
    page.get_by_role("link", name="Supporters", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/conversations/nominate/")
    expect(page.get_by_label("Sarah Thompson, Ward Manager (your line manager)")).to_be_visible()
    both(page, "nominate-line-manager")
    page.goto(f"{live_server.url}/people/{employee.pk}/")
    expect(page.get_by_role("heading", name="Conversations")).to_be_visible()
    both(page, "person-hub-self")


def test_it_gives_hr_a_workspace(page, live_server, demo, sign_in, both):
    sign_in(page, "hr")
    workspace = page.get_by_role("region", name="HR workspace")
    for figure in ("Conversations held since", "Reviews overdue", "Staff placed on the grid", "Current plans agreed"):
        expect(workspace).to_contain_text(figure)
    both(page, "home-hr")
    workspace.get_by_role("link", name="Export plans as PDFs").click()
    expect(page).to_have_url(f"{live_server.url}/pdp/exports/")


def test_it_shows_a_supporter_their_home_and_own_checklist(page, live_server, demo, sign_in, both):
    from conversations.factories import BookedConversationFactory

    supporter = demo_person("supporter")
    employee = demo_person("employee")
    conversation = BookedConversationFactory(
        host=supporter, employee=employee, kind="career", origin="supporter_request"
    )
    sign_in(page, "supporter")
    both(page, "home-supporter")
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/")
    expect(page.get_by_text("I have read their request")).to_be_visible()
    both(page, "conversation-supporter-checklist")


def test_it_keeps_the_managers_buttons_in_proportion_and_filters_to_their_line(page, live_server, demo, sign_in, both):
    from conversations.factories import BookedConversationFactory, ConversationFactory
    from pdp.factories import ActionFactory, PlanFactory

    manager = demo_person("manager")
    reports = list(manager.direct_reports.exclude(user__username="employee").select_related("user")[:3])
    for report in reports:
        report.conversations.filter(status__in=["requested", "booked"]).update(status="cancelled")
    requested = ConversationFactory(
        host=manager, employee=reports[0], origin="nomination", statement="I would like to grow."
    )
    booked = BookedConversationFactory(host=manager, employee=reports[1])
    report = reports[2]
    report.plans.filter(is_current=True).update(is_current=False, status="closed")
    plan = PlanFactory(employee=report, manager=manager)
    from django.utils import timezone

    ActionFactory(plan=plan, due_on=timezone.localdate() - timedelta(days=3))
    ActionFactory(plan=plan, due_on=timezone.localdate())
    sign_in(page, "manager")

    page.goto(f"{live_server.url}/conversations/{requested.pk}/")
    expect(page.get_by_role("link", name="Decline")).to_have_class("btn btn-outline-danger")
    expect(page.get_by_role("link", name="Cancel", exact=True)).to_have_class("btn btn-outline-secondary")
    both(page, "conversation-requested-manager")
    page.goto(f"{live_server.url}/conversations/{booked.pk}/")
    expect(page.get_by_role("link", name="Rebook")).to_have_class("btn btn-outline-secondary")
    both(page, "conversation-booked-manager")

    page.goto(f"{live_server.url}/pdp/{plan.pk}/")
    expect(page.get_by_role("heading", name="Way forward (draft)")).to_be_visible()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(page.get_by_text("Due today", exact=True)).to_be_visible()
    both(page, "plan-draft-manager")

    page.goto(f"{live_server.url}/grid/")
    options = page.locator('select[name="department"] option').all_inner_texts()
    assert options[0] == "Your whole line"
    assert "Workforce and People" not in options
    both(page, "grid-manager-filters")


# Asking once before what cannot be undone, and what needs you now ---------------------------


def test_it_asks_the_employee_once_before_they_sign_off_their_record(page, live_server, demo, sign_in, both):
    """The demo employee's record is held and signed by Sarah, waiting for them."""
    from conversations.models import Conversation

    held = Conversation.objects.get(employee__user__username="employee", status="held")
    sign_in(page, "employee")
    page.get_by_role("region", name="Needs you now").get_by_role(
        "link", name="Read the record, comment and sign off"
    ).click()
    page.get_by_role("link", name="Agree and sign off").click()
    expect(page).to_have_url(f"{live_server.url}/conversations/{held.pk}/sign-off/")
    expect(
        page.get_by_role("heading", name="Sign off the record of your talent conversation with Sarah Thompson?")
    ).to_be_visible()
    expect(page.get_by_text("neither of you can change it, and your comments are final")).to_be_visible()
    expect(page.get_by_text("Sarah Thompson is emailed that you signed it off.")).to_be_visible()
    both(page, "confirm-employee-sign-off")
    page.get_by_role("link", name="No, back to the conversation").click()
    expect(page).to_have_url(f"{live_server.url}/conversations/{held.pk}/")
    held.refresh_from_db()
    assert held.status == "held"

    page.get_by_role("link", name="Agree and sign off").click()
    page.get_by_role("button", name="Yes, sign off the record").click()
    expect(page.get_by_text("Sarah Thompson has been emailed that you signed it off.")).to_be_visible()
    expect(page.get_by_text("Your reviews are due on")).to_be_visible()
    held.refresh_from_db()
    assert held.status == "signed_off"


def test_it_asks_the_manager_once_before_signing_off_todays_record(page, live_server, demo, sign_in, both):
    """The demo manager's conversation of earlier today: held, recorded, then signed off."""
    from django.utils import timezone

    from conversations.models import Conversation

    today = Conversation.objects.select_related("employee__user").get(
        host__user__username="manager", status="booked", starts_at__date=timezone.localdate()
    )
    name = today.employee.full_name
    sign_in(page, "manager")
    page.get_by_role("region", name="Needs you now").get_by_role("link", name="Record the conversation").first.click()
    page.goto(f"{live_server.url}/conversations/{today.pk}/record/")
    page.get_by_role("link", name="Mark as held").click()
    expect(page.get_by_text("Its reviews are scheduled: the 6-month review is due")).to_be_visible()
    page.get_by_role("button", name="Yes, mark as held").click()
    page.get_by_role("textbox", name="Topic", exact=True).fill("Next steps in the team")
    page.get_by_role("textbox", name="Way forward", exact=True).fill("Lead the morning huddle twice a week.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{live_server.url}/conversations/{today.pk}/")
    page.get_by_role("link", name="Sign off the record").click()
    expect(
        page.get_by_role("heading", name=f"Sign off the record of the talent conversation with {name}?")
    ).to_be_visible()
    expect(page.get_by_text("Lead the morning huddle twice a week.")).to_be_visible()
    expect(
        page.get_by_text(f"{name} is emailed that the record is ready for them to read and sign off.")
    ).to_be_visible()
    both(page, "confirm-host-sign-off")
    page.get_by_role("button", name="Yes, sign off the record").click()
    expect(
        page.get_by_text(f"Signed off. {name} has been emailed to read and sign off; reviews are due on")
    ).to_be_visible()


def test_it_asks_the_manager_once_before_agreeing_a_plan(page, live_server, demo, sign_in, both):
    """A plan in the demo manager's team signed by the employee, waiting for the line."""
    from pdp.models import Plan

    plan = (
        Plan.objects.select_related("employee__user")
        .filter(employee__line_manager__user__username="manager", is_current=True, status="draft")
        .filter(employee_signed_off_at__isnull=False, manager_signed_off_at__isnull=True)
        .first()
    )
    name = plan.employee.full_name
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/pdp/{plan.pk}/")
    page.get_by_role("link", name="Sign off for the line").click()
    expect(page.get_by_role("heading", name=f"Sign off {name}'s development plan for the line?")).to_be_visible()
    expect(page.get_by_text("has signed already, so the plan becomes agreed today")).to_be_visible()
    expect(page.get_by_text(f"Nobody is emailed. {name} sees the plan as agreed")).to_be_visible()
    both(page, "confirm-plan-sign-off")
    page.get_by_role("button", name="Yes, sign off for the line").click()
    expect(page).to_have_url(f"{live_server.url}/pdp/{plan.pk}/#sign-off")
    expect(page.get_by_text("You have both signed: the plan is agreed.")).to_be_visible()
    expect(page.get_by_text(f"Nobody was emailed; {name} sees it agreed.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == "agreed"


def test_it_shows_the_employee_their_plan_actions_and_reviews_by_urgency(page, live_server, demo, sign_in, both):
    """The demo employee's own plan actions due now join what needs them; their reviews, months
    away, are under Later with their dates."""
    from django.utils import timezone

    from pdp.factories import ActionFactory
    from pdp.models import Plan

    employee = demo_person("employee")
    plan = Plan.objects.get(employee=employee, is_current=True)
    today = timezone.localdate()
    late = ActionFactory(
        plan=plan, description="Book a place on the preceptor course", due_on=today - timedelta(days=5)
    )
    ActionFactory(plan=plan, description="Send the audit summary to the matron", due_on=today)
    sign_in(page, "employee")
    needs_you = page.get_by_role("region", name="Needs you now")
    overdue = needs_you.locator("h3:text-is('Overdue or waiting') + ul")
    expect(overdue).to_contain_text("Book a place on the preceptor course")
    expect(overdue.get_by_text("Overdue", exact=True)).to_be_visible()
    expect(needs_you.locator("h3:text-is('Today') + ul")).to_contain_text("Send the audit summary to the matron")
    expect(needs_you.locator("h3:text-is('Today') + ul").get_by_text("Due today")).to_be_visible()
    later = needs_you.locator("h3:text-is('Later') + ul")
    expect(later.get_by_role("link", name="6-month review due")).to_be_visible()
    expect(later.get_by_role("link", name="12-month review due").first).to_be_visible()
    expect(later).to_contain_text("Your 6-month review with Sarah Thompson, who books a time for it")
    both(page, "home-employee-needs-you")
    needs_you.get_by_role("link", name="Book a place on the preceptor course").click()
    expect(page).to_have_url(f"{live_server.url}/pdp/#action-{late.pk}")
    expect(page.locator(f"#action-{late.pk}")).to_be_in_viewport()
