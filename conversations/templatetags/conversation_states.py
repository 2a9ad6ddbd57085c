"""`{{ conversation|state }}`: the conversation's State (conversations.states), for templates that
list other conversations than the page's own (which has `state` in its context)."""

from django import template

from ..states import State

register = template.Library()


@register.filter
def state(conversation) -> State:
    return State(conversation)
