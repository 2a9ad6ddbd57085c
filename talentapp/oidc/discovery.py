"""The provider's metadata, from `<issuer>/.well-known/openid-configuration`.

Fetched when first needed, within the OIDC_TIMEOUT, checked, and kept in the process for
OIDC_DISCOVERY_CACHE_SECONDS. The signing keys are not kept: the library fetches the JWKS at
every sign-in, so the provider may rotate its keys at any time.
"""

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings


class ProviderUnavailable(Exception):
    """The provider's metadata could not be fetched, or is not usable."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""
    end_session_endpoint: str = ""


_cache: dict[str, tuple[float, ProviderMetadata]] = {}
_lock = threading.Lock()


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider_metadata(issuer: str | None = None) -> ProviderMetadata:
    """The metadata of `issuer` (default OIDC_ISSUER), from the cache or fetched now."""
    issuer = issuer or settings.OIDC_ISSUER
    with _lock:
        cached = _cache.get(issuer)
    if cached and time.monotonic() - cached[0] < settings.OIDC_DISCOVERY_CACHE_SECONDS:
        return cached[1]
    metadata = _fetch(issuer)
    remember(metadata, issuer=issuer)
    return metadata


def remember(metadata: ProviderMetadata, *, issuer: str | None = None) -> None:
    with _lock:
        _cache[issuer or metadata.issuer] = (time.monotonic(), metadata)


def forget() -> None:
    with _lock:
        _cache.clear()


def _fetch(issuer: str) -> ProviderMetadata:
    url = discovery_url(issuer)
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery at {url} failed: {error}") from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"discovery at {url} did not answer a JSON object")
    # The document must name the issuer it was fetched for (OpenID Connect Discovery 1.0, 4.3).
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise ProviderUnavailable(f"discovery at {url} names issuer {document.get('issuer')!r}, not {issuer!r}")
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(name)]
    if missing:
        raise ProviderUnavailable(f"discovery at {url} lacks {', '.join(missing)}")
    return ProviderMetadata(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=document.get("userinfo_endpoint") or "",
        end_session_endpoint=document.get("end_session_endpoint") or "",
    )
