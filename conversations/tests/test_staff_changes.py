"""Conversations follow the staff import: leavers' open conversations and reviews close, and
open talent conversations and reviews move to a person's new line manager."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from conversations import states
from conversations.factories import BookedConversationFactory, ConversationFactory, ReviewFactory
from conversations.models import Conversation, Notice
from conversations.reminders import notices_scan
from people.importer import staff_import
from people.models import Employee
from people.tests.esr import esr_csv, trust

TODAY = datetime.datetime(2026, 12, 1, 10, 0)
Status = Conversation.Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def person(number: str) -> Employee:
    return Employee.objects.select_related("user").get(staff_number=number)


def run(tmp_path, rows, *args) -> str:
    path = tmp_path / "esr.csv"
    path.write_bytes(esr_csv(rows))
    out = io.StringIO()
    call_command("import_staff", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def trust_with_conversations(tmp_path, django_capture_on_commit_callbacks):
    """The trust imported; conversations and reviews open with Chidi (10000009) and Zoë (10000002)."""
    run(tmp_path, trust())
    zoe, chidi = person("10000002"), person("10000009")
    made = {
        "kwame_talent": ConversationFactory(employee=person("10000005"), host=zoe),
        "kwame_review": ReviewFactory(
            follows__employee=person("10000005"), follows__host=zoe, due_on=datetime.date(2026, 12, 15)
        ),
        "amy_booked": BookedConversationFactory(employee=person("10000010"), host=chidi),
        "tom_review": ReviewFactory(
            follows__employee=person("10000011"), follows__host=chidi, due_on=datetime.date(2026, 12, 20)
        ),
        "gareth_career": ConversationFactory(
            employee=person("10000007"),
            host=chidi,
            kind=Conversation.Kind.CAREER,
            origin=Conversation.Origin.SUPPORTER_REQUEST,
        ),
    }
    mail.outbox.clear()
    return made


def reload(conversations: dict) -> dict:
    return {name: Conversation.objects.select_related("host").get(pk=c.pk) for name, c in conversations.items()}


def test_it_closes_leavers_conversations_and_hands_their_reports_to_the_manager_the_file_names(
    tmp_path, trust_with_conversations, django_capture_on_commit_callbacks
):
    gone = {"10000009", "10000005", "10000004"}  # Chidi (a manager), Kwame, Anita
    later = [row for row in trust() if row["Employee Number"] not in gone]
    for row in later:
        if row["Supervisor Employee Number"] == "10000009":  # Amy and Tom now report to Zoë
            row["Supervisor Employee Number"] = "10000002"

    with django_capture_on_commit_callbacks(execute=True):
        output = run(tmp_path, later, "--complete")

    for number in gone:
        assert not person(number).user.is_active
        assert person(number).left_on == datetime.date(2026, 12, 1)
    after = reload(trust_with_conversations)
    for name in ("kwame_talent", "kwame_review", "gareth_career"):
        assert (after[name].status, after[name].close_reason) == (Status.CLOSED, "left the organisation"), name
    zoe = person("10000002")
    assert (after["amy_booked"].status, after["amy_booked"].host) == (Status.BOOKED, zoe)
    assert (after["tom_review"].status, after["tom_review"].host) == (Status.REQUESTED, zoe)
    assert "2 open talent conversations and reviews moved to the new line manager" in output
    assert "3 open conversations and reviews of leavers were closed: left the organisation." in output
    sent = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert sent == [
        (zoe.user.email, "Amy Brown's talent conversation is now with you"),
        (zoe.user.email, "Tom Smith's 6-month review is now with you"),
    ]
    # Reminders stop: the scan on Kwame's review's due day sends nothing to him or about it.
    mail.outbox.clear()
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, 0), tick=False):
        notices_scan()
    assert all("Kwame" not in message.body for message in mail.outbox)
    assert (
        not Notice.objects.filter(conversation=after["kwame_review"], kind__startswith="review")
        .exclude(status=Notice.Status.SKIPPED)
        .filter(status=Notice.Status.SENT)
    )


def test_it_hands_open_conversations_to_a_new_manager_who_is_told(
    tmp_path, client, trust_with_conversations, django_capture_on_commit_callbacks
):
    chidi, zoe = person("10000009"), person("10000002")
    # Amy's talent conversation is booked (the fixture's); beside it, a review waiting to be
    # booked and a review already held (a person has one talent conversation under way at a time).
    amy_requested = ReviewFactory(
        follows__employee=person("10000010"), follows__host=chidi, due_on=datetime.date(2026, 12, 18)
    )
    held = ReviewFactory(
        follows__employee=person("10000010"),
        follows__host=chidi,
        kind=Conversation.Kind.TWELVE_MONTH,
        due_on=datetime.date(2026, 11, 20),
        status=Status.HELD,
        starts_at=datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC),
        duration_minutes=60,
        held_at=datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC),
    )
    rows = trust()
    rows[10]["Supervisor Employee Number"] = "10000002"  # Amy moves from Chidi to Zoë

    with django_capture_on_commit_callbacks(execute=True):
        output = run(tmp_path, rows)

    assert "new manager: 10000010 Amy Brown: Chidi Okafor (10000009) -> Zoë Clarke-Hughes (10000002)" in output
    amy = {c.pk: c for c in Conversation.objects.filter(employee=person("10000010"))}
    assert amy[amy_requested.pk].host == zoe
    assert amy[trust_with_conversations["amy_booked"].pk].host == zoe
    assert amy[trust_with_conversations["amy_booked"].pk].status == Status.BOOKED
    assert amy[held.pk].host == chidi  # a held record stays with the manager who held it
    assert [message.to[0] for message in mail.outbox] == [zoe.user.email, zoe.user.email]
    assert Conversation.objects.get(pk=trust_with_conversations["tom_review"].pk).host == chidi  # Tom stays
    # Chidi no longer reads them through the line.
    client.force_login(chidi.user)
    assert client.get(f"/conversations/{amy_requested.pk}/").status_code == 404
    client.force_login(zoe.user)
    assert client.get(f"/conversations/{amy_requested.pk}/").status_code == 200


def test_it_keeps_a_conversation_with_its_host_when_the_person_has_no_manager_now(tmp_path, trust_with_conversations):
    rows = trust()
    rows[10]["Supervisor Employee Number"] = ""
    rows[10]["Supervisor Assignment Number"] = ""

    output = run(tmp_path, rows)

    assert Conversation.objects.get(pk=trust_with_conversations["amy_booked"].pk).host == person("10000009")
    assert "1 open conversation stays with the previous manager: the person has no line manager in the file." in output


def test_it_previews_what_would_happen_to_conversations_and_changes_nothing(tmp_path, trust_with_conversations):
    later = [row for row in trust() if row["Employee Number"] != "10000009"]
    for row in later:
        if row["Supervisor Employee Number"] == "10000009":
            row["Supervisor Employee Number"] = "10000002"

    report = staff_import(esr_csv(later), complete=True, dry_run=True)

    assert report.effects == [
        "2 open talent conversations and reviews will move to the new line manager, who will be emailed about each.",
        "1 open conversation or review of leavers will be closed: left the organisation.",
    ]
    assert reload(trust_with_conversations)["amy_booked"].host == person("10000009")
    assert person("10000009").user.is_active


def test_it_never_offers_the_systems_move_to_a_person(cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)

    for someone in (cast.employee, cast.manager, cast.hr):
        assert "close_for_leaver" not in states.allowed(conversation, someone)


def test_it_refuses_to_make_a_persons_move_as_the_system(cast):
    with pytest.raises(ValueError, match="made by a person"):
        states.apply_as_system(Conversation.objects.all(), "cancel")


def test_it_offers_no_leaver_to_start_a_conversation_with_or_to_ask(client, cast):
    from conversations.factories import SupporterProfileFactory
    from people.factories import make_supporter

    leaver = cast.employee
    leaver.user.is_active = False
    leaver.user.save()
    supporter = make_supporter(user__username="gone-supporter")
    SupporterProfileFactory(employee=supporter)
    supporter.user.is_active = False
    supporter.user.save()

    client.force_login(cast.manager.user)
    assert leaver.full_name not in client.get("/conversations/new/").content.decode()
    client.force_login(cast.other_employee.user)
    assert supporter.full_name not in client.get("/conversations/supporters/").content.decode()
