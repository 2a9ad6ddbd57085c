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


def test_it_tells_a_story_for_the_demo_accounts(db):
    from django.utils import timezone

    from pdp.models import Plan

    call_command("seed_demo", employees=60, verbosity=0)
    employee, manager = demo("employee"), demo("manager")
    # The employee has a record the manager has signed off, waiting for their own sign-off ...
    waiting = Conversation.objects.get(employee=employee, kind="talent", status="held")
    assert waiting.host_signed_off_at is not None
    assert waiting.employee_signed_off_at is None
    # ... and a plan under way.
    plan = Plan.objects.get(employee=employee, is_current=True)
    assert plan.actions.filter(status="in_progress").exists()
    # The manager has a conversation whose time has come today: to be recorded.
    today = Conversation.objects.filter(host=manager, status="booked", starts_at__date=timezone.localdate())
    assert today.filter(starts_at__lte=timezone.now()).exists()


def test_it_varies_the_way_forward(db):
    call_command("seed_demo", employees=120, verbosity=0)
    recorded = Conversation.objects.exclude(way_forward="")
    assert recorded.values("way_forward").distinct().count() >= 6


def test_it_keeps_to_one_talent_conversation_under_way_per_person(db):
    from django.db.models import Count

    call_command("seed_demo", employees=200, verbosity=0)
    under_way = Conversation.objects.filter(kind="talent", status__in=["requested", "booked", "held"])
    assert not under_way.values("employee").annotate(n=Count("pk")).filter(n__gt=1).exists()
