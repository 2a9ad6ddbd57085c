from django.urls import reverse

from pdp.factories import PlanFactory
from pdp.tests.helpers import typical_plan
from people.models import AccessLog

URL = reverse("pdp:mine")


def test_it_shows_the_employees_current_plan_with_a_link_to_its_pdf(client, cast):
    plan = typical_plan(employee=cast.employee)
    client.force_login(cast.employee.user)
    response = client.get(URL)
    content = response.content.decode()
    assert "Your development plan" in content
    assert reverse("pdp:pdf", args=[plan.pk]) in content
    assert "Shadow the matron" in content
    assert not AccessLog.objects.exists()  # reading your own plan is not logged


def test_it_says_what_to_do_when_there_is_no_plan(client, cast):
    client.force_login(cast.employee.user)
    content = client.get(URL).content.decode()
    assert "You do not have a current development plan yet" in content
    assert cast.manager.full_name in content
    assert reverse("conversations:nominate") in content


def test_it_shows_only_the_current_plan(client, cast):
    from pdp import services

    old = PlanFactory(employee=cast.employee, manager=cast.manager, way_forward="The old way")
    services.plan_start(employee=cast.employee, by=cast.manager)
    client.force_login(cast.employee.user)
    content = client.get(URL).content.decode()
    assert "The old way" not in content
    assert "Past plans (1)" in content
    assert old.pk


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_offers_the_employee_comments_progress_and_sign_off_but_not_editing(client, cast):
    plan = typical_plan(employee=cast.employee, agreed=False)
    client.force_login(cast.employee.user)
    content = client.get(URL).content.decode()
    assert reverse("pdp:comments", args=[plan.pk]) in content
    assert "Record progress" in content
    assert "Agree and sign off" in content
    assert reverse("pdp:action_add", args=[plan.pk]) not in content


def test_it_links_the_reviews_scheduled_by_the_conversation(client, cast):
    from conversations.factories import HeldConversationFactory
    from conversations.reviews import reviews_schedule
    from pdp import services

    held = HeldConversationFactory(employee=cast.employee, host=cast.manager, status="signed_off")
    six, twelve = reviews_schedule(conversation=held)
    services.plan_start_from_conversation(conversation=held, by=cast.manager)
    client.force_login(cast.employee.user)
    content = client.get(URL).content.decode()
    assert reverse("conversations:detail", args=[six.pk]) in content
    assert reverse("conversations:detail", args=[twelve.pk]) in content
