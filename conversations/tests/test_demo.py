from io import StringIO

from django.core.management import call_command

from conversations.models import Conversation, SupporterProfile
from conversations.selectors import conversations_waiting
from people.models import Employee


def demo(username):
    return Employee.objects.get(user__username=username)


def test_it_seeds_conversations_in_every_state(db):
    call_command("seed_demo", employees=60, verbosity=0)
    manager = demo("manager")
    states = set(Conversation.objects.filter(host=manager).values_list("status", flat=True))
    assert states == set(Conversation.Status.values) - {Conversation.Status.CLOSED}


def test_it_gives_each_demo_account_something_to_do(db):
    call_command("seed_demo", employees=60, verbosity=0)
    for username in ("employee", "manager", "supporter"):
        assert conversations_waiting(demo(username)), username


def test_it_lists_the_demo_supporter_in_the_directory_with_capacity(db):
    call_command("seed_demo", employees=60, verbosity=0)
    assert SupporterProfile.objects.get(employee=demo("supporter")).has_capacity


def test_it_spreads_conversations_across_the_organisation(db):
    call_command("seed_demo", employees=300, verbosity=0)
    hosts = Conversation.objects.values("host").distinct().count()
    assert Conversation.objects.count() > 60
    assert hosts > 10


def test_it_seeds_reviews_that_are_coming_up_due_and_late(db):
    from django.utils import timezone

    call_command("seed_demo", employees=60, verbosity=0)
    today = timezone.localdate()
    manager_reviews = Conversation.objects.filter(host=demo("manager"), follows__isnull=False, status="requested")
    days = {(review.due_on - today).days for review in manager_reviews}
    assert {0, -17, 10} <= days


def test_it_sends_reminders_at_once_on_a_fresh_demo(db, mailoutbox):
    call_command("seed_demo", employees=60, verbosity=0)
    call_command("send_reminders", stdout=StringIO())
    subjects = [message.subject for message in mailoutbox]
    assert any(subject.startswith("Due now") for subject in subjects)
    assert any(subject.startswith("Overdue") for subject in subjects)
    assert any(subject.startswith("Coming up") for subject in subjects)
    assert any(subject.startswith("Waiting for your reply") for subject in subjects)
