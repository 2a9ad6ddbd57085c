"""The conversation's states and moves (conversations.states): what the pages offer is what the
module allows, and an illegal move is refused with its message and changes nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations import services, states
from conversations.factories import (
    BookedConversationFactory,
    ConversationFactory,
    HeldConversationFactory,
    ReviewFactory,
)
from conversations.models import Conversation
from core.refusal import Refused

Status = Conversation.Status

# The conversation pages' URL names, and the move each one makes.
MOVE_OF_URL = {
    "book": "book",
    "decline": "decline",
    "cancel": "cancel",
    "hold": "hold",
    "record": "edit_record",
    "prepare": "prepare",
    "comments": "comment",
    "reschedule": "reschedule",
    "close_review": "close_review",
    "checklist": "edit_checklist",
    "invite": "invite",
    "private_notes": "keep_private_notes",
}


def _past() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=2)


CONVERSATIONS = {
    "requested": lambda cast: ConversationFactory(employee=cast.employee, host=cast.manager),
    "booked ahead": lambda cast: BookedConversationFactory(employee=cast.employee, host=cast.manager),
    "booked, time come": lambda cast: BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=_past()
    ),
    "held": lambda cast: HeldConversationFactory(employee=cast.employee, host=cast.manager),
    "held, host signed": lambda cast: HeldConversationFactory(
        employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now()
    ),
    "signed off": lambda cast: HeldConversationFactory(
        employee=cast.employee,
        host=cast.manager,
        status=Status.SIGNED_OFF,
        host_signed_off_at=timezone.now(),
        employee_signed_off_at=timezone.now(),
    ),
    "declined": lambda cast: ConversationFactory(
        employee=cast.employee, host=cast.manager, status=Status.DECLINED, decline_reason="Not now."
    ),
    "cancelled": lambda cast: BookedConversationFactory(
        employee=cast.employee, host=cast.manager, status=Status.CANCELLED, cancel_reason="Leave."
    ),
    "review requested": lambda cast: ReviewFactory(
        follows=HeldConversationFactory(employee=cast.employee, host=cast.manager)
    ),
    "review booked": lambda cast: ReviewFactory(
        follows=HeldConversationFactory(employee=cast.employee, host=cast.manager),
        status=Status.BOOKED,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_minutes=60,
    ),
    "review closed": lambda cast: ReviewFactory(
        follows=HeldConversationFactory(employee=cast.employee, host=cast.manager),
        status=Status.CLOSED,
        close_reason="Moved team.",
    ),
    "career, requested": lambda cast: ConversationFactory(
        employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER
    ),
}


def offered_moves(content: str, conversation: Conversation, *, viewer_is_host: bool) -> set[str]:
    """The moves the detail page offers: each link or form to one of the conversation's action pages."""
    offered = set()
    for path in re.findall(r'(?:href|action)="([^"#?]+)', content):
        for url_name, move in MOVE_OF_URL.items():
            if path == reverse(f"conversations:{url_name}", args=[conversation.pk]):
                offered.add(move)
        if path == reverse("conversations:sign_off", args=[conversation.pk]):
            offered.add("host_sign_off" if viewer_is_host else "employee_sign_off")
    return offered


@pytest.mark.parametrize("situation", CONVERSATIONS)
@pytest.mark.parametrize("viewer", ["host", "employee", "senior_manager", "hr"])
def test_it_offers_on_each_page_exactly_the_moves_the_state_machine_allows(client, cast, situation, viewer):
    conversation = CONVERSATIONS[situation](cast)
    person = {"host": conversation.host, "employee": cast.employee}.get(viewer) or getattr(cast, viewer)
    client.force_login(person.user)
    response = client.get(reverse("conversations:detail", args=[conversation.pk]))
    if response.status_code == 404:
        # Career conversations stay between the two people: managers up the line see nothing.
        assert (conversation.kind, viewer) == (Conversation.Kind.CAREER, "senior_manager")
        return
    offered = offered_moves(response.content.decode(), conversation, viewer_is_host=viewer == "host")
    assert offered == states.allowed(conversation, person), situation


def test_it_allows_nothing_to_people_who_do_not_take_part(cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager, starts_at=_past())
    for onlooker in (cast.senior_manager, cast.hr, cast.supporter, None):
        assert states.allowed(conversation, onlooker) == set()


def test_it_refuses_an_illegal_move_with_its_message_and_changes_nothing(cast):
    declined = ConversationFactory(employee=cast.employee, host=cast.manager, status=Status.DECLINED)
    with pytest.raises(Refused, match=r"This conversation is declined; that is not possible now\."):
        states.apply(declined, "book", cast.manager, venue="Room 1")
    declined.refresh_from_db()
    assert (declined.status, declined.venue) == (Status.DECLINED, "")


def test_it_refuses_a_move_by_the_wrong_person(cast):
    held = HeldConversationFactory(employee=cast.employee, host=cast.manager)
    with pytest.raises(Refused, match=r"This conversation is held; that is not possible now\."):
        services.conversation_sign_off(conversation=held, by=cast.senior_manager)
    held.refresh_from_db()
    assert held.host_signed_off_at is None


def test_it_refuses_to_decline_or_cancel_a_review(cast):
    review = ReviewFactory(follows=HeldConversationFactory(employee=cast.employee, host=cast.manager))
    assert {"decline", "cancel"} & states.allowed(review, cast.manager) == set()
    with pytest.raises(Refused, match="This review is requested"):
        services.conversation_cancel(conversation=review, by=cast.manager, reason="No.")


def test_it_refuses_the_second_of_two_moves_made_at_once(cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    seen_by_the_employee = Conversation.objects.get(pk=conversation.pk)
    services.conversation_decline(conversation=conversation, by=cast.manager, reason="Not this year.")
    with pytest.raises(Refused, match="Someone else changed this conversation a moment ago"):
        services.conversation_cancel(conversation=seen_by_the_employee, by=cast.employee, reason="Changed my mind.")
    conversation.refresh_from_db()
    assert conversation.status == Status.DECLINED


def test_it_shows_the_refusal_when_a_page_asks_for_an_illegal_move(client, cast):
    signed_off = HeldConversationFactory(
        employee=cast.employee, host=cast.manager, status=Status.SIGNED_OFF, host_signed_off_at=timezone.now()
    )
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:hold", args=[signed_off.pk]), follow=True)
    assert "This conversation is signed off; that is not possible now." in response.content.decode()


def test_it_refuses_the_checklist_once_the_record_is_signed_off(client, cast):
    signed_off = HeldConversationFactory(
        employee=cast.employee, host=cast.manager, status=Status.SIGNED_OFF, host_signed_off_at=timezone.now()
    )
    client.force_login(cast.manager.user)
    response = client.post(
        reverse("conversations:checklist", args=[signed_off.pk]), {"prep_framework": "on"}, follow=True
    )
    assert "The preparation checklist can be changed until the record is signed off." in response.content.decode()
    signed_off.refresh_from_db()
    assert signed_off.prep_framework is False
