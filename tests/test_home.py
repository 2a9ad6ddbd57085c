import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.factories import (
    BookedConversationFactory,
    ConversationFactory,
    HeldConversationFactory,
    ReviewFactory,
)
from conversations.models import Conversation
from grid.factories import PlacementFactory
from pdp.factories import PlanFactory
from people.factories import EmployeeFactory, UserFactory
from people.models import Department, Employee


def get_home(client, employee):
    client.force_login(employee.user)
    return client.get(reverse("home"))


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_shows_an_employee_their_details_and_what_will_appear(client, cast):
    response = get_home(client, cast.employee)
    content = response.content.decode()
    assert cast.employee.job_title in content
    assert cast.manager.full_name in content
    assert "Nothing waiting for you" in content
    assert "Your team" not in content
    assert "Import staff" not in content


def test_it_shows_a_manager_their_team(client, cast):
    content = get_home(client, cast.manager).content.decode()
    assert "Your team" in content
    assert cast.employee.full_name in content
    assert reverse("person_detail", args=[cast.employee.pk]) in content


def test_it_counts_a_senior_managers_whole_line(client, cast):
    content = get_home(client, cast.senior_manager).content.decode()
    assert "1 direct report, 2 people in your whole line" in content


def test_it_shows_a_supporter_their_requests(client, cast):
    content = get_home(client, cast.supporter).content.decode()
    assert "Edit your directory entry" in content
    assert "Your team" not in content


def test_it_shows_hr_the_organisation_and_administration(client, cast):
    content = get_home(client, cast.hr).content.decode()
    assert "7 staff" in content
    assert reverse("staff_import") in content
    assert reverse("access_log") in content
    assert reverse("opportunities:uptake") in content


def test_it_tells_an_unlinked_account_what_to_do(client, db):
    client.force_login(UserFactory())
    content = client.get("/").content.decode()
    assert "not linked to a staff record" in content


@pytest.mark.parametrize("reports", [3, 30])
def test_it_shows_a_managers_home_in_constant_queries(client, db, django_assert_max_num_queries, reports):
    manager = EmployeeFactory()
    EmployeeFactory.create_batch(reports, line_manager=manager)
    client.force_login(manager.user)
    ConversationFactory.create_batch(reports, host=manager)
    client.force_login(manager.user)
    with django_assert_max_num_queries(15):
        response = client.get("/")
    assert response.content.decode().count("/people/") >= reports


# What needs you now ------------------------------------------------------------------


def needs_you(content: str) -> str:
    """The "Needs you now" card of a home page."""
    start = content.index('id="needs-you"')
    return content[start : content.index("</section>", start)]


def test_it_shows_a_new_request_among_more_than_five_waiting(client, cast):
    old = timezone.now() - datetime.timedelta(days=30)
    for _ in range(6):
        Conversation.objects.filter(pk=ConversationFactory(host=cast.manager).pk).update(created_at=old)
    newest = EmployeeFactory(line_manager=cast.manager, user__first_name="Newest")
    ConversationFactory(host=cast.manager, employee=newest)
    card = needs_you(get_home(client, cast.manager).content.decode())
    assert "Newest" in card
    assert ">7<" in card
    assert "Overdue or waiting: 6" in card
    assert "Today: 1" in card


def test_it_says_how_many_more_and_links_to_all_of_them(client, cast):
    ConversationFactory.create_batch(12, host=cast.manager)
    card = needs_you(get_home(client, cast.manager).content.decode())
    assert card.count('class="list-group-item') == 10
    assert "See all 12 conversations that need you (2 more)" in card
    assert reverse("conversations:list") + "?show=waiting" in card


def test_it_lists_in_the_order_of_the_conversations_list(client, cast):
    today = timezone.localdate()
    people = [EmployeeFactory(line_manager=cast.manager, user__first_name=name) for name in ("Adaqx", "Beaqx", "Caiqx")]
    ReviewFactory(follows__host=cast.manager, follows__employee=people[0], due_on=today + datetime.timedelta(days=3))
    ReviewFactory(follows__host=cast.manager, follows__employee=people[1], due_on=today - datetime.timedelta(days=3))
    BookedConversationFactory(
        host=cast.manager, employee=people[2], starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    client.force_login(cast.manager.user)
    card = needs_you(client.get("/").content.decode())
    order = [card.index(name) for name in ("Beaqx", "Caiqx", "Adaqx")]
    assert order == sorted(order)
    listed = client.get(reverse("conversations:list") + "?show=waiting").content.decode()
    order = [listed.index(name) for name in ("Beaqx", "Caiqx", "Adaqx")]
    assert order == sorted(order)


def test_it_leads_to_the_record_of_a_conversation_whose_time_has_come(client, cast):
    conversation = BookedConversationFactory(
        host=cast.manager, employee=cast.employee, starts_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    card = needs_you(get_home(client, cast.manager).content.decode())
    assert "Record the conversation" in card
    assert reverse("conversations:record", args=[conversation.pk]) in card


def test_it_says_a_record_waiting_for_the_employee_is_waiting_and_a_missed_record_is_overdue(client, cast):
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    HeldConversationFactory(
        host=cast.manager, employee=cast.employee, held_at=three_days_ago, host_signed_off_at=three_days_ago
    )
    card = needs_you(get_home(client, cast.employee).content.decode())
    assert f"Waiting since {timezone.localtime(three_days_ago):%-d %b}" in card
    assert "Overdue since" not in card
    report = EmployeeFactory(line_manager=cast.manager)
    BookedConversationFactory(host=cast.manager, employee=report, starts_at=three_days_ago)
    card = needs_you(get_home(client, cast.manager).content.decode())
    assert f"Overdue since {timezone.localtime(three_days_ago):%-d %b}" in card


def test_it_words_the_employees_rows_from_their_side(client, cast):
    BookedConversationFactory(host=cast.manager, employee=cast.employee)
    card = needs_you(get_home(client, cast.employee).content.decode())
    assert f"Your talent conversation with {cast.manager.full_name}" in card


def test_it_flags_an_employees_review_due_today(client, cast):
    ReviewFactory(follows__host=cast.manager, follows__employee=cast.employee, due_on=timezone.localdate())
    content = get_home(client, cast.employee).content.decode()
    assert "Due today" in content


# HR's workspace ---------------------------------------------------------------------


def test_it_gives_hr_the_trust_wide_figures(client, cast):
    HeldConversationFactory(host=cast.manager, employee=cast.employee)
    ReviewFactory(
        follows__host=cast.manager,
        follows__employee=cast.employee,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    PlacementFactory(employee=cast.employee)
    PlanFactory(
        employee=cast.employee,
        manager=cast.manager,
        status="agreed",
        employee_signed_off_at=timezone.now(),
        manager_signed_off_at=timezone.now(),
    )
    content = get_home(client, cast.hr).content.decode()
    assert "HR workspace" in content
    # Two held (the conversation and the one the review follows), one review overdue.
    assert "Conversations held since" in content
    assert "Reviews overdue" in content
    assert "Staff placed on the grid" in content
    assert "(1 of 7)" in content
    assert "Current plans agreed" in content
    for name in [
        "grid:dashboard",
        "grid:calibration",
        "conversations:reviews",
        "pdp:list",
        "pdp:exports",
        "staff_import",
    ]:
        assert reverse(name) in content, name


def test_it_keeps_hrs_own_part_as_an_employee(client, cast):
    cast.hr.line_manager = cast.senior_manager
    cast.hr.save()
    BookedConversationFactory(host=cast.senior_manager, employee=cast.hr)
    content = get_home(client, cast.hr).content.decode()
    assert "HR workspace" in content
    assert "Prepare your answers and share them" in needs_you(content)
    assert "Your development plan" in content


def test_the_trust_wide_figures_count_from_the_quarters_first_london_midnight_and_leave_leavers_out(cast):
    from talentapp.workspace import trust_figures

    london = zoneinfo.ZoneInfo("Europe/London")
    for held_at in [
        datetime.datetime(2026, 9, 30, 23, 30, tzinfo=london),  # the quarter before
        datetime.datetime(2026, 10, 1, 0, 30, tzinfo=london),  # 23:30 UTC on 30 September
    ]:
        HeldConversationFactory(host=cast.manager, employee=EmployeeFactory(), held_at=held_at)
    for days, status in [(-2, "booked"), (-1, "requested"), (0, "booked"), (-3, "cancelled")]:
        ReviewFactory(
            starts_at=datetime.datetime(2026, 11, 25, 10, tzinfo=london) if status == "booked" else None,
            duration_minutes=60,
            follows__host=cast.manager,
            follows__employee=EmployeeFactory(),
            follows__held_at=datetime.datetime(2026, 5, 1, 10, tzinfo=london),
            due_on=datetime.date(2026, 11, 20) + datetime.timedelta(days=days),
            status=status,
        )
    leaver = EmployeeFactory(left_on=datetime.date(2026, 11, 1))
    PlacementFactory(employee=leaver)
    PlacementFactory(employee=cast.employee)
    staff = Employee.objects.filter(left_on__isnull=True).count()

    figures = trust_figures(today=datetime.date(2026, 11, 20))

    assert figures.quarter_from == datetime.date(2026, 10, 1)
    assert figures.held_this_quarter == 1
    assert figures.reviews_overdue == 2
    assert (figures.staff, figures.placed) == (staff, 1)
    assert figures.units == Department.objects.count()


def test_it_shows_the_hr_workspace_in_constant_queries(client, db, django_assert_max_num_queries):
    from people.factories import make_hr

    hr = make_hr()
    counts = []
    for size in (5, 40):
        EmployeeFactory.create_batch(size)
        for person in EmployeeFactory.create_batch(size // 5):
            PlacementFactory(employee=person)
            HeldConversationFactory(employee=person)
        client.force_login(hr.user)
        with django_assert_max_num_queries(20) as captured:
            assert client.get("/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ["employee", "manager", "supporter"])
def test_it_shows_each_roles_home_in_constant_queries(client, db, django_assert_max_num_queries, role):
    from pdp.factories import ActionFactory
    from people.factories import make_supporter

    me = make_supporter() if role == "supporter" else EmployeeFactory()
    plan = PlanFactory(employee=me)
    today = timezone.localdate()
    client.force_login(me.user)
    counts = []
    for size in (3, 30):
        if role == "manager":
            for person in EmployeeFactory.create_batch(size, line_manager=me):
                ConversationFactory(host=me, employee=person)
                # Their reports' plan actions are not the manager's to do: none is read.
                ActionFactory(plan__employee=person, plan__manager=me, due_on=today)
        elif role == "supporter":
            ConversationFactory.create_batch(size, host=me, kind="career", origin="supporter_request")
        else:
            ReviewFactory.create_batch(size // 3, follows__employee=me, due_on=today + datetime.timedelta(days=90))
        # Their own plan's actions, due today, overdue and this week, among what needs them.
        for days in range(size):
            ActionFactory(plan=plan, due_on=today + datetime.timedelta(days=days % 7 - 3))
        client.get("/")  # the session's save out of the count
        with django_assert_max_num_queries(16) as captured:
            assert client.get("/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Plan actions and reviews among what needs you -----------------------------------------


def bands_of(card: str) -> dict[str, str]:
    """The rows of each band of urgency in a "Needs you now" card, by heading."""
    import re

    parts = re.split(r'<h3 class="needs-you-band[^"]*"[^>]*>(.*?)</h3>', card)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def own_plan(employee):
    return PlanFactory(employee=employee, manager=employee.line_manager)


def test_it_lists_an_employees_own_plan_actions_due_now_by_urgency(client, cast):
    from pdp.factories import ActionFactory

    today = timezone.localdate()
    plan = own_plan(cast.employee)
    late = ActionFactory(plan=plan, description="Book the leadership course", due_on=today - datetime.timedelta(days=4))
    ActionFactory(plan=plan, description="Shadow the matron", due_on=today)
    ActionFactory(plan=plan, description="Meet the mentor", due_on=today + datetime.timedelta(days=3))
    ActionFactory(plan=plan, description="Far off action", due_on=today + datetime.timedelta(days=40))
    ActionFactory(plan=plan, description="Finished action", due_on=today - datetime.timedelta(days=9), status="done")
    ActionFactory(plan=plan, description="Dropped action", due_on=today - datetime.timedelta(days=9), status="dropped")
    card = needs_you(get_home(client, cast.employee).content.decode())
    bands = bands_of(card)
    assert "Book the leadership course" in bands["Overdue or waiting"]
    assert "Overdue" in bands["Overdue or waiting"]
    assert "Shadow the matron" in bands["Today"]
    assert "Due today" in bands["Today"]
    assert "Meet the mentor" in bands["This week"]
    for absent in ("Far off action", "Finished action", "Dropped action"):
        assert absent not in card
    assert f'href="{reverse("pdp:mine")}#action-{late.pk}"' in card
    assert ">3<" in card  # the count includes them
    assert "Overdue or waiting: 1 · Today: 1 · This week: 1" in card


def test_it_puts_the_plan_actions_among_the_conversations_in_one_order(client, cast):
    from pdp.factories import ActionFactory

    today = timezone.localdate()
    ReviewFactory(
        follows__host=cast.manager, follows__employee=cast.employee, due_on=today + datetime.timedelta(days=2)
    )
    ActionFactory(
        plan=own_plan(cast.employee), description="Shadow the matron", due_on=today + datetime.timedelta(days=1)
    )
    card = needs_you(get_home(client, cast.employee).content.decode())
    week = bands_of(card)["This week"]
    assert week.index("Shadow the matron") < week.index("6-month review")


def test_it_leaves_a_managers_reports_plan_actions_to_them(client, cast):
    from pdp.factories import ActionFactory

    ActionFactory(plan=own_plan(cast.employee), description="Shadow the matron", due_on=timezone.localdate())
    assert "Shadow the matron" not in needs_you(get_home(client, cast.manager).content.decode())
    assert "Shadow the matron" in needs_you(get_home(client, cast.employee).content.decode())


def test_it_puts_an_employees_reviews_months_away_under_later(client, cast):
    today = timezone.localdate()
    soon = ReviewFactory(follows__host=cast.manager, follows__employee=cast.employee, due_on=today)
    far = ReviewFactory(
        follows=soon.follows, kind=Conversation.Kind.TWELVE_MONTH, due_on=today + datetime.timedelta(days=150)
    )
    card = needs_you(get_home(client, cast.employee).content.decode())
    bands = bands_of(card)
    assert "Due today" in bands["Today"]
    assert reverse("conversations:detail", args=[soon.pk]) in bands["Today"]
    assert reverse("conversations:detail", args=[far.pk]) in bands["Later"]
    assert far.due_on.strftime("%-d %b %Y") in bands["Later"]
    assert "Overdue" not in bands["Later"]
    assert list(bands) == ["Today", "Later"]


def test_it_links_to_all_of_each_kind_that_needs_you(client, cast):
    from pdp.factories import ActionFactory

    ConversationFactory.create_batch(11, host=cast.manager)
    plan = own_plan(cast.manager)
    ActionFactory.create_batch(2, plan=plan, due_on=timezone.localdate())
    card = needs_you(get_home(client, cast.manager).content.decode())
    assert card.count('class="list-group-item') == 10
    assert "See all 11 conversations that need you" in card
    assert f'href="{reverse("pdp:mine")}#actions"' in card
