"""Sending in chunks: one mail connection per chunk, the beat task fanning chunks out as tasks, each
chunk claimed in one statement before anything is sent and its outcomes recorded in bulk. Senders
racing on PostgreSQL are in tests/test_reminder_scan_concurrency.py."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations import outbox
from conversations.factories import ReviewFactory
from conversations.models import Conversation, Notice
from conversations.reminders import notices_scan, reminders_create
from conversations.tasks import notices_scan_task
from talentapp.celery import app

OPENED = []


class CountingBackend(EmailBackend):
    """The locmem backend, counting the connections made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        OPENED.append(self)


class FirstSendFailsBackend(CountingBackend):
    def send_messages(self, messages):
        if len(OPENED) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def counting(settings):
    OPENED.clear()
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    return OPENED


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(outbox, "SEND_CHUNK", 4)


def test_it_sends_a_chunk_of_emails_over_one_connection(db, counting, small_chunks):
    ReviewFactory.create_batch(5)  # both people reminded: 10 emails, chunks of 4, 4 and 2
    assert notices_scan()["sent"] == 10
    assert len(mail.outbox) == 10
    assert len(counting) == 3
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}


def test_it_fans_the_scan_out_as_a_task_per_chunk(db, counting, small_chunks, django_capture_on_commit_callbacks):
    ReviewFactory.create_batch(5)
    queued = []
    send = app.tasks["conversations.tasks.notices_send_task"]
    original = send.delay

    def delay(notice_ids):
        queued.append(list(notice_ids))
        return original(notice_ids)  # eager without Redis: sent here

    send.delay = delay
    try:
        notices_scan_task()
    finally:
        send.delay = original
    assert [len(chunk) for chunk in queued] == [4, 4, 2]
    assert len(mail.outbox) == 10
    assert len(counting) == 3


def test_it_opens_a_new_connection_after_one_breaks_and_retries_the_email_later(db, settings, small_chunks):
    OPENED.clear()
    settings.EMAIL_BACKEND = f"{__name__}.FirstSendFailsBackend"
    ReviewFactory.create_batch(2)
    assert notices_scan()["sent"] == 3
    assert len(OPENED) == 2
    failed = Notice.objects.get(status=Notice.Status.PENDING)
    assert failed.attempts == 1
    assert "unexpectedly closed" in failed.last_error


def test_it_claims_each_email_before_sending_it_so_a_chunk_sent_twice_sends_once(db, counting):
    ReviewFactory.create_batch(3)
    reminders_create()
    (chunk,) = outbox.due_notice_chunks(now=timezone.now())
    assert outbox.notices_send(chunk) == 6
    assert outbox.notices_send(chunk) == 0
    assert len(mail.outbox) == 6


def test_it_routes_the_email_tasks_to_the_reminders_queue_and_long_work_to_the_exports_queue():
    expected = {
        "conversations.tasks.notice_send_task": "reminders",
        "conversations.tasks.notices_send_task": "reminders",
        "conversations.tasks.notices_scan_task": "reminders",
        "pdp.tasks.build_plan_export": "exports",
        "pdp.tasks.exports_recover_task": "reminders",
        "people.tasks.import_jobs_recover_task": "reminders",
        "people.tasks.staff_import_check_task": "exports",
        "people.tasks.staff_import_run_task": "exports",
        "talentapp.tasks.retention_apply_task": "exports",
    }
    app.loader.import_default_modules()  # every app's tasks, as a worker loads them
    ours = sorted(name for name in app.tasks if not name.startswith("celery."))
    assert ours == sorted(expected)  # a new task is given a queue here
    assert {name: app.amqp.router.route({}, name)["queue"].name for name in ours} == expected


def due_chunk(reviews: int) -> list[int]:
    """Reminders for `reviews` reviews due today (two each), written and listed as one chunk."""
    ReviewFactory.create_batch(reviews)
    reminders_create()
    (chunk,) = outbox.due_notice_chunks(now=timezone.now())
    return chunk


def updates_made_sending(chunk: list[int]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert outbox.notices_send(chunk) == len(chunk)
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]


def test_it_claims_a_chunk_in_one_statement_and_records_those_sent_in_one(db):
    claimed, recorded = updates_made_sending(due_chunk(2))  # 4 emails
    assert "RETURNING" in claimed
    assert "'sent'" in recorded
    assert len(updates_made_sending(due_chunk(12))) == 2  # 24 emails
    assert set(Notice.objects.values_list("status", flat=True)) == {Notice.Status.SENT}
    assert not Notice.objects.filter(sent_at=None).exists()


def test_it_claims_one_at_a_time_where_the_database_cannot_return_what_it_updated(db, monkeypatch):
    monkeypatch.setattr(outbox, "can_update_returning", lambda using: False)  # SQLite before 3.35
    chunk = due_chunk(2)
    assert len(updates_made_sending(chunk)) == len(chunk) + 1
    assert outbox.notices_send(chunk) == 0
    assert len(mail.outbox) == 4


class SecondSenderBackend(EmailBackend):
    """While the first email of a chunk is going, another sender is handed the same chunk."""

    chunk, second_sent = [], []

    def send_messages(self, messages):
        if len(mail.outbox) == 0:
            type(self).second_sent.append(outbox.notices_send(type(self).chunk))
        return super().send_messages(messages)


def test_it_sends_each_email_once_when_a_second_sender_gets_the_chunk_while_the_first_sends_it(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SecondSenderBackend"
    SecondSenderBackend.chunk, SecondSenderBackend.second_sent = due_chunk(3), []
    assert outbox.notices_send(SecondSenderBackend.chunk) == 6
    assert SecondSenderBackend.second_sent == [0]  # everything was claimed by the first
    assert len(mail.outbox) == 6
    assert len({message.to[0] for message in mail.outbox}) == 6


class RefusesOneBackend(EmailBackend):
    refused = ""

    def send_messages(self, messages):
        if messages[0].to[0] == type(self).refused:
            raise smtplib.SMTPRecipientsRefused({type(self).refused: (550, b"No such mailbox")})
        return super().send_messages(messages)


def test_it_records_what_happened_to_each_email_of_a_chunk(db, settings):
    """Sent, no longer needed (the review was cancelled) and refused, from one chunk."""
    settings.EMAIL_BACKEND = f"{__name__}.RefusesOneBackend"
    sent, cancelled, refused = ReviewFactory.create_batch(3)
    RefusesOneBackend.refused = refused.employee.user.email
    reminders_create()
    Conversation.objects.filter(pk=cancelled.pk).update(status=Conversation.Status.CANCELLED)
    (chunk,) = outbox.due_notice_chunks(now=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert outbox.notices_send(chunk) == 3
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == 4  # the claim, the one refused, all those sent, all those skipped

    def outcome(review):
        return sorted(Notice.objects.filter(conversation=review).values_list("status", "attempts"))

    assert outcome(sent) == [(Notice.Status.SENT, 1)] * 2
    assert outcome(cancelled) == [(Notice.Status.SKIPPED, 1)] * 2
    assert outcome(refused) == sorted([(Notice.Status.SENT, 1), (Notice.Status.PENDING, 1)])
    retry = Notice.objects.get(status=Notice.Status.PENDING)
    assert "No such mailbox" in retry.last_error
    assert retry.next_attempt_at == retry.claimed_at + outbox.backoff(1)


def test_it_retries_later_an_email_that_could_not_be_made_and_sends_the_rest(db, monkeypatch):
    chunk = due_chunk(2)
    build = outbox.notice_email_build

    def broken_for_the_first(notice, **kwargs):
        if notice.pk == chunk[0]:
            raise ValueError("a template that does not render")
        return build(notice, **kwargs)

    monkeypatch.setattr(outbox, "notice_email_build", broken_for_the_first)
    assert outbox.notices_send(chunk) == 3
    broken = Notice.objects.get(pk=chunk[0])
    assert (broken.status, broken.attempts, broken.last_error) == (
        Notice.Status.PENDING,
        1,
        "a template that does not render",
    )


class StopsAtThirdBackend(EmailBackend):
    """A sender that stops (a shutdown) while sending the third email of its chunk."""

    recorded_before = []

    def send_messages(self, messages):
        if len(mail.outbox) == 2:
            type(self).recorded_before.append(Notice.objects.filter(status=Notice.Status.SENT).count())
            raise KeyboardInterrupt
        return super().send_messages(messages)


def test_it_records_the_sent_as_it_goes_and_puts_back_what_it_never_tried_when_it_stops(db, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.StopsAtThirdBackend"
    monkeypatch.setattr(outbox, "RECORD_EVERY", 0)  # record each as it goes
    StopsAtThirdBackend.recorded_before = []
    chunk = due_chunk(3)
    with pytest.raises(KeyboardInterrupt):
        outbox.notices_send(chunk)
    assert StopsAtThirdBackend.recorded_before == [2]  # recorded before the sender stopped
    statuses = dict(Notice.objects.values_list("pk", "status"))
    assert [statuses[notice_id] for notice_id in chunk] == [
        Notice.Status.SENT,
        Notice.Status.SENT,
        Notice.Status.SENDING,  # it may have gone: released by the next scan after STALE_CLAIM
        *[Notice.Status.PENDING] * 3,  # never tried: waiting again, no attempt used
    ]
    assert set(Notice.objects.filter(pk__in=chunk[3:]).values_list("attempts", flat=True)) == {0}


def test_it_leaves_alone_a_notice_whose_claim_another_sender_took_over(db, settings):
    """A sender so slow that its claim was released and taken by another does not record over it."""
    chunk = due_chunk(1)
    taken_over = timezone.now() + timezone.timedelta(minutes=20)
    settings.EMAIL_BACKEND = f"{__name__}.TakeOverBackend"
    TakeOverBackend.notice_id, TakeOverBackend.claimed_at = chunk[1], taken_over
    assert outbox.notices_send(chunk) == 2
    notice = Notice.objects.get(pk=chunk[1])
    assert (notice.status, notice.claimed_at) == (Notice.Status.SENDING, taken_over)
    assert Notice.objects.get(pk=chunk[0]).status == Notice.Status.SENT


class TakeOverBackend(EmailBackend):
    notice_id, claimed_at = None, None

    def send_messages(self, messages):
        Notice.objects.filter(pk=type(self).notice_id).update(claimed_at=type(self).claimed_at)
        return super().send_messages(messages)
