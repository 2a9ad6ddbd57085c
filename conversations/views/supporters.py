from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from people.access import SUPPORTER_GROUP, roles_for
from people.selectors import staff_search, without_nul

from ..forms import SupporterProfileForm
from ..models import SupporterProfile


@require_GET
def directory(request):
    """Career supporters whom staff outside their line can ask for a career conversation."""
    me = roles_for(request.user).employee
    supporters = (
        SupporterProfile.objects.filter(employee__user__groups__name=SUPPORTER_GROUP, employee__user__is_active=True)
        .select_related("employee__user", "employee__department")
        .order_by("-has_capacity", "employee__user__last_name")
    )
    query = without_nul(request.GET.get("q", "")).strip()[:100]
    if query:
        supporters = supporters.filter(Q(help_with__icontains=query) | staff_search(query, through="employee__"))
    return render(
        request,
        "conversations/supporters.html",
        {
            "supporters": supporters,
            "query": query,
            "me": me,
            "is_supporter": roles_for(request.user).is_supporter,
        },
    )


@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """A career supporter's own directory entry."""
    roles = roles_for(request.user)
    if not (roles.is_supporter and roles.employee):
        raise Http404("No such page.")
    profile = SupporterProfile.objects.filter(employee=roles.employee).first()
    form = SupporterProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.instance.employee = roles.employee
        form.save()
        messages.success(request, "Your directory entry is saved.")
        return redirect("conversations:supporters")
    return render(request, "conversations/supporter_profile.html", {"form": form})
