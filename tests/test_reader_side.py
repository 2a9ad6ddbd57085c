"""Pages worded from the reader's side, rows that say what and when, and confirmations that say
who was told and what happens next."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from grid.factories import PlacementFactory
from pdp.factories import ActionFactory, PlanFactory
from people.factories import EmployeeFactory


def page(client, who, url) -> str:
    client.force_login(who.user)
    return client.get(url).content.decode()


def test_it_heads_the_conversation_from_the_employees_side(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    content = page(client, cast.employee, reverse("conversations:detail", args=[conversation.pk]))
    assert f"Your talent conversation with {cast.manager.full_name}" in content
    assert "your line manager" in content
    assert f"Talent conversation: {cast.employee.full_name}" not in content


def test_it_makes_rebook_quiet_and_cancel_not_red(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    content = page(client, cast.manager, reverse("conversations:detail", args=[conversation.pk]))
    rebook = content[: content.index(">Rebook<")]
    assert "btn-primary" not in rebook[rebook.rindex("<a") :]
    cancel = content[: content.index(">Cancel<")]
    assert "btn-outline-danger" not in cancel[cancel.rindex("<a") :]


def test_it_keeps_decline_and_cancel_apart_in_colour(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    content = page(client, cast.manager, reverse("conversations:detail", args=[conversation.pk]))
    assert content.count("btn-outline-danger") == 1


def test_it_goes_on_to_the_record_once_held_and_says_when_the_reviews_are(client, cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:hold", args=[conversation.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("conversations:record", args=[conversation.pk])
    assert "The reviews are scheduled for" in response.content.decode()


def test_it_offers_mark_as_held_on_the_record_once_the_time_has_come(client, cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    content = page(client, cast.manager, reverse("conversations:record", args=[conversation.pk]))
    assert reverse("conversations:hold", args=[conversation.pk]) in content


def test_it_says_who_was_told_and_what_happens_next_on_sign_off(client, cast):
    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, way_forward="Shadow a matron")
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:sign_off", args=[conversation.pk]), follow=True)
    content = response.content.decode()
    assert f"Signed off. {cast.employee.full_name} has been emailed to read and sign off" in content


def test_it_keeps_with_kind_and_when_on_a_phone(client, cast):
    BookedConversationFactory(employee=cast.employee, host=cast.manager)
    content = page(client, cast.employee, reverse("conversations:list"))
    row = content[content.index("<tbody>") :]
    first_cell = row[: row.index("</td>")]
    phone_line = first_cell[first_cell.index('d-md-none">') :]
    assert f"Your talent conversation with {cast.manager.full_name}" in first_cell
    assert timezone.localtime(timezone.now() + datetime.timedelta(days=21)).strftime("%-d %b %Y") in phone_line


def test_it_names_the_line_manager_among_those_to_talk_to(client, cast):
    from people.factories import make_supporter

    make_supporter()
    content = page(client, cast.employee, reverse("conversations:nominate"))
    assert f"{cast.manager.full_name}, {cast.manager.job_title} (your line manager)" in content


def test_it_puts_the_supporter_directory_in_the_navigation(client, cast):
    content = page(client, cast.employee, reverse("home"))
    nav = content[content.index('id="main-nav"') : content.index("</nav>")]
    assert reverse("conversations:supporters") in nav


def test_it_gives_a_supporter_their_own_checklist(client, cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.supporter, kind="career", origin="supporter_request"
    )
    content = page(client, cast.supporter, reverse("conversations:detail", args=[conversation.pk]))
    assert "I have read their request" in content
    assert "I have read the last review and development plan" not in content


def test_it_never_calls_a_draft_plan_agreed(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    content = page(client, cast.employee, reverse("pdp:detail", args=[plan.pk]))
    assert "agreed with" not in content
    assert "Agreed way forward" not in content
    assert "Way forward (draft)" in content


def test_it_flags_overdue_and_due_today_plan_actions(client, cast):
    plan = PlanFactory(employee=cast.employee, manager=cast.manager)
    ActionFactory(plan=plan, due_on=timezone.localdate() - datetime.timedelta(days=1))
    ActionFactory(plan=plan, due_on=timezone.localdate())
    ActionFactory(plan=plan, due_on=timezone.localdate() - datetime.timedelta(days=1), status="done")
    content = page(client, cast.employee, reverse("pdp:detail", args=[plan.pk]))
    assert content.count(">Overdue<") == 1
    assert content.count(">Due today<") == 1


def test_it_offers_a_manager_only_the_parts_of_the_organisation_in_their_line(client, cast):
    elsewhere = EmployeeFactory()
    content = page(client, cast.manager, reverse("grid:dashboard"))
    select = content[
        content.index('name="department"') : content.index("</select>", content.index('name="department"'))
    ]
    assert cast.employee.department.name in select
    assert cast.employee.department.parent.name in select
    assert elsewhere.department.name not in select
    assert elsewhere.department.parent.name not in select
    assert "Your whole line" in select


def test_it_shows_hr_every_part_of_the_organisation(client, cast):
    content = page(client, cast.hr, reverse("grid:dashboard"))
    assert cast.other_employee.department.name in content


def test_it_says_which_box_the_ratings_suggest_before_saving(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    content = page(client, cast.manager, reverse("grid:place", args=[cast.employee.pk]))
    suggestion = content[content.index('id="box-suggestion"') :]
    assert "These ratings place" in suggestion[: suggestion.index("</p>")]


def test_it_suggests_the_box_again_for_a_form_sent_back(client, cast):
    client.force_login(cast.manager.user)
    ratings = {"performance": "3", "aspiration": "1", "engagement": "1", "ability": "1", "leadership_values": "1"}
    content = client.post(reverse("grid:place", args=[cast.employee.pk]), ratings).content.decode()
    suggestion = content[content.index('id="box-suggestion"') :]
    assert "These ratings place" in suggestion[: suggestion.index("</p>")]
