"""Site-wide request handling: how long a session may last, and that no page is cached."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "signed_in_at"
SAVED_AT = "saved_at"


def session_signed_in(sender, request, user, **kwargs):
    """Signing in starts the 12-hour limit and saves the session (a new key), so the first
    page after it need not save it again."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SIGNED_IN_AT] = now
        session[SAVED_AT] = now


class SessionLimitMiddleware:
    """Ends a session SESSION_MAX_HOURS after signing in, however busy it has been. The idle
    limit is the session's age in the database (SESSION_COOKIE_AGE from its last save): a
    signed-in request saves the session again only when its last save is SESSION_TOUCH_SECONDS
    old, so a busy person costs one session write a minute rather than one a request, and an
    idle session ends at most that much before SESSION_IDLE_MINUTES. The request goes on signed
    out, so it is handled like any expired session: sign in again, with typed text kept
    (conversations.middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SIGNED_IN_AT, now)
            if now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
            elif now - request.session.get(SAVED_AT, 0) >= settings.SESSION_TOUCH_SECONDS:
                request.session[SAVED_AT] = now  # marks the session modified: it is saved, its expiry renewed
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page and file the site makes may hold personal data: no browser or proxy keeps a
    copy (Cache-Control: no-store). Static files are served before this, and are cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
