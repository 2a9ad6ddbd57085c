"""Who is who: the authentication backend for the OpenID Connect callback.

mozilla-django-oidc exchanges the code (with the PKCE verifier), fetches the provider's keys
and checks the ID token's signature and nonce. This backend adds the checks the library
leaves out (issuer, audience, expiry and the other registered claims, through PyJWT), and
then finds the person's staff record:

- by the staff-number claim (OIDC_STAFF_NUMBER_CLAIM, e.g. `employeeid`) when it is set;
- otherwise by the email address, only when the provider says it is verified
  (`email_verified` true), matched case-insensitively to the user's email.

Nobody is created and nothing is overwritten from the token: the HR system is the source of
truth for names and email. Someone with no staff record, or whose account is inactive (a
leaver), is refused.
"""

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from people.models import Employee

from . import enabled
from .discovery import provider_metadata
from .failures import Failure, SignInFailed

# Asymmetric algorithms only: the ID token is checked against the provider's published keys.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat"]
CLOCK_SKEW_SECONDS = 60


class StaffRecordBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads its endpoints here; they come from discovery, per sign-in, instead.
        self.UserModel = get_user_model()

    def authenticate(self, request, *, nonce, code_verifier):
        """Only the callback passes `nonce` and `code_verifier`, so a password sign-in never
        reaches this backend."""
        if request is None or not enabled():
            return None
        provider = provider_metadata()
        self.issuer = provider.issuer
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"  # what the library expects; _verify_jws allows ALGORITHMS
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        if not token:
            raise SignInFailed(Failure.TOKEN, "the token response has no id_token")
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as error:  # the nonce, or no matching key in the JWKS
            raise SignInFailed(Failure.TOKEN, str(error)) from error
        except jwt.PyJWTError as error:  # a malformed token
            raise SignInFailed(Failure.TOKEN, f"the ID token is malformed: {error}") from error
        except KeyError as error:  # a key, or the token's header, without a key id
            raise SignInFailed(Failure.TOKEN, f"no key id ({error}) to find the signing key by") from error

    def _verify_jws(self, payload, key):
        """The signature against the provider's key, and the registered claims: `iss` is the
        provider, `aud` holds this site's client id (and `azp` names it if there are others),
        `exp`, `iat` and `nbf` are current."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm not in ALGORITHMS:
                raise SignInFailed(Failure.TOKEN, f"the ID token is signed with {algorithm!r}")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidAudienceError as error:
            raise SignInFailed(Failure.TOKEN, f"the ID token is for another audience: {error}") from error
        except jwt.PyJWTError as error:
            raise SignInFailed(Failure.TOKEN, f"the ID token is not valid: {error}") from error
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInFailed(Failure.TOKEN, f"the ID token has several audiences and azp {claims.get('azp')!r}")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's on top where the provider has one
        (Okta, for one, sends email only there; Entra ID sends employeeid only in the token)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload["sub"]:
                raise SignInFailed(Failure.TOKEN, "the userinfo endpoint answered for another subject")
            claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        return staff_user_for(self.get_userinfo(access_token, id_token, payload))

    def update_user(self, user, claims):
        return user  # names and email come from the HR system, never from the token

    def get_user(self, user_id):
        # Django's check, which the library leaves out: an account made inactive (a leaver) is
        # signed out at its next request.
        return ModelBackend.get_user(self, user_id)


def staff_user_for(claims: dict):
    """The user of the one staff record these claims identify; else SignInFailed."""
    claim = settings.OIDC_STAFF_NUMBER_CLAIM
    who = f"sub {claims.get('sub')!r}"
    if claim:
        number = str(claims.get(claim) or "").strip()
        if not number:
            raise SignInFailed(Failure.NO_RECORD, f"{who} has no {claim} claim")
        employees = Employee.objects.filter(staff_number=number)
        who += f" ({claim} {number!r})"
    else:
        email = str(claims.get("email") or "").strip()
        if not email:
            raise SignInFailed(Failure.NO_RECORD, f"{who} has no email claim")
        if claims.get("email_verified") not in (True, "true"):
            raise SignInFailed(Failure.NO_RECORD, f"{who}: the provider does not say {email!r} is verified")
        employees = Employee.objects.filter(user__email__iexact=email)
        who += f" (email {email!r})"
    found = list(employees.select_related("user")[:2])
    if not found:
        raise SignInFailed(Failure.NO_RECORD, f"no staff record for {who}")
    if len(found) > 1:
        raise SignInFailed(Failure.NO_RECORD, f"more than one staff record for {who}")
    user = found[0].user
    if not user.is_active:
        raise SignInFailed(Failure.LEAVER, f"the account of {who} is inactive")
    return user
