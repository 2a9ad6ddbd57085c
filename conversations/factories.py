import datetime

import factory
from django.utils import timezone

from people.factories import EmployeeFactory

from .models import Conversation, SupporterProfile


class ConversationFactory(factory.django.DjangoModelFactory):
    """A talent conversation between an employee and their line manager, waiting to be booked."""

    class Meta:
        model = Conversation

    employee = factory.SubFactory(EmployeeFactory, line_manager=factory.SelfAttribute("..host"))
    host = factory.SubFactory(EmployeeFactory, job_title="Ward Manager")
    kind = Conversation.Kind.TALENT
    origin = Conversation.Origin.MANAGER
    started_by = factory.LazyAttribute(lambda conversation: conversation.host.user)


class BookedConversationFactory(ConversationFactory):
    status = Conversation.Status.BOOKED
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    duration_minutes = 60
    venue = "Quiet room, Ward 7"
    venue_is_private = True


class HeldConversationFactory(BookedConversationFactory):
    status = Conversation.Status.HELD
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    held_at = factory.LazyFunction(timezone.now)
    topic = "Moving towards a charge nurse role"
    goal = "Lead shifts on Ward 7 within a year"
    way_forward = "Shadow the charge nurse on two shifts a month"


class SupporterProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupporterProfile

    employee = factory.SubFactory(EmployeeFactory, job_title="Consultant Physician")
    help_with = "Medical leadership, research careers, returning from a career break."
    has_capacity = True


class ReviewFactory(ConversationFactory):
    """A 6-month review of a held talent conversation, due today, waiting to be booked."""

    # The conversation it follows is signed off, as it is by the time a review is due (and so
    # no longer the employee's one talent conversation under way).
    follows = factory.SubFactory(
        HeldConversationFactory,
        status=Conversation.Status.SIGNED_OFF,
        host_signed_off_at=factory.LazyFunction(timezone.now),
        employee_signed_off_at=factory.LazyFunction(timezone.now),
    )
    employee = factory.SelfAttribute("follows.employee")
    host = factory.SelfAttribute("follows.host")
    kind = Conversation.Kind.SIX_MONTH
    origin = Conversation.Origin.SCHEDULED
    due_on = factory.LazyFunction(timezone.localdate)
