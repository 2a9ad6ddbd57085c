"""Signing in with the organisation's account through OpenID Connect.

mozilla-django-oidc runs the authorisation code flow (state, nonce, PKCE, the token
exchange, the ID token's signature against the provider's published keys). This package
feeds it the provider's endpoints from discovery (`discovery`), adds what the library leaves
out (the ID token's issuer and audience, a state that expires), matches the person to their
staff record and refuses anyone else (`backend`), and gives every failure a page (`views`).
"""

from django.conf import settings


def enabled() -> bool:
    """Whether sign-in with the organisation's account is configured (OIDC_ISSUER set)."""
    return bool(settings.OIDC_ISSUER)
