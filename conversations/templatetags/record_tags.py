"""Template helpers for the preparation, record, private notes and comments pages."""

from django import template

from ..access import may_read_preparation
from ..models import Preparation

register = template.Library()


@register.filter
def saved_for(conflict, name: str):
    """The saved value of field `name` when a save was refused over a newer version, else None."""
    if not conflict:
        return None
    return conflict.saved.get(name)


@register.simple_tag(takes_context=True)
def readable_answers(context, preparation: Preparation | None):
    """(question, answer) pairs of `preparation` if the signed-in user may read them, else None.

    The page including the answers should already have checked; this checks again so that
    a draft can never reach the host by a mistake in a template.
    """
    request = context.get("request")
    if preparation is None or request is None:
        return None
    if not may_read_preparation(request.user, preparation.conversation):
        return None
    return [(question, getattr(preparation, name)) for name, question in Preparation.QUESTIONS.items()]
