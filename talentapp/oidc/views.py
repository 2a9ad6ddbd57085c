"""The two pages of the flow (start, callback), the failure page, and the provider's sign-out.

Both pages answer 404 while OIDC_ISSUER is unset. Signing out is the site's one sign-out
(`accounts/logout/`, mozilla-django-oidc's logout view): it ends the local session and, where
the provider has an `end_session_endpoint`, sends the browser there with `id_token_hint` and
`post_logout_redirect_uri` (RP-initiated logout).
"""

import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import enabled
from .discovery import ProviderUnavailable, provider_metadata
from .failures import PAGES, Failure, SignInFailed

log = logging.getLogger("talentapp.oidc")


def failure_page(request, failure: Failure, detail: str):
    """The page for a failed sign-in: what happened and what to do. The reason is logged."""
    log.warning("Sign-in with the organisation account failed (%s): %s", failure, detail)
    page = PAGES[failure]
    context = {"page": page, "failure": failure, "password_login": settings.PASSWORD_LOGIN}
    return render(request, "registration/oidc_failure.html", context, status=page.status)


def _failure_from_network(error: requests.RequestException) -> Failure:
    if isinstance(error, requests.HTTPError):
        return Failure.PROVIDER_ERROR  # e.g. the token endpoint refused the code
    return Failure.UNREACHABLE


@method_decorator(login_not_required, name="dispatch")
class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and the PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library would read its endpoint settings here

    def get(self, request):
        if not enabled():
            raise Http404("Sign-in with the organisation account is not set up.")
        try:
            provider = provider_metadata()
        except ProviderUnavailable as error:
            return failure_page(request, Failure.UNREACHABLE, str(error))
        self.OIDC_OP_AUTH_ENDPOINT = provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SignInCallback(OIDCAuthenticationCallbackView):
    """The provider's reply. The library checks the state and signs the person in; every way
    it can fail ends on the failure page instead of a bare 400 or 500."""

    def get(self, request):
        if not enabled():
            raise Http404("Sign-in with the organisation account is not set up.")
        self.failed = (Failure.STATE, "the reply has neither a code and state nor an error")
        if error := request.GET.get("error"):
            failure = Failure.DENIED if error == "access_denied" else Failure.PROVIDER_ERROR
            description = request.GET.get("error_description", "")
            self.failed = (failure, f"the provider answered error={error!r} {description!r}".strip())
        elif "code" in request.GET and "state" in request.GET:
            self.failed = (Failure.STATE, "no sign-in was started in this browser session (or it has ended)")
            if expired := self._expired_state(request):
                return failure_page(request, Failure.STATE, expired)
        try:
            self._check_issuer(request)
            return super().get(request)
        except SuspiciousOperation as error:  # the state is not one this session started
            return failure_page(request, Failure.STATE, str(error))
        except SignInFailed as error:
            return failure_page(request, error.failure, error.detail)
        except ProviderUnavailable as error:
            return failure_page(request, Failure.UNREACHABLE, str(error))
        except requests.RequestException as error:
            return failure_page(request, _failure_from_network(error), f"{type(error).__name__}: {error}")

    def login_failure(self):
        return failure_page(self.request, *self.failed)

    @staticmethod
    def _expired_state(request) -> str:
        """Removes a state older than OIDC_STATE_MAX_AGE from the session, saying why."""
        states = request.session.get("oidc_states")
        state = request.GET["state"]
        if not isinstance(states, dict) or state not in states:
            return ""
        age = time.time() - states[state].get("added_on", 0)
        if age <= settings.OIDC_STATE_MAX_AGE:
            return ""
        del states[state]
        request.session.modified = True
        return f"the sign-in was started {age:.0f} seconds ago, more than {settings.OIDC_STATE_MAX_AGE}"

    @staticmethod
    def _check_issuer(request) -> None:
        """A reply that names its issuer (RFC 9207) must name ours: a defence against mix-ups."""
        issuer = request.GET.get("iss")
        if issuer is not None and issuer != provider_metadata().issuer:
            raise SignInFailed(Failure.TOKEN, f"the reply names issuer {issuer!r}")


def provider_logout_url(request) -> str:
    """Where signing out sends the browser (OIDC_OP_LOGOUT_URL_METHOD): the provider's
    end-session page when the person signed in there and the provider has one, else the
    site's own sign-in page. Called before the local session ends."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (enabled() and id_token):
        return local
    try:
        endpoint = provider_metadata().end_session_endpoint
    except ProviderUnavailable as error:
        log.warning("Signed out here only; the provider's sign-out page is unknown: %s", error)
        return local
    if not endpoint:
        return local
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(local),
            "client_id": settings.OIDC_CLIENT_ID,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
