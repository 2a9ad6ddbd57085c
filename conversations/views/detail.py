from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from core.refusal import Refused
from people.access import roles_for

from .. import access, services, states
from ..forms import ChecklistForm
from .common import refused_to_detail


@require_GET
def conversation_detail(request, pk: int):
    conversation = access.get_conversation_for_user(request, pk)
    if not access.may_read_content(request.user, conversation):
        return render(request, "conversations/detail_summary.html", {"conversation": conversation})
    me = roles_for(request.user).employee
    is_host = access.is_host(request.user, conversation)
    # The one-to-one is read once: the access rule below looks at it too.
    preparation = getattr(conversation, "preparation", None)
    show_preparation = preparation is not None and access.may_read_preparation(request.user, conversation)
    if show_preparation and is_host:
        access.log_preparation_read(request, conversation)
    context = {
        "conversation": conversation,
        **states.page_context(conversation, me),
        "today": timezone.localdate(),
        "review_changes": list(conversation.review_changes.all()) if conversation.is_review else [],
        "scheduled_reviews": list(conversation.reviews.order_by("due_on")),
        "next_step": states.next_step(conversation, me),
        "is_host": is_host,
        "is_subject": access.is_subject(request.user, conversation),
        "preparation": preparation,
        "show_preparation": show_preparation,
        "checklist_form": ChecklistForm(instance=conversation) if is_host else None,
        "has_record": any(
            getattr(conversation, field)
            for field in ["topic", "goal", "reality", "options", "way_forward", "shared_notes"]
        ),
    }
    return render(request, "conversations/detail.html", context)


def _act(request, pk: int, act, done, *, then: str = "conversations:detail"):
    """Make a move; `done(conversation)` says what happened, who was told and what comes next."""
    conversation = access.get_conversation_for_user(request, pk)
    if not access.takes_part(request.user, conversation):
        raise Http404("No such page.")
    try:
        act(conversation=conversation, by=roles_for(request.user).employee)
    except Refused as error:
        return refused_to_detail(request, conversation, error)
    messages.success(request, done(conversation))
    return redirect(then, pk=pk)


def _held(conversation) -> str:
    reviews = _review_dates(conversation)
    return "Marked as held. Complete the record, then sign it off." + (
        f" The reviews are scheduled for {reviews}." if reviews else ""
    )


def _review_dates(conversation) -> str:
    days = [date_format(review.due_on, "j F Y") for review in conversation.reviews.order_by("due_on")]
    return " and ".join(days)


def _signed_off(conversation) -> str:
    if conversation.status == conversation.Status.SIGNED_OFF:
        return (
            f"Signed off. The record is complete; {conversation.host.user.get_full_name()} has been emailed "
            "that you signed it off."
        )
    reviews = _review_dates(conversation)
    return f"Signed off. {conversation.employee.user.get_full_name()} has been emailed to read and sign off" + (
        f"; reviews are due on {reviews}." if reviews else "."
    )


@require_POST
def hold(request, pk: int):
    """Once held, the host goes straight on to the record."""
    return _act(request, pk, services.conversation_hold, _held, then="conversations:record")


@require_POST
def sign_off(request, pk: int):
    return _act(request, pk, services.conversation_sign_off, _signed_off)


@require_POST
def checklist(request, pk: int):
    """The host ticks off their preparation checklist, while the conversation is open or being recorded."""
    conversation = access.get_conversation_for_user(request, pk)
    if not access.is_host(request.user, conversation):
        raise Http404("No such page.")
    form = ChecklistForm(request.POST, instance=conversation)
    if form.is_valid():
        try:
            services.checklist_save(
                conversation=conversation, by=roles_for(request.user).employee, ticks=form.cleaned_data
            )
        except Refused as error:
            return refused_to_detail(request, conversation, error)
        messages.success(request, "Preparation checklist saved.")
    return redirect("conversations:detail", pk=pk)
