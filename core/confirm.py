"""Asking once before an irreversible action, the same way across the site.

The action's address answers GET with the question (`confirm_page`: what will happen, as a
list; who will be told; a "Yes, ..." button and a way back) and POST with the action itself,
so that the button on the page before is a plain link and no JavaScript is needed. The view
keeps its own access rules and state checks for both: someone who may not act gets 404, and a
move not open now goes back with its refusal before anything is asked.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Question:
    title: str  # the page's title and heading, a question: "Sign off the record ...?"
    what_happens: Sequence[str]  # each consequence, a sentence (an empty one is left out)
    told: Sequence[str]  # who will be told, and how, or that nobody is emailed (likewise)
    button: str  # "Yes, sign off the record"
    action: str  # where the button posts: the same address as the question's
    back: str  # where "No" leads
    back_label: str = "No, go back"
    breadcrumb: Sequence[tuple[str, str]] = ()  # (url, label) above "Are you sure?"
    facts: Sequence[tuple[str, str]] = ()  # (term, value): what the action is about
    hidden: dict = field(default_factory=dict)  # fields the post carries, e.g. a version
    danger: bool = False  # a red button, for removing something


def confirm_page(request, question: Question) -> HttpResponse:
    return render(request, "confirm.html", {"question": question})
