"""Pages of the site as a whole: the role-aware home page, which gathers what is waiting for
each person from every app, and the health check."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from conversations.selectors import conversations_upcoming, conversations_waiting, reviews_for_home
from pdp.selectors import plan_actions_due, plan_home_card
from people.access import line_size, roles_for

from .workspace import trust_figures


@require_GET
def home(request):
    roles = roles_for(request.user)
    context = {"roles": roles}
    if roles.employee:
        # One list in one order: the conversations where it is their turn, their own reviews
        # still to be booked, their own plan's actions due this week or overdue.
        context["waiting"] = conversations_waiting(roles.employee).merged(
            reviews_for_home(roles.employee), plan_actions_due(roles.employee)
        )
        context["upcoming"] = conversations_upcoming(roles.employee)
        context["plan_card"] = plan_home_card(roles)
    if roles.is_manager:
        context["direct_reports"] = list(
            roles.employee.direct_reports.select_related("user", "department").order_by(
                "user__last_name", "user__first_name"
            )
        )
        context["line_size"] = line_size(roles.employee)
    if roles.is_hr:
        context["figures"] = trust_figures()
    return render(request, "home.html", context)


@require_GET
def keep_alive(request):
    """Keeps an idle session on when the person asks to stay signed in (static/js/session.js);
    the session is saved, so its idle limit starts again now (other requests save it at most once
    a minute: talentapp.middleware.SessionLimitMiddleware)."""
    request.session.modified = True
    return HttpResponse(status=204)


@login_not_required
@require_GET
def healthz(request):
    """A bare page for load balancers and for the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def accessibility(request):
    """The accessibility statement, which public-sector sites must publish: for everyone, signed
    in or not (the footer of every page links to it)."""
    return render(request, "accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})
