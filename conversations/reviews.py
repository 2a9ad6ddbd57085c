"""6- and 12-month reviews: scheduled when an initial talent conversation is held.

A review is a conversation of kind 6-month or 12-month that follows the initial one,
with its host and employee, waiting to be booked by its due date. It can be moved to
another date, or closed, each with a reason kept in ReviewChange.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import Employee

from .models import Conversation, ReviewChange
from .notifications import Event, notify

REVIEW_KINDS = {6: Conversation.Kind.SIX_MONTH, 12: Conversation.Kind.TWELVE_MONTH}
OPEN = [Conversation.Status.REQUESTED, Conversation.Status.BOOKED]


class ReviewRefused(Exception):
    """The review cannot be changed now, or not by this person."""


def reviews_schedule(*, conversation: Conversation) -> list[Conversation]:
    """Schedule the reviews that follow a held talent conversation (once; holding is one-way)."""
    if conversation.kind != Conversation.Kind.TALENT:
        return []
    held_on = timezone.localdate(conversation.held_at or timezone.now())
    reviews = []
    for months in settings.REVIEW_AFTER_MONTHS:
        review, _ = Conversation.objects.get_or_create(
            follows=conversation,
            kind=REVIEW_KINDS.get(months, Conversation.Kind.TWELVE_MONTH),
            defaults={
                "employee": conversation.employee,
                "host": conversation.host,
                "origin": Conversation.Origin.SCHEDULED,
                "started_by": conversation.host.user,
                "due_on": held_on + relativedelta(months=months),
            },
        )
        reviews.append(review)
    return reviews


def _check(review: Conversation, by: Employee) -> None:
    if not review.is_review or review.host_id != by.pk:
        raise ReviewRefused("Only the host of a review can move or close it.")
    if review.status not in OPEN:
        raise ReviewRefused(f"This review is {review.get_status_display().lower()}; it cannot be changed now.")


def review_reschedule(*, review: Conversation, by: Employee, due_on: date, reason: str) -> Conversation:
    _check(review, by)
    with transaction.atomic():
        updated = Conversation.objects.filter(pk=review.pk, status__in=OPEN, due_on=review.due_on).update(
            due_on=due_on, updated_at=timezone.now()
        )
        if not updated:
            raise ReviewRefused("Someone else changed this review a moment ago. Reload to see it.")
        ReviewChange.objects.create(
            review=review, changed_by=by.user, from_date=review.due_on, to_date=due_on, reason=reason
        )
    review.refresh_from_db()
    return review


def review_close(*, review: Conversation, by: Employee, reason: str) -> Conversation:
    """Close a review without meeting (for example, the person has left the team)."""
    from .services import IllegalMove, move

    _check(review, by)
    was_booked = review.status == Conversation.Status.BOOKED
    due_on = review.due_on
    with transaction.atomic():
        try:
            move(
                review,
                "close_review",
                by,
                close_reason=reason,
                calendar_sequence=F("calendar_sequence") + (1 if was_booked else 0),
            )
        except IllegalMove as error:
            raise ReviewRefused(str(error)) from None
        ReviewChange.objects.create(review=review, changed_by=by.user, from_date=due_on, reason=reason)
        if was_booked:
            notify(review, Event.CANCELLED, cancelled_by=by.pk)
    return review
