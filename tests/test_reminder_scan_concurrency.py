"""Scans running at the same time on PostgreSQL (beat and cron, or two beats by mistake) send each reminder once.

The sequential case (scanning again and again sends nothing more) is in
conversations/tests/test_reminders.py; this is the race, which needs a database with
real concurrent transactions: skipped on SQLite, and failed there with REQUIRE_SERVICES=1.
"""

import email
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from conftest import skip_unless_available
from conversations import outbox, reminders
from conversations.factories import ReviewFactory
from conversations.models import Conversation, Notice
from conversations.reminders import notices_scan
from tests.test_celery_worker import database_url_for_worker

BASE_DIR = Path(__file__).resolve().parent.parent
REVIEWS = 40  # both people are reminded: 80 emails


@pytest.fixture
def due_reviews(transactional_db) -> list[Conversation]:
    skip_unless_available(
        connection.vendor == "postgresql", "concurrent scans need PostgreSQL; set DATABASE_URL to a PostgreSQL database"
    )
    return ReviewFactory.create_batch(REVIEWS)


def expected_recipients(reviews) -> Counter:
    """Every person in a review gets one reminder (the factories give each review its own two people)."""
    return Counter(person.user.email for review in reviews for person in (review.employee, review.host))


def assert_every_reminder_sent_once(reviews, sent_to: Counter) -> None:
    assert sent_to == expected_recipients(reviews)
    notices = Notice.objects.filter(conversation__in=reviews)
    assert notices.count() == 2 * REVIEWS
    assert set(notices.values_list("kind", "status")) == {(Notice.Kind.REVIEW_DUE, Notice.Status.SENT)}


def run_together(targets) -> None:
    """Each of `targets` in a thread of its own, all at once; fails if one has not ended within a minute."""
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"


def test_it_sends_each_reminder_once_when_four_scans_run_at_once(due_reviews, monkeypatch):
    """Four scans find the same 80 reminders missing, write them at the same moment, then race for every claim."""
    scans = 4
    # Left to the scheduler, one scan often finishes before another starts; hold them
    # together at the two points where they contend.
    write_together = threading.Barrier(scans, timeout=30)
    claim_together_barrier = threading.Barrier(scans, timeout=30)
    claims = []
    review_reminders, claim = reminders._review_reminders, outbox.notices_claim

    def review_reminders_then_wait(now):
        missing = review_reminders(now)
        write_together.wait()  # every scan has found the same reminders missing: all write them now
        return missing

    def claim_together(notice_ids, *, now):
        claim_together_barrier.wait()  # every scan has listed the same pending notices: all claim now
        won = claim(notice_ids, now=now)
        claims.append((len(notice_ids), len(won.attempts)))
        return won

    monkeypatch.setattr(reminders, "_review_reminders", review_reminders_then_wait)
    monkeypatch.setattr(outbox, "notices_claim", claim_together)
    results, errors = [], []
    now = timezone.now()  # one moment, so that each scan finds every reminder due

    def scan():
        try:
            results.append(notices_scan(now=now))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    run_together([scan] * scans)
    assert errors == []

    assert_every_reminder_sent_once(due_reviews, Counter(message.to[0] for message in mail.outbox))
    assert [result["created"] for result in results] == [2 * REVIEWS] * scans  # all wrote, at once
    assert sum(result["sent"] for result in results) == 2 * REVIEWS
    assert [tried for tried, _ in claims] == [2 * REVIEWS] * scans  # every scan tried to claim every notice
    assert sum(won for _, won in claims) == 2 * REVIEWS  # and each notice went to one


def test_it_sends_each_email_once_when_two_senders_claim_overlapping_chunks_at_once(due_reviews, monkeypatch):
    """Two workers handed chunks that overlap (a task delivered twice, a scan and a retry) claim
    at the same moment: each notice is claimed by one of them and sent once."""
    reminders.reminders_create()
    (chunk,) = outbox.due_notice_chunks(now=timezone.now())
    chunks = [chunk[: 3 * len(chunk) // 4], chunk[len(chunk) // 4 :]]  # half of the notices in both
    together = threading.Barrier(len(chunks), timeout=30)
    claim, won, sent, errors = outbox.notices_claim, {}, [], []

    def claim_together(notice_ids, *, now):
        together.wait()
        result = claim(notice_ids, now=now)
        won[tuple(notice_ids)] = set(result.attempts)
        return result

    monkeypatch.setattr(outbox, "notices_claim", claim_together)

    def send(notice_ids):
        try:
            sent.append(outbox.notices_send(notice_ids))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    run_together([lambda notice_ids=notice_ids: send(notice_ids) for notice_ids in chunks])
    assert errors == []

    first, second = won.values()
    assert first.isdisjoint(second)
    assert first | second == set(chunk)
    assert sum(sent) == len(chunk)
    assert_every_reminder_sent_once(due_reviews, Counter(message.to[0] for message in mail.outbox))


def emails_in(folder: Path) -> list[email.message.Message]:
    """What the file email backend wrote: messages separated by a line of 79 dashes."""
    return [
        email.message_from_string(chunk)
        for path in sorted(folder.iterdir())
        for chunk in path.read_text().split("\n" + "-" * 79 + "\n")
        if chunk.strip()
    ]


def test_it_sends_each_reminder_once_when_send_reminders_runs_twice_at_once(due_reviews, tmp_path):
    """Two processes, as cron and the beat task would be."""
    base = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    runs = []
    for number in range(2):
        folder = tmp_path / f"run{number}"
        folder.mkdir()
        env = {
            **base,
            "DATABASE_URL": database_url_for_worker(),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder),
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs.append((process, folder))
    try:
        outputs = [process.communicate(timeout=60) for process, _ in runs]
    finally:
        for process, _ in runs:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
    for (process, _), (stdout, stderr) in zip(runs, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert stdout.startswith("Reminder scan:"), stdout

    sent_to = Counter(message["To"] for _, folder in runs for message in emails_in(folder))
    assert_every_reminder_sent_once(due_reviews, sent_to)
