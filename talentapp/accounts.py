"""Password reset that shows nothing about who has an account.

Known and unknown addresses get the same answer: the "check your email" page. The reset
email is written to the outbox (conversations.notifications.password_reset_notify) and sent
by the outbox's sender after the request, so a slow mail server cannot tell a known address
from an unknown one, and a failed send is retried instead of lost. Requests are throttled:
PASSWORD_RESET_PER_ADDRESS from one address, and PASSWORD_RESET_PER_ACCOUNT reset emails to
one account, in PASSWORD_RESET_WINDOW.
"""

import logging

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render

from conversations.notifications import password_reset_notify
from people.models import Employee

from .signin import client_address

logger = logging.getLogger(__name__)


class PasswordResetForm(auth_forms.PasswordResetForm):
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
