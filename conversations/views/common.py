from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from people.access import roles_for

from .. import access, states
from ..models import Conversation


def conversation_for_action(
    request, pk: int, move: str | Callable[[Conversation, object], str], *, may: Callable = access.takes_part
) -> tuple[Conversation, object, HttpResponse | None]:
    """The conversation and the signed-in employee, for a page only some people may use (`may`,
    else 404). When `move` (or the move `move(conversation, employee)` names) is not open to them
    now, the third item is a redirect to the conversation with the move's refusal
    (conversations.states)."""
    conversation = access.get_conversation_for_user(request, pk)
    if not may(request.user, conversation):
        raise Http404("No such page.")
    me = roles_for(request.user).employee
    if callable(move):
        move = move(conversation, me)
    if move not in states.allowed(conversation, me):
        messages.error(request, states.refusal(conversation, move))
        return conversation, me, redirect("conversations:detail", pk=pk)
    return conversation, me, None


def refused_to_detail(request, conversation: Conversation, error) -> HttpResponse:
    """Where a refused move (core.refusal.Refused) on a conversation's page goes: back to the
    conversation, saying why."""
    messages.error(request, error.message)
    return redirect("conversations:detail", pk=conversation.pk)
