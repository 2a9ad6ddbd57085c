"""Sign-in, sign-out and the password pages under `accounts/`.

With PASSWORD_LOGIN off, the password pages answer 404: the sign-in page shows only the
button for the organisation's account (and refuses a posted password), and the password
reset and change pages, the administration's own sign-in and password change included, are
gone. Signing out is mozilla-django-oidc's logout view: it also ends the session at the
provider when the person signed in there (see talentapp.oidc.views.provider_logout_url).

The password reset shows nothing about who has an account. Known and unknown addresses
get the same answer: the "check your email" page. The reset email is written to the outbox
(conversations.notifications.password_reset_notify) and sent by the outbox's sender after the
request, so a slow mail server cannot tell a known address from an unknown one, and a failed
send is retried instead of lost. Requests are throttled: PASSWORD_RESET_PER_ADDRESS from one
address, and PASSWORD_RESET_PER_ACCOUNT reset emails to one account, in PASSWORD_RESET_WINDOW.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from mozilla_django_oidc.views import OIDCLogoutView

from conversations.notifications import password_reset_notify
from core.forms import SpecificErrors
from people.models import Employee

from . import oidc
from .signin import client_address

logger = logging.getLogger(__name__)


class PasswordResetForm(SpecificErrors, auth_forms.PasswordResetForm):
    """Also reaches staff who have never set a password: imported accounts start without one."""

    def get_users(self, email):
        """The active account with this address; none if two share it (the staff import allows that
        until HR fixes it, and a reset link must reach only the account's owner)."""
        users = [
            user
            for user in get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
            if user.email.lower() == email.lower()
        ]
        return iter(users if len(users) == 1 else [])

    def save(self, **kwargs) -> None:
        """Write a reset email to the outbox for each active account with the address."""
        users = list(self.get_users(self.cleaned_data["email"]))
        for employee in Employee.objects.filter(user__in=users).select_related("user"):
            password_reset_notify(employee=employee)


def _over_the_limit(request) -> bool:
    """Count this request against its address; True once the address has asked too often.
    A cache that cannot be reached does not stop anyone resetting their password."""
    key = f"password-reset:{client_address(request)}"
    seconds = int(settings.PASSWORD_RESET_WINDOW.total_seconds())
    try:
        cache.add(key, 0, timeout=seconds)
        return cache.incr(key) > settings.PASSWORD_RESET_PER_ADDRESS
    except Exception:
        logger.exception("Password reset throttle unavailable")
        return False


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        if _over_the_limit(request):
            logger.warning("Password reset throttled for %s", client_address(request))
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)


def password_login_only(view):
    """404 while PASSWORD_LOGIN is off."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise Http404("Password sign-in is turned off.")
        return view(request, *args, **kwargs)

    return wrapped


class SignInView(auth_views.LoginView):
    """The sign-in page: the organisation account's button first when it is set up, then the
    password form while PASSWORD_LOGIN is on."""

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            raise Http404("Password sign-in is turned off.")
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": oidc.enabled(),
            "oidc_button_label": settings.OIDC_BUTTON_LABEL,
            "password_login": settings.PASSWORD_LOGIN,
        }


@login_not_required
def admin_login(request, extra_context=None):
    """The administration's sign-in: its password form, or the site's sign-in page once
    PASSWORD_LOGIN is off."""
    if not settings.PASSWORD_LOGIN:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
    return admin.site.login(request, extra_context)


sign_out = OIDCLogoutView.as_view()

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", sign_out, name="logout"),
    path(
        "password_change/",
        password_login_only(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        password_login_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        password_login_only(PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        password_login_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        password_login_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        password_login_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

# Placed before the administration's own patterns in talentapp/urls.py: its sign-in and
# password change follow PASSWORD_LOGIN, and its sign-out is the site's.
admin_urlpatterns = [
    path("admin/login/", admin_login),
    path("admin/logout/", sign_out),
    path("admin/password_change/", password_login_only(admin.site.admin_view(admin.site.password_change))),
]
