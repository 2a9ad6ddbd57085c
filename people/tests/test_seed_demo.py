import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from conversations.models import Conversation
from people.access import HR_GROUP, SUPPORTER_GROUP, is_in_line
from people.demo import DEMO_PASSWORD, DEMO_USERNAMES
from people.factories import EmployeeFactory
from people.models import Department, Employee, EqualityProfile

User = get_user_model()


def seed(employees: int = 60, **options) -> str:
    out = StringIO()
    call_command("seed_demo", employees=employees, stdout=out, **options)
    return out.getvalue()


def demo(username: str) -> Employee:
    return Employee.objects.select_related("user").get(user__username=username)


def snapshot() -> list[tuple]:
    """Everything the seeding decides about each person, in a comparable form."""
    people = Employee.objects.order_by("staff_number").values_list(
        "staff_number",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "job_title",
        "band",
        "department__name",
        "department__parent__name",
        "site",
        "line_manager__staff_number",
        "start_date",
        "equality_profile__sex",
        "equality_profile__ethnic_group",
        "equality_profile__age_band",
    )
    groups = User.groups.through.objects.order_by("user__username", "group__name").values_list(
        "user__username", "group__name"
    )
    conversations = Conversation.objects.order_by("calendar_uid").values_list(
        "calendar_uid", "employee__staff_number", "host__staff_number", "status", "starts_at", "topic"
    )
    return [*people, *groups, *conversations]


def everything_delete() -> None:
    Conversation.objects.all().delete()
    Employee.objects.all().delete()
    User.objects.all().delete()
    for level in reversed(Department.Level):  # children first: parents are protected
        Department.objects.filter(level=level).delete()


def test_it_creates_the_demo_accounts_with_the_demo_password(db):
    seed()
    for username in DEMO_USERNAMES:
        assert demo(username).user.check_password(DEMO_PASSWORD), username


def test_it_gives_everyone_else_an_unusable_password(db):
    seed()
    others = User.objects.exclude(username__in=DEMO_USERNAMES)
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)
    assert set(others.values_list("username", flat=True)) == set(
        Employee.objects.filter(user__in=others).values_list("staff_number", flat=True)
    )


def test_it_puts_the_employee_in_the_managers_team(db):
    seed()
    assert demo("employee").line_manager == demo("manager")


@pytest.mark.parametrize("employees", [12, 13, 20, 60, 300])
def test_it_gives_the_manager_at_least_six_direct_reports(db, employees):
    seed(employees)
    assert demo("manager").direct_reports.count() >= 6


def test_it_puts_hr_and_the_supporter_in_their_groups(db):
    seed()
    assert demo("hr").user.groups.filter(name=HR_GROUP).exists()
    hr_department = demo("hr").department.parent
    assert (hr_department.name, hr_department.parent.name) == ("Workforce and People", "Corporate Services")
    assert demo("supporter").user.groups.filter(name=SUPPORTER_GROUP).exists()
    assert not demo("manager").user.groups.exists()
    assert not demo("employee").user.groups.exists()


@pytest.mark.parametrize("employees", [12, 300])
def test_it_keeps_the_supporter_out_of_the_managers_line(db, employees):
    seed(employees)
    assert not is_in_line(demo("manager"), demo("supporter"))
    assert is_in_line(demo("manager"), demo("employee"))


@pytest.mark.parametrize("employees", [12, 13, 50, 61, 300])
def test_it_creates_exactly_the_number_of_employees_asked_for(db, employees):
    seed(employees)
    assert Employee.objects.count() == employees
    assert User.objects.count() == employees


@pytest.mark.parametrize("employees", [12, 300])
def test_it_builds_one_management_chain_without_cycles(db, employees):
    seed(employees)
    manager_of = dict(Employee.objects.values_list("pk", "line_manager_id"))
    assert [pk for pk, manager in manager_of.items() if manager is None] == [
        Employee.objects.get(job_title="Chief Executive").pk
    ]
    for pk in manager_of:
        seen = set()
        while pk is not None:
            assert pk not in seen, "management cycle"
            seen.add(pk)
            pk = manager_of[pk]


def test_it_builds_the_organisation_tree(db):
    seed(300)
    organisation = Department.objects.get(level=Department.Level.ORGANISATION)
    directorates = set(organisation.children.values_list("name", flat=True))
    assert directorates == {
        "Medicine",
        "Surgery",
        "Women's and Children's",
        "Clinical Support Services",
        "Corporate Services",
        "Estates and Facilities",
    }
    assert Department.objects.filter(level=Department.Level.TEAM).exists()
    assert not Department.objects.filter(level=Department.Level.TEAM, employees=None).exists()
    assert Employee.objects.filter(department__level=Department.Level.TEAM).count() > 250


def test_it_records_equality_data_for_most_but_not_all_staff(db):
    seed(300)
    share = EqualityProfile.objects.count() / 300
    assert 0.6 < share < 0.8
    assert EqualityProfile.objects.filter(ethnic_group=EqualityProfile.EthnicGroup.NOT_SAID).exists()


def test_it_makes_unique_emails(db):
    seed(300)
    emails = list(User.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    assert all(email.endswith("@riverside.nhs.uk") for email in emails)


@pytest.mark.parametrize("clock", ["14:37", "00:11"], ids=["afternoon", "just-after-midnight"])
def test_it_makes_the_same_organisation_every_time(db, clock):
    """Two seedings a moment apart agree, even in the first hour of the day (CI once ran at 00:11)."""
    hour, minute = map(int, clock.split(":"))
    at = datetime(2026, 12, 3, hour, minute, 17, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(at, tick=True):
        seed(120)
        first = snapshot()
        everything_delete()
        seed(120)
    assert snapshot() == first


def test_it_leaves_a_database_with_staff_alone_when_asked_to_seed_if_empty(db):
    seed(20)
    before = snapshot()
    out = seed(300, if_empty=True)
    assert "already has staff" in out
    assert snapshot() == before


def test_it_seeds_an_empty_database_when_asked_to_seed_if_empty(db):
    seed(20, if_empty=True)
    assert Employee.objects.count() == 20


def test_it_refuses_to_seed_over_the_demo_accounts(db):
    seed(20)
    with pytest.raises(CommandError, match=r"rm var/talentapp\.sqlite3"):
        seed(20)
    assert Employee.objects.count() == 20


def test_it_never_adds_the_demo_to_an_organisation_with_staff(db):
    EmployeeFactory()
    with pytest.raises(CommandError, match="only fills an empty database"):
        seed(20)
    assert "already has staff" in seed(20, if_empty=True)
    assert Employee.objects.count() == 1


@pytest.mark.parametrize("employees", [0, 11])
def test_it_refuses_fewer_than_twelve_employees(db, employees):
    with pytest.raises(CommandError, match="at least 12"):
        seed(employees)
    assert not Employee.objects.exists()


def test_it_prints_the_demo_sign_ins(db):
    out = seed(20)
    assert "20 employees" in out
    assert DEMO_PASSWORD in out
    for username in DEMO_USERNAMES:
        assert f"  {username} " in out


def test_it_prints_nothing_at_verbosity_zero(db):
    assert seed(20, verbosity=0) == ""
    assert seed(20, if_empty=True, verbosity=0) == ""


def test_it_lists_the_demo_accounts_for_the_local_sign_in_provider(db):
    seed()
    out = StringIO()
    call_command("sso_demo_accounts", stdout=out)
    accounts = {account["login"]: account["claims"] for account in json.loads(out.getvalue())}
    assert set(accounts) == {*DEMO_USERNAMES, "newstarter"}
    for username in DEMO_USERNAMES:
        person = demo(username)
        assert accounts[username]["employeeid"] == person.staff_number
        assert accounts[username]["email"] == person.user.email
        assert accounts[username]["email_verified"] is True
    assert not Employee.objects.filter(staff_number=accounts["newstarter"]["employeeid"]).exists()
    assert not User.objects.filter(email__iexact=accounts["newstarter"]["email"]).exists()
