"""Browser journeys: choosing a person by name, with and without JavaScript, and the question
asked before an irreversible action."""

import re

import pytest
from django.db.models import Count
from playwright.sync_api import expect

from grid.models import CriticalRole, Successor
from people.models import Employee
from tests.browser.test_grid import watch_console

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}


def someone_with_a_unique_name() -> Employee:
    shared = (
        Employee.objects.values("user__first_name", "user__last_name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("user__last_name", flat=True)
    )
    return (
        Employee.objects.filter(user__is_active=True, line_manager__isnull=False)
        .exclude(user__last_name__in=shared)
        .exclude(user__username__in=["hr", "manager", "employee", "supporter"])
        .select_related("user")
        .order_by("staff_number")
        .first()
    )


def a_first_name_several_people_share() -> str:
    return (
        Employee.objects.filter(user__is_active=True)
        .values("user__first_name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("-n", "user__first_name")
        .values_list("user__first_name", flat=True)
        .first()
    )


def role_page(live_server) -> str:
    return f"{live_server.url}/grid/succession/{CriticalRole.objects.order_by('pk').first().pk}/"


def test_it_names_a_successor_by_typing_part_of_a_name(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    person = someone_with_a_unique_name()
    sign_in(page, "hr")
    page.goto(role_page(live_server))
    # last name then first name, as people say it: the matches appear as it is typed
    page.get_by_label("Successor", exact=True).press_sequentially(
        f"{person.user.last_name[:4]} {person.user.first_name[:3]}", delay=40
    )
    choice = page.get_by_role("radio", name=re.compile(re.escape(person.full_name)))
    expect(choice).to_be_visible()
    screenshot(page, "picker-matches-desktop")
    choice.check()
    page.get_by_label("Ready now").check()
    page.get_by_role("button", name="Name successor").click()
    expect(page.get_by_text(f"{person.full_name} is named as a successor.")).to_be_visible()
    assert Successor.objects.filter(employee=person).exists()

    page.set_viewport_size(PHONE)
    page.get_by_label("Successor", exact=True).press_sequentially(person.user.first_name[:3], delay=40)
    expect(page.locator(".person-matches").get_by_role("radio").first).to_be_visible()
    screenshot(page, "picker-matches-phone")
    assert problems == []


def test_it_names_a_successor_by_name_without_javascript(browser, live_server, demo, sign_in, screenshot):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page, "hr")
    page.goto(role_page(live_server))
    first_name = a_first_name_several_people_share()
    page.get_by_label("Successor", exact=True).fill(first_name)
    page.get_by_label("Ready in 1 to 2 years").check()
    page.get_by_role("button", name="Name successor").click()
    matches = re.compile(rf"people match “{first_name}”: choose one below")
    expect(page.locator("form").get_by_text(matches)).to_be_visible()
    screenshot(page, "picker-no-javascript-choose")
    choice = page.get_by_role("radio", name=re.compile(first_name)).first
    chosen = choice.get_attribute("value")
    choice.check()
    page.get_by_label("Ready in 1 to 2 years").check()
    page.get_by_role("button", name="Name successor").click()
    expect(page.get_by_text("is named as a successor.")).to_be_visible()
    assert Successor.objects.filter(employee__staff_number=chosen).exists()

    page.set_viewport_size(PHONE)
    page.get_by_label("Successor", exact=True).fill(first_name)
    page.get_by_role("button", name="Name successor").click()
    screenshot(page, "picker-no-javascript-choose-phone")
    context.close()


def test_it_asks_before_removing_a_successor(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    successor = Successor.objects.select_related("employee__user", "role").order_by("pk").first()
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/succession/{successor.role_id}/")
    page.get_by_role("link", name=f"Remove {successor.employee.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Remove {successor.employee.full_name} as a successor for {successor.role.title}?"
    )
    expect(page.get_by_text("This cannot be undone")).to_be_visible()
    screenshot(page, "confirm-remove-successor-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "confirm-remove-successor-phone")
    page.get_by_role("button", name=f"Remove {successor.employee.full_name}").click()
    expect(page.get_by_text(f"{successor.employee.full_name} is no longer named as a successor.")).to_be_visible()
    assert not Successor.objects.filter(pk=successor.pk).exists()
    assert problems == []


def test_it_filters_the_grid_by_a_line_manager_chosen_by_name(page, live_server, demo, sign_in, screenshot):
    problems = watch_console(page)
    manager = Employee.objects.select_related("user").get(user__username="manager")
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/")
    page.get_by_label("Line manager", exact=True).press_sequentially(manager.full_name, delay=30)
    page.get_by_role("radio", name=re.compile(re.escape(manager.full_name))).check()
    screenshot(page, "picker-grid-filter-desktop")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"manager_pick="))
    expect(page.get_by_text(manager.full_name).first).to_be_visible()
    page.set_viewport_size(PHONE)
    screenshot(page, "picker-grid-filter-phone")
    assert problems == []
