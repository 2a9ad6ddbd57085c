"""A crawl of the whole site, administration included, as every role, with text planted in a
host's private notes, an unshared preparation and a career conversation: each planted text is
found only by the people the design allows, and by them (so the crawl reaches it)."""

import re
from collections import deque
from html import unescape

import pytest
from django.utils import timezone

from conversations.factories import BookedConversationFactory, HeldConversationFactory
from conversations.models import Conversation, Preparation, PrivateNote

ROLES = ["employee", "other_employee", "manager", "senior_manager", "other_manager", "supporter", "hr"]
PAGE_LIMIT = 400
SKIPPED = re.compile(r"^/(static/|accounts/logout|admin/logout|admin/.*/(delete|history)/|admin/r/|admin/jsi18n)")
LINK = re.compile(r'href="(/[^"#]*)"')

PLANTED = {
    "PLANTED-PRIVATE-NOTE": {"manager"},  # the host's own notes: the author only
    "PLANTED-UNSHARED-PREPARATION": {"employee"},  # a draft the employee has not shared
    "PLANTED-CAREER-STATEMENT": {"employee", "supporter"},  # a career conversation: the two people
    "PLANTED-CAREER-RECORD": {"employee", "supporter"},
}


@pytest.fixture
def planted(cast):
    # signed off, beside the booked one below (one talent conversation under way at a time)
    talent = HeldConversationFactory(
        employee=cast.employee,
        host=cast.manager,
        topic="An ordinary topic",
        status=Conversation.Status.SIGNED_OFF,
        host_signed_off_at=timezone.now(),
        employee_signed_off_at=timezone.now(),
    )
    PrivateNote.objects.create(conversation=talent, author=cast.manager.user, text="PLANTED-PRIVATE-NOTE")
    upcoming = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    Preparation.objects.create(conversation=upcoming, achievements="PLANTED-UNSHARED-PREPARATION")
    HeldConversationFactory(
        employee=cast.employee,
        host=cast.supporter,
        kind=Conversation.Kind.CAREER,
        statement="PLANTED-CAREER-STATEMENT",
        topic="PLANTED-CAREER-RECORD",
        host_signed_off_at=timezone.now(),
    )
    return cast


def crawl(client) -> tuple[set[str], int]:
    """Every page reachable by links from the home page and administration: the planted texts
    found, and how many pages were read."""
    found, seen, queue = set(), set(), deque(["/", "/admin/"])
    while queue and len(seen) < PAGE_LIMIT:
        path = unescape(queue.popleft())
        if path in seen or SKIPPED.match(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode("utf-8", errors="ignore")
        found |= {text for text in PLANTED if text in body}
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(link for link in LINK.findall(body) if unescape(link) not in seen)
    return found, len(seen)


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_planted_confidential_text_only_where_the_design_allows(client, planted, role):
    client.force_login(getattr(planted, role).user)
    found, pages = crawl(client)
    expected = {text for text, allowed in PLANTED.items() if role in allowed}
    assert found == expected, f"{role} after {pages} pages"
    assert pages > 5
