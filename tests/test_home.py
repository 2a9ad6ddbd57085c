import pytest
from django.urls import reverse

from people.factories import EmployeeFactory, UserFactory


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


def test_it_tells_an_unlinked_account_what_to_do(client, db):
    client.force_login(UserFactory())
    content = client.get("/").content.decode()
    assert "not linked to a staff record" in content


@pytest.mark.parametrize("reports", [3, 30])
def test_it_shows_a_managers_home_in_constant_queries(client, db, django_assert_max_num_queries, reports):
    manager = EmployeeFactory()
    EmployeeFactory.create_batch(reports, line_manager=manager)
    client.force_login(manager.user)
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.content.decode().count("/people/") >= reports
