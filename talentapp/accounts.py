"""Sign-in, sign-out and the password pages under `accounts/`.

With PASSWORD_LOGIN off, the password pages answer 404: the sign-in page shows only the
button for the organisation's account (and refuses a posted password), and the password
reset and change pages, the administration's own sign-in and password change included, are
gone. Signing out is mozilla-django-oidc's logout view: it also ends the session at the
provider when the person signed in there (see talentapp.oidc.views.provider_logout_url).
"""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import path, reverse
from mozilla_django_oidc.views import OIDCLogoutView

from people.forms import PasswordResetForm

from . import oidc


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
        password_login_only(auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)),
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
