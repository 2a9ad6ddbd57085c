import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conversations import services
from conversations.factories import BookedConversationFactory, ConversationFactory
from conversations.models import Conversation, ReviewChange
from conversations.reviews import review_close, review_reschedule
from core.refusal import Refused

LONDON = ZoneInfo("Europe/London")
HELD_ON = datetime.datetime(2026, 8, 31, 15, 0, tzinfo=LONDON)


@pytest.fixture
def held(cast):
    conversation = BookedConversationFactory(
        employee=cast.employee, host=cast.manager, starts_at=HELD_ON - datetime.timedelta(hours=1)
    )
    with time_machine.travel(HELD_ON, tick=False):
        services.conversation_hold(conversation=conversation, by=cast.manager)
    return conversation


def test_it_schedules_6_and_12_month_reviews_when_held(held, cast):
    reviews = {review.kind: review for review in held.reviews.all()}
    assert set(reviews) == {Conversation.Kind.SIX_MONTH, Conversation.Kind.TWELVE_MONTH}
    assert reviews["six_month"].due_on == datetime.date(2027, 2, 28)  # no 31 February: the month's last day
    assert reviews["twelve_month"].due_on == datetime.date(2027, 8, 31)
    for review in reviews.values():
        assert (review.employee, review.host, review.status) == (cast.employee, cast.manager, "requested")
        assert review.origin == Conversation.Origin.SCHEDULED


def test_it_schedules_no_reviews_for_a_career_conversation(cast):
    career = BookedConversationFactory(
        employee=cast.employee,
        host=cast.supporter,
        kind=Conversation.Kind.CAREER,
        starts_at=HELD_ON - datetime.timedelta(hours=1),
    )
    with time_machine.travel(HELD_ON, tick=False):
        services.conversation_hold(conversation=career, by=cast.supporter)
    assert not career.reviews.exists()


def test_it_reschedules_a_review_with_its_reason(held, cast):
    review = held.reviews.get(kind="six_month")
    review_reschedule(review=review, by=cast.manager, due_on=datetime.date(2027, 3, 15), reason="Maternity leave")
    review.refresh_from_db()
    assert review.due_on == datetime.date(2027, 3, 15)
    change = ReviewChange.objects.get()
    assert (change.from_date, change.to_date, change.reason) == (
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 15),
        "Maternity leave",
    )


def test_it_closes_a_review_with_its_reason(held, cast):
    review = held.reviews.get(kind="twelve_month")
    review_close(review=review, by=cast.manager, reason="Left the trust")
    review.refresh_from_db()
    assert (review.status, review.close_reason) == (Conversation.Status.CLOSED, "Left the trust")
    with pytest.raises(Refused):
        review_reschedule(review=review, by=cast.manager, due_on=datetime.date(2027, 9, 1), reason="x")


def test_it_keeps_reviews_to_their_host(held, cast):
    review = held.reviews.get(kind="six_month")
    with pytest.raises(Refused):
        review_close(review=review, by=cast.employee, reason="x")
    with pytest.raises(Refused):
        review_reschedule(review=review, by=cast.senior_manager, due_on=datetime.date(2027, 3, 1), reason="x")


def test_it_refuses_to_move_something_that_is_not_a_review(cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    with pytest.raises(Refused):
        review_close(review=conversation, by=cast.manager, reason="x")
