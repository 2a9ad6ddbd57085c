from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from core.refusal import Refused
from people.access import roles_for

from .. import access, states
from ..forms import ReasonForm, RescheduleForm
from ..reviews import review_close, review_reschedule
from ..selectors import reviews_open
from .common import conversation_for_action, refused_to_detail

PER_PAGE = 50


@require_GET
def review_list(request):
    """Reviews still to be held, for managers (their line) and HR (everyone); late ones on request."""
    roles = roles_for(request.user)
    if not (roles.is_manager or roles.is_hr):
        raise Http404("No such page.")
    late_only = request.GET.get("show") == "late"
    page = Paginator(reviews_open(request.user, late_only=late_only), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/reviews.html",
        {
            "page": page,
            "late_only": late_only,
            "today": timezone.localdate(),
            "querystring": "show=late" if late_only else "",
        },
    )


def _review_for_host(request, pk: int, action: str):
    return conversation_for_action(
        request,
        pk,
        action,
        may=lambda user, review: review.is_review and access.is_host(user, review),
    )


@require_http_methods(["GET", "POST"])
def reschedule(request, pk: int):
    review, me, refused = _review_for_host(request, pk, "reschedule")
    if refused:
        return refused
    form = RescheduleForm(request.POST or None, initial={"due_on": review.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            review_reschedule(
                review=review, by=me, due_on=form.cleaned_data["due_on"], reason=form.cleaned_data["reason"]
            )
        except Refused as error:
            return refused_to_detail(request, review, error)
        moved_to = date_format(review.due_on, "j F Y")
        messages.success(request, f"Review moved to {moved_to}. Reminders follow the new date.")
        return redirect("conversations:detail", pk=pk)
    return render(
        request,
        "conversations/reschedule.html",
        {"conversation": review, "form": form, **states.page_context(review, me)},
    )


@require_http_methods(["GET", "POST"])
def close(request, pk: int):
    review, me, refused = _review_for_host(request, pk, "close_review")
    if refused:
        return refused
    form = ReasonForm(
        request.POST or None,
        label="Why is this review closing without a meeting?",
        help_text=f"{review.employee.user.first_name} can read this. For example: they have moved to another team.",
    )
    if request.method == "POST" and form.is_valid():
        try:
            review_close(review=review, by=me, reason=form.cleaned_data["reason"])
        except Refused as error:
            return refused_to_detail(request, review, error)
        messages.success(request, "Review closed. No more reminders will be sent for it.")
        return redirect("conversations:detail", pk=pk)
    return render(
        request,
        "conversations/close_review.html",
        {"conversation": review, "form": form, **states.page_context(review, me)},
    )
