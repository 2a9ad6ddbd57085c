"""Sign-in that resists guessing, on django-axes.

- An account is locked for AXES_COOLOFF_TIME (15 minutes) after LOCKOUT_FAILURES (10) wrong
  passwords within that time, whatever address they come from (axes' own rule, by user name).
- An address is throttled after LOCKOUT_ADDRESS_FAILURES (50) failures within the same time,
  whatever the accounts tried: counted from axes' failure log. The limit is higher because
  a whole hospital site can share one address.
- Every failure is logged with the user name and the address (and kept in axes' failure log,
  which HR reads in administration).
"""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The client's address: behind the TLS-terminating proxy (SECURE_PROXY_SSL_HEADER), the
    address that proxy saw, the last hop of X-Forwarded-For; else the socket's."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class AddressThrottlingHandler(AxesDatabaseHandler):
    """axes' database handler, also refusing an address that failed too often lately."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or address_throttled(request)


def address_throttled(request: HttpRequest) -> bool:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessFailureLog.objects.filter(ip_address=client_address(request), attempt_time__gte=since)
    return failures.count() >= settings.LOCKOUT_ADDRESS_FAILURES


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    address = client_address(request) if request is not None else "(no request)"
    logger.warning("Sign-in failed for user name %r from %s", credentials.get("username", ""), address)
