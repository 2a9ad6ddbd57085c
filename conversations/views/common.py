from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from people.access import roles_for

from .. import access
from ..models import Conversation
from ..services import actions_available


def conversation_for_action(
    request, pk: int, action: str, *, may: Callable = access.takes_part, refusal: str = "that is not possible now"
) -> tuple[Conversation, object, HttpResponse | None]:
    """The conversation and the signed-in employee, for a page only some people may use (`may`,
    else 404). When `action` is not open to them now, the third item is a redirect to the
    conversation with a message saying why."""
    conversation = access.get_conversation_for_user(request, pk)
    if not may(request.user, conversation):
        raise Http404("No such page.")
    me = roles_for(request.user).employee
    if action not in actions_available(conversation, me):
        messages.error(
            request, f"This {_noun(conversation)} is {conversation.get_status_display().lower()}; {refusal}."
        )
        return conversation, me, redirect("conversations:detail", pk=pk)
    return conversation, me, None


def _noun(conversation: Conversation) -> str:
    return "review" if conversation.is_review else "conversation"
