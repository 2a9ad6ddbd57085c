"""HR's account administration cannot take over an account: no password page, no rights to
grant, no email to change, no HR or superuser account to edit; every change is logged."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from conversations.models import Notice
from people.access import HR_GROUP, SUPPORTER_GROUP
from people.factories import UserFactory
from people.models import AccountChange

User = get_user_model()


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


@pytest.fixture
def hr_client(client, cast):
    client.force_login(cast.hr.user)
    return client


def test_it_lists_accounts_for_hr(hr_client, cast):
    response = hr_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    assert cast.employee.user.username in response.content.decode()


def test_it_offers_no_password_page(hr_client, cast):
    response = hr_client.get(change_url(cast.employee.user) + "password/")
    assert response.status_code in (302, 404)
    assert "password1" not in hr_client.get(change_url(cast.employee.user)).content.decode()
    hr_client.post(
        change_url(cast.employee.user) + "password/", {"password1": "x-Tak3over-99", "password2": "x-Tak3over-99"}
    )
    cast.employee.user.refresh_from_db()
    assert not cast.employee.user.check_password("x-Tak3over-99")


def test_it_cannot_grant_superuser_staff_or_permissions(hr_client, cast):
    user = cast.employee.user
    hr_client.post(
        change_url(user),
        {
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "user_permissions": ["1", "2"],
            "email": "hr@evil.test",
        },
    )
    user.refresh_from_db()
    assert (user.is_superuser, user.is_staff, user.user_permissions.count()) == (False, False, 0)
    assert user.email != "hr@evil.test"


def test_it_gives_only_the_role_groups(hr_client, cast):
    other = Group.objects.create(name="Shadow admins")
    user = cast.employee.user
    supporters = Group.objects.get(name=SUPPORTER_GROUP)
    response = hr_client.post(change_url(user), {"is_active": "on", "groups": [other.pk]})
    assert response.status_code == 200  # the form again, with the error
    assert not user.groups.filter(pk=other.pk).exists()
    hr_client.post(change_url(user), {"is_active": "on", "groups": [supporters.pk]})
    assert user.groups.filter(pk=supporters.pk).exists()
    change = AccountChange.objects.get(account=user)
    assert (change.by, change.summary) == (cast.hr.user, f"Roles: none → {SUPPORTER_GROUP}")


@pytest.mark.parametrize("protected", ["hr", "superuser", "staff", "itself"])
def test_it_refuses_to_change_hr_and_superuser_accounts(hr_client, cast, protected):
    if protected == "hr":
        account = UserFactory()
        account.groups.add(Group.objects.get(name=HR_GROUP))
    elif protected == "itself":
        account = cast.hr.user
    else:
        account = UserFactory(**{f"is_{protected}": True})
    response = hr_client.post(change_url(account), {"is_active": ""})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.is_active


def test_it_adds_and_deletes_no_account(hr_client, cast):
    assert hr_client.get(reverse("admin:auth_user_add")).status_code == 403
    response = hr_client.post(reverse("admin:auth_user_delete", args=[cast.employee.user.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=cast.employee.user.pk).exists()


def test_it_logs_deactivating_an_account(hr_client, cast):
    user = cast.employee.user
    hr_client.post(change_url(user), {"is_active": ""})
    user.refresh_from_db()
    assert not user.is_active
    assert AccountChange.objects.get(account=user).summary == "Can sign in: no"


def test_it_sends_a_reset_email_to_the_person_instead_of_setting_a_password(
    hr_client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hr_client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "send_password_reset", "_selected_action": [cast.employee.user.pk, cast.hr.user.pk]},
        )
    assert [message.to for message in mail.outbox] == [[cast.employee.user.email]]
    assert Notice.objects.filter(kind=Notice.Kind.PASSWORD_RESET, recipient=cast.employee).count() == 1
    assert AccountChange.objects.get(account=cast.employee.user).summary == "Password reset email sent"


def test_it_keeps_a_staff_record_tied_to_its_account(hr_client, cast):
    url = reverse("admin:people_employee_change", args=[cast.employee.pk])
    page = hr_client.get(url).content.decode()
    assert 'name="user"' not in page


def test_it_keeps_the_account_change_log_read_only(hr_client, cast):
    change = AccountChange.objects.create(by=cast.hr.user, account=cast.employee.user, summary="x")
    assert hr_client.get(reverse("admin:people_accountchange_changelist")).status_code == 200
    assert hr_client.get(reverse("admin:people_accountchange_add")).status_code == 403
    delete = reverse("admin:people_accountchange_delete", args=[change.pk])
    assert hr_client.post(delete, {"post": "yes"}).status_code == 403
