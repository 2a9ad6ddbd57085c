"""Marking a conversation held and signing off its record: moves that cannot be undone, so each
address asks once on GET (core.confirm: what will happen, who will be told) and makes the move
on POST. Both answer 404 to anyone but the conversation's two people, and a move not open to
the person now goes back to the conversation with its refusal, before anything is asked."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from core.confirm import Question, confirm_page
from core.refusal import Refused

from .. import services, states
from ..models import Conversation
from ..reviews import reviews_due_if_held
from .common import conversation_for_action, refused_to_detail


def _day(day) -> str:
    return date_format(day, "j F Y")


def _reviews_due(conversation: Conversation) -> list[tuple[str, str]]:
    """(kind in words, due day) of the reviews that follow `conversation`, soonest first."""
    return [(review.get_kind_display(), _day(review.due_on)) for review in conversation.reviews.order_by("due_on")]


def _review_dates(conversation: Conversation) -> str:
    return " and ".join(day for _, day in _reviews_due(conversation))


def _reviews_in_words(reviews: list[tuple[str, str]]) -> str:
    """The reviews in a sentence: the 6-month review is due 1 June 2026 and the 12-month review
    1 December 2026."""
    parts = [f"the {kind.lower()} {'is due ' if i == 0 else ''}{day}" for i, (kind, day) in enumerate(reviews)]
    return " and ".join(parts)


def _kind(conversation: Conversation) -> str:
    return conversation.get_kind_display().lower()


def _question(conversation: Conversation, url_name: str, **asked) -> Question:
    """The question `url_name` asks about `conversation`: it posts to itself; No goes back to the
    conversation."""
    page = reverse("conversations:detail", args=[conversation.pk])
    return Question(
        action=reverse(url_name, args=[conversation.pk]),
        back=page,
        back_label="No, back to the conversation",
        breadcrumb=[(reverse("conversations:list"), "Conversations"), (page, conversation.employee.full_name)],
        **asked,
    )


def _asked_move(request, pk: int, move, *, question, act, done, then: str):
    """GET: `question(conversation, me)`, asked once; POST: `act` makes the move, and the person
    goes on to `then` with `done(conversation)`: what happened, who was told, what comes next."""
    conversation, me, refused = conversation_for_action(request, pk, move)
    if refused:
        return refused
    if request.method == "GET":
        return confirm_page(request, question(conversation, me))
    try:
        act(conversation=conversation, by=me)
    except Refused as error:
        return refused_to_detail(request, conversation, error)
    messages.success(request, done(conversation))
    return redirect(then, pk=pk)


def _record_facts(conversation: Conversation, *, comments: bool = False) -> list[tuple[str, str]]:
    facts = [
        ("Topic", Truncator(conversation.topic).words(40)),
        ("Way forward", Truncator(conversation.way_forward).words(80)),
    ]
    if comments:
        facts.append(("Your comments", Truncator(conversation.employee_comments).words(80) or "None"))
    return facts


# Marking held -------------------------------------------------------------------------


def _hold_question(conversation: Conversation, me) -> Question:
    name, first = conversation.employee.full_name, conversation.employee.user.first_name
    today = timezone.localdate()
    reviews = [
        (Conversation.Kind(kind).label, _day(due_on))
        for kind, due_on in reviews_due_if_held(conversation, today).items()
    ]
    starts = timezone.localtime(conversation.starts_at)
    return _question(
        conversation,
        "conversations:hold",
        title=f"Mark the {_kind(conversation)} with {name} as held?",
        facts=[
            ("With", name),
            ("Booked for", date_format(starts, "l j F Y, H:i")),
            ("Where", conversation.venue),
        ],
        what_happens=[
            f"The {states.noun(conversation)} is recorded as held today, {_day(today)}: "
            "it can no longer be rebooked or cancelled.",
            f"{first}'s preparation can no longer be changed.",
            f"Its reviews are scheduled: {_reviews_in_words(reviews)}. You and {first} are both reminded ahead of each."
            if reviews
            else "",
            "You go on to the record: write at least the Topic and the Way forward, then sign it off.",
        ],
        told=[f"Nobody is emailed now. {first} is emailed once you sign off the record."],
        button="Yes, mark as held",
    )


def _held(conversation: Conversation) -> str:
    reviews = _review_dates(conversation)
    return (
        "Marked as held. Complete the record, then sign it off."
        + (f" The reviews are scheduled for {reviews}." if reviews else "")
        + f" Nobody has been emailed: {conversation.employee.user.first_name} is emailed once you sign off."
    )


@require_http_methods(["GET", "POST"])
def hold(request, pk: int):
    """Once held, the host goes straight on to the record."""
    return _asked_move(
        request,
        pk,
        "hold",
        question=_hold_question,
        act=services.conversation_hold,
        done=_held,
        then="conversations:record",
    )


# Signing off --------------------------------------------------------------------------


def _sign_off_move(conversation: Conversation, me) -> str:
    return "host_sign_off" if me is not None and conversation.role_of(me) == states.HOST else "employee_sign_off"


def _host_sign_off_question(conversation: Conversation) -> Question:
    name, first = conversation.employee.full_name, conversation.employee.user.first_name
    reviews = _reviews_due(conversation)
    return _question(
        conversation,
        "conversations:sign_off",
        title=f"Sign off the record of the {_kind(conversation)} with {name}?",
        facts=_record_facts(conversation),
        what_happens=[
            "The record is locked: you can no longer change it.",
            f"{first} reads it, may add comments, and signs it off; then the record is complete.",
            f"The reviews stay as scheduled: {_reviews_in_words(reviews)}." if reviews else "",
            "Your private notes stay yours alone, and you can still change them.",
        ],
        told=[f"{name} is emailed that the record is ready for them to read and sign off."],
        button="Yes, sign off the record",
    )


def _employee_sign_off_question(conversation: Conversation) -> Question:
    host = conversation.host.full_name
    reviews = _reviews_due(conversation)
    return _question(
        conversation,
        "conversations:sign_off",
        title=f"Sign off the record of your {_kind(conversation)} with {host}?",
        facts=_record_facts(conversation, comments=True),
        what_happens=[
            "The record is complete: neither of you can change it, and your comments are final.",
            f"Your reviews: {_reviews_in_words(reviews)}. You are both reminded ahead of each." if reviews else "",
            "Your line manager can then start your development plan from its way forward."
            if conversation.kind != Conversation.Kind.CAREER
            else "",
        ],
        told=[f"{host} is emailed that you signed it off."],
        button="Yes, sign off the record",
    )


def _signed_off(conversation: Conversation) -> str:
    reviews = _review_dates(conversation)
    if conversation.status == conversation.Status.SIGNED_OFF:
        host = conversation.host.full_name
        return f"Signed off. The record is complete; {host} has been emailed that you signed it off." + (
            f" Your reviews are due on {reviews}." if reviews else ""
        )
    return f"Signed off. {conversation.employee.full_name} has been emailed to read and sign off" + (
        f"; reviews are due on {reviews}." if reviews else "."
    )


def _sign_off_question(conversation: Conversation, me) -> Question:
    if _sign_off_move(conversation, me) == "host_sign_off":
        return _host_sign_off_question(conversation)
    return _employee_sign_off_question(conversation)


@require_http_methods(["GET", "POST"])
def sign_off(request, pk: int):
    """The host signs off first, once the Topic and the Way forward have text; then the employee."""
    return _asked_move(
        request,
        pk,
        _sign_off_move,
        question=_sign_off_question,
        act=services.conversation_sign_off,
        done=_signed_off,
        then="conversations:detail",
    )
