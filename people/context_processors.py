from django.conf import settings

from .access import roles_for


def roles(request):
    """The signed-in user's roles for navigation, and the organisation's name."""
    return {
        "roles": roles_for(request.user),
        "organisation_name": settings.ORGANISATION_NAME,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
    }
