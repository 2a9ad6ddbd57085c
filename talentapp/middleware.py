"""Site-wide request handling: how long a session may last, and that no page is cached."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "signed_in_at"


class SessionLimitMiddleware:
    """Ends a session SESSION_MAX_HOURS after signing in, however busy it has been (the idle
    limit is the session cookie's age, renewed on each request). The request goes on signed
    out, so it is handled like any expired session: sign in again, with typed text kept
    (conversations.middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
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
