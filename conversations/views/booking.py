from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.refusal import Refused
from people.access import roles_for

from .. import access, services, states
from ..calendar import invite_ics
from ..forms import BookingForm, ReasonForm
from .common import conversation_for_action, refused_to_detail


@require_http_methods(["GET", "POST"])
def book(request, pk: int):
    """The host accepts and books, or rebooks: date, time, length and a private venue."""
    conversation, me, refused = conversation_for_action(request, pk, "book")
    if refused:
        return refused
    form = BookingForm(request.POST or None, initial=BookingForm.initial_for(conversation))
    warnings = []
    if request.method == "POST" and form.is_valid():
        booking = form.booking()
        warnings = services.booking_warnings(conversation=conversation, booking=booking)
        if not warnings or form.cleaned_data["accepted_slot"] == form.slot():
            rebooking = states.State(conversation).is_booked
            try:
                services.conversation_book(conversation=conversation, by=me, booking=booking)
            except Refused as error:
                return refused_to_detail(request, conversation, error)
            messages.success(
                request,
                f"{'Rebooked' if rebooking else 'Booked'}. You and {conversation.employee.user.first_name} "
                f"have been emailed {'an updated' if rebooking else 'a'} calendar invite.",
            )
            return redirect("conversations:detail", pk=pk)
        form = BookingForm({**request.POST.dict(), "accepted_slot": form.slot()})
        form.is_valid()
    return render(
        request,
        "conversations/book.html",
        {"conversation": conversation, "form": form, "warnings": warnings, **states.page_context(conversation, me)},
    )


def _reason_view(request, pk: int, *, action: str, template: str, label: str, help_text: str, act, done: str):
    conversation, me, refused = conversation_for_action(request, pk, action)
    if refused:
        return refused
    form = ReasonForm(request.POST or None, label=label, help_text=help_text)
    if request.method == "POST" and form.is_valid():
        try:
            act(conversation=conversation, by=me, reason=form.cleaned_data["reason"])
        except Refused as error:
            return refused_to_detail(request, conversation, error)
        messages.success(request, done)
        return redirect("conversations:detail", pk=pk)
    return render(
        request, template, {"conversation": conversation, "form": form, **states.page_context(conversation, me)}
    )


@require_http_methods(["GET", "POST"])
def decline(request, pk: int):
    return _reason_view(
        request,
        pk,
        action="decline",
        template="conversations/decline.html",
        label="Why are you declining?",
        help_text="They will read this. Say what would make a conversation possible later, if anything.",
        act=services.conversation_decline,
        done="Declined. They have been emailed your reason.",
    )


@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    return _reason_view(
        request,
        pk,
        action="cancel",
        template="conversations/cancel.html",
        label="Why are you cancelling?",
        help_text="The other person will read this.",
        act=services.conversation_cancel,
        done="Cancelled. Both of you have been emailed, with a cancellation for your calendars.",
    )


@require_GET
def invite(request, pk: int):
    """The calendar invite of a booked conversation, for the two people in it."""
    conversation = access.get_conversation_for_user(request, pk)
    if "invite" not in states.allowed(conversation, roles_for(request.user).employee):
        raise Http404("No invite.")
    response = HttpResponse(invite_ics(conversation), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="talent-conversation-{conversation.pk}.ics"'
    return response
