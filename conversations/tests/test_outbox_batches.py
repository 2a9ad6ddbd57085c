"""Sending in chunks: one mail connection per chunk, the beat task fanning chunks out as tasks,
and each email still claimed before it is sent."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from conversations import outbox
from conversations.factories import ReviewFactory
from conversations.models import Notice
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
        "people.tasks.staff_import_check_task": "exports",
        "people.tasks.staff_import_run_task": "exports",
        "talentapp.tasks.retention_apply_task": "exports",
    }
    app.loader.import_default_modules()  # every app's tasks, as a worker loads them
    ours = sorted(name for name in app.tasks if not name.startswith("celery."))
    assert ours == sorted(expected)  # a new task is given a queue here
    assert {name: app.amqp.router.route({}, name)["queue"].name for name in ours} == expected
