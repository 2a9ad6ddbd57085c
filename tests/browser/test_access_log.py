"""HR finds out who read a person's records: from the home page to the log, filtered by name,
and from the person's staff record; at desktop and phone width."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_shows_hr_who_read_a_persons_records(page, live_server, demo, sign_in, screenshot):
    from people.models import Employee

    employee = Employee.objects.select_related("user").get(user__username="employee")
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/people/{employee.pk}/")  # the manager reads the record: logged
    page.goto(f"{live_server.url}/grid/")  # a grid view: one entry for everyone it names
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hr")
    page.get_by_role("link", name=re.compile("Who read confidential records")).click()
    expect(page.get_by_role("heading", name="Who read confidential records", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Grid placements of \d+ people")).first).to_be_visible()
    screenshot(page, "access-log-hr")

    page.get_by_label("Whose records").fill(employee.staff_number)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text(f"Staff record of {employee.full_name}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d")).first).to_be_visible()
    screenshot(page, "access-log-person-hr")

    page.goto(f"{live_server.url}/people/{employee.pk}/")
    page.get_by_role("link", name=re.compile("Who has read")).click()
    expect(page.get_by_label("Whose records")).to_have_value(employee.full_name)
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "access-log-person-phone")
