from django.urls import reverse

from conversations.models import Conversation
from people.factories import EmployeeFactory

URL = reverse("conversations:start")


def test_it_starts_a_conversation_with_someone_in_the_line_and_goes_to_booking(client, cast):
    client.force_login(cast.senior_manager.user)
    response = client.post(URL, {"employee": cast.employee.pk})
    conversation = Conversation.objects.get()
    assert response["Location"] == reverse("conversations:book", args=[conversation.pk])
    assert (conversation.employee, conversation.host, conversation.status) == (
        cast.employee,
        cast.senior_manager,
        Conversation.Status.REQUESTED,
    )
    assert conversation.origin == Conversation.Origin.MANAGER


def test_it_preselects_the_person_from_the_team_page(client, cast):
    client.force_login(cast.manager.user)
    response = client.get(URL, {"employee": cast.employee.pk})
    assert response.context["form"].initial["employee"] == cast.employee


def test_it_refuses_someone_outside_the_line_beside_the_field(client, cast):
    client.force_login(cast.manager.user)
    response = client.post(URL, {"employee": cast.other_employee.pk})
    assert response.status_code == 200
    assert "employee" in response.context["form"].errors
    assert not Conversation.objects.exists()


def test_it_ignores_a_preselection_outside_the_line(client, cast):
    client.force_login(cast.manager.user)
    response = client.get(URL, {"employee": cast.other_employee.pk})
    assert response.context["form"].initial["employee"] is None


def test_it_is_not_there_for_someone_without_reports(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"employee": EmployeeFactory().pk}).status_code == 404
