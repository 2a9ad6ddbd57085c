import pytest
from django.urls import reverse

from grid.factories import PlacementFactory
from grid.models import GridSettings, Placement
from people.models import AccessLog, AccessLogRecord

MINE = reverse("grid:mine")
RATINGS = {
    "performance": "3",
    "aspiration": "2",
    "engagement": "2",
    "ability": "2",
    "leadership_values": "3",
    "evidence": "Led the falls audit; excellent feedback.",
}


def place_url(cast):
    return reverse("grid:place", args=[cast.employee.pk])


def test_it_lets_a_manager_place_someone_in_their_line(client, cast):
    client.force_login(cast.senior_manager.user)
    response = client.post(place_url(cast), {**RATINGS, "growth_direction": "breadth", "specialist_track": "on"})
    assert response["Location"] == reverse("grid:person", args=[cast.employee.pk])
    placement = Placement.objects.get(employee=cast.employee)
    assert (placement.performance, placement.potential, placement.potential_suggested) == (3, 2, 2)
    assert placement.placed_by == cast.senior_manager.user
    assert placement.specialist_track
    assert placement.growth_direction == "breadth"


def test_it_needs_a_reason_to_override_the_suggested_row(client, cast):
    client.force_login(cast.manager.user)
    response = client.post(place_url(cast), {**RATINGS, "potential": "3"})
    assert response.status_code == 200
    assert "Give a reason for choosing a different row" in response.content.decode()
    assert not Placement.objects.exists()
    client.post(place_url(cast), {**RATINGS, "potential": "3", "override_reason": "Acting up well."})
    assert Placement.objects.get().override_reason == "Acting up well."


def test_it_explains_missing_ratings_and_evidence(client, cast):
    client.force_login(cast.manager.user)
    response = client.post(place_url(cast), {"performance": "7", "aspiration": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"performance", "aspiration", "evidence"}


def test_it_starts_the_form_from_the_current_placement(client, cast):
    PlacementFactory(employee=cast.employee, performance=1, potential=3, specialist_track=True)
    client.force_login(cast.manager.user)
    form = client.get(place_url(cast)).context["form"]
    assert form.initial["performance"] == 1
    assert form.initial["specialist_track"] is True


@pytest.mark.parametrize("role", ["hr", "other_manager", "employee", "supporter"])
def test_it_lets_no_one_else_place(client, cast, role):
    client.force_login(getattr(cast, role).user)
    assert client.post(place_url(cast), RATINGS).status_code == 404
    assert not Placement.objects.exists()


def test_it_shows_the_history_and_logs_the_read(client, cast):
    PlacementFactory(employee=cast.employee, is_current=False, performance=1, potential=1)
    PlacementFactory(employee=cast.employee, performance=2, potential=2, employee_comment="I agree.")
    client.force_login(cast.hr.user)
    response = client.get(reverse("grid:person", args=[cast.employee.pk]))
    assert len(response.context["history"]) == 2
    assert "I agree." in response.content.decode()
    assert "Update placement" not in response.content.decode()
    assert AccessLogRecord.objects.filter(entry__user=cast.hr.user, subject=cast.employee).count() == 2


def test_it_sends_a_person_to_their_own_page(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(reverse("grid:person", args=[cast.employee.pk]))["Location"] == MINE


def test_it_answers_404_for_a_person_who_does_not_exist(client, cast):
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:person", args=[999999])).status_code == 404


def test_it_shows_the_employee_their_placement_in_plain_words(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3, evidence="Led the audit.")
    client.force_login(cast.employee.user)
    content = client.get(MINE).content.decode()
    assert "You are in box" in content
    assert "Ready for promotion now" in content
    assert "Led the audit." in content
    assert not AccessLog.objects.exists()


def test_it_lets_the_employee_comment_and_remove_the_comment(client, cast):
    placement = PlacementFactory(employee=cast.employee)
    client.force_login(cast.employee.user)
    client.post(MINE, {"comment": "I would like to talk about stretch."})
    placement.refresh_from_db()
    assert placement.employee_comment == "I would like to talk about stretch."
    assert placement.employee_commented_at is not None
    client.post(MINE, {"comment": ""})
    placement.refresh_from_db()
    assert (placement.employee_comment, placement.employee_commented_at) == ("", None)


def test_it_hides_placements_from_staff_when_hr_says_so(client, cast):
    GridSettings.objects.update(employee_view=GridSettings.EmployeeView.HIDDEN)
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    client.force_login(cast.employee.user)
    content = client.get(MINE).content.decode()
    assert "does not show grid placements to staff" in content
    assert "Ready for promotion now" not in content
    assert client.post(MINE, {"comment": "Hello"}).status_code == 404


def test_it_closes_comments_when_hr_says_so(client, cast):
    GridSettings.objects.update(employee_comments=False)
    placement = PlacementFactory(employee=cast.employee)
    client.force_login(cast.employee.user)
    assert "Comments are closed" in client.get(MINE).content.decode()
    assert client.post(MINE, {"comment": "Hello"}).status_code == 404
    placement.refresh_from_db()
    assert placement.employee_comment == ""


def test_it_tells_an_employee_who_is_not_yet_placed(client, cast):
    client.force_login(cast.employee.user)
    assert "You have not been placed on the talent grid yet" in client.get(MINE).content.decode()


def test_it_links_a_placement_to_the_conversation_it_came_from(client, cast):
    from conversations.factories import HeldConversationFactory

    older = HeldConversationFactory(employee=cast.employee, host=cast.manager, status="signed_off")
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.manager.user)
    form = client.get(place_url(cast), {"conversation": older.pk}).context["form"]
    assert form.initial["conversation"] == older.pk
    assert client.get(place_url(cast)).context["form"].initial["conversation"] == held.pk
    client.post(place_url(cast), {**RATINGS, "conversation": held.pk})
    assert Placement.objects.get().conversation == held
    client.force_login(cast.employee.user)
    assert reverse("conversations:detail", args=[held.pk]) in client.get(MINE).content.decode()


def test_it_refuses_a_conversation_with_someone_else(client, cast):
    from conversations.factories import HeldConversationFactory

    theirs = HeldConversationFactory(employee=cast.other_employee, host=cast.other_manager)
    client.force_login(cast.manager.user)
    response = client.post(place_url(cast), {**RATINGS, "conversation": theirs.pk})
    assert response.status_code == 200
    assert "conversation" in response.context["form"].errors
    assert not Placement.objects.exists()
