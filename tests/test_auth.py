"""Signing in and out, changing a password, and resetting it by email."""

import re

from django.core import mail
from django.urls import reverse

from people.factories import PASSWORD


def test_it_signs_in_and_lands_on_the_home_page(client, cast):
    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == cast.employee.user


def test_it_keeps_the_user_name_after_a_wrong_password(client, cast):
    response = client.post(reverse("login"), {"username": "employee", "password": "wrong"})
    content = response.content.decode()
    assert "Please enter a correct username and password" in content
    assert 'value="employee"' in content


def test_it_signs_out_on_post(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_it_changes_a_password(client, cast):
    client.force_login(cast.employee.user)
    new_password = "a-much-better-passphrase"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response["Location"] == reverse("password_change_done")
    cast.employee.user.refresh_from_db()
    assert cast.employee.user.check_password(new_password)


def test_it_refuses_a_weak_new_password_beside_the_field(client, cast):
    client.force_login(cast.employee.user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]


def test_it_resets_a_forgotten_password_by_email(client, cast, django_capture_on_commit_callbacks, settings):
    user = cast.employee.user
    # The email goes through the outbox once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": user.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your talent conversations password"
    # The link is on the site's public address, never on the Host header a request brought.
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "river-lantern-copper-42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_it_does_not_say_whether_an_address_has_an_account(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.nhs.uk"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_explains_an_expired_reset_link(client, db):
    response = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))
    assert "This link has expired" in response.content.decode()


def test_it_lets_imported_staff_without_a_password_set_one(client, cast, django_capture_on_commit_callbacks):
    user = cast.other_employee.user
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email.upper()})
    assert [message.to for message in mail.outbox] == [[user.email]]
