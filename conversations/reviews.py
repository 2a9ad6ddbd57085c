"""6- and 12-month reviews: scheduled when an initial talent conversation is held.

A review is a conversation of kind 6-month or 12-month that follows the initial one,
with its host and employee, waiting to be booked by its due date. It can be moved to
another date, or closed, each with a reason kept in ReviewChange. Who may do either, and
when, is conversations.states' (moves `reschedule` and `close_review`).

Reviews fall due 6 and 12 months after the initial conversation was held: the two review
kinds, one of each per conversation (a database constraint).
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from core.refusal import Refused
from people.models import Employee

from . import states
from .calendar import sequence_moved_on
from .events import Event
from .models import Conversation, ReviewChange
from .notifications import notify

REVIEW_AFTER_MONTHS = {Conversation.Kind.SIX_MONTH: 6, Conversation.Kind.TWELVE_MONTH: 12}


def review_due_dates(start: date) -> dict[str, date]:
    """When the 6- and 12-month reviews after `start` fall due, by review kind. A month without
    the day gives its last day (31 August + 6 months is 28 February)."""
    return {kind: start + relativedelta(months=months) for kind, months in REVIEW_AFTER_MONTHS.items()}


def reviews_due_if_held(conversation: Conversation, held_on: date) -> dict[str, date]:
    """The reviews that holding `conversation` on `held_on` schedules, by kind: a talent
    conversation's two; none for a review or a career conversation."""
    if conversation.kind != Conversation.Kind.TALENT:
        return {}
    return review_due_dates(held_on)


def reviews_schedule(*, conversation: Conversation) -> list[Conversation]:
    """Schedule the reviews that follow a held talent conversation (once; holding is one-way)."""
    held_on = timezone.localdate(conversation.held_at or timezone.now())
    reviews = []
    for kind, due_on in reviews_due_if_held(conversation, held_on).items():
        review, _ = Conversation.objects.get_or_create(
            follows=conversation,
            kind=kind,
            defaults={
                "employee": conversation.employee,
                "host": conversation.host,
                "origin": Conversation.Origin.SCHEDULED,
                "started_by": conversation.host.user,
                "due_on": due_on,
            },
        )
        reviews.append(review)
    return reviews


def review_reschedule(*, review: Conversation, by: Employee, due_on: date, reason: str) -> Conversation:
    states.check(review, "reschedule", by)
    with transaction.atomic():
        updated = Conversation.objects.filter(pk=review.pk, status=review.status, due_on=review.due_on).update(
            due_on=due_on, updated_at=timezone.now()
        )
        if not updated:
            raise Refused(states.RACED.format(noun="review"))
        ReviewChange.objects.create(
            review=review, changed_by=by.user, from_date=review.due_on, to_date=due_on, reason=reason
        )
    review.refresh_from_db()
    return review


def review_close(*, review: Conversation, by: Employee, reason: str) -> Conversation:
    """Close a review without meeting (for example, the person has left the team)."""
    was_booked = review.status == Conversation.Status.BOOKED
    due_on = review.due_on
    with transaction.atomic():
        states.apply(review, "close_review", by, close_reason=reason, **sequence_moved_on(review))
        ReviewChange.objects.create(review=review, changed_by=by.user, from_date=due_on, reason=reason)
        if was_booked:
            notify(review, Event.CANCELLED, cancelled_by=by.pk)
    return review
