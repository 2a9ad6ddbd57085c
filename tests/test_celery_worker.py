"""A real Celery worker, against Redis and the test database, sends each email once.

The worker is a subprocess (`celery -A talentapp worker`) listening on a queue of its
own, with the file email backend writing into the test's folder; the test publishes for
real because REDIS_URL is set, so CELERY_TASK_ALWAYS_EAGER is off. Runs where Redis and
PostgreSQL are available (CI's second run); skipped, or failed with REQUIRE_SERVICES=1,
elsewhere.
"""

import datetime
import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from conftest import skip_unless_available
from conversations import services
from conversations.factories import ConversationFactory, ReviewFactory
from conversations.models import Notice
from conversations.tasks import notice_send_task, notices_scan_task
from talentapp.celery import app

pytestmark = pytest.mark.real_broker  # this process publishes; the worker runs the tasks

BASE_DIR = Path(__file__).resolve().parent.parent
TASKS = (
    "conversations.tasks.notice_send_task",
    "conversations.tasks.notices_send_task",
    "conversations.tasks.notices_scan_task",
)
DEADLINE = 30  # seconds to wait for anything the worker does, start-up included


def redis_reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


def database_url_for_worker() -> str | None:
    """The test database as a DATABASE_URL another process can open, or None if it cannot."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(database["USER"] or "", safe="")
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        host = database["HOST"] or "localhost"
        port = f":{database['PORT']}" if database["PORT"] else ""
        return f"postgres://{user}{password}@{host}{port}/{quote(database['NAME'], safe='')}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{Path(database['NAME']).resolve()}"
    return None


class Worker:
    def __init__(self, process: subprocess.Popen, queue: str, log: Path, outbox: Path):
        self.process, self.queue, self.log, self.outbox = process, queue, log, outbox

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for(self, condition, what: str):
        """Poll `condition` until it is truthy; fail with the worker's log after DEADLINE seconds."""
        give_up = time.monotonic() + DEADLINE
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                pytest.fail(f"The worker stopped (exit {self.process.returncode}):\n{self.log_text()[-4000:]}")
            result = condition()
            if result:
                return result
            time.sleep(0.2)
        pytest.fail(f"Waited {DEADLINE} s for {what}. Worker log:\n{self.log_text()[-4000:]}")

    def wait_until_done(self, *task_ids: str) -> None:
        self.wait_for(
            lambda: all(f"[{task_id}] succeeded" in self.log_text() for task_id in task_ids),
            f"tasks {task_ids} to finish",
        )

    def emails(self) -> list[email.message.Message]:
        """Every email the file backend wrote: one file per connection, messages split by a line of dashes."""
        messages = []
        for path in sorted(self.outbox.iterdir()):
            for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
        return messages


@contextmanager
def routed_to(queue: str):
    """Route the conversation tasks to `queue` from this process (notify() included), then put the routes back."""
    previous = app.conf.task_routes
    app.conf.update(task_routes={name: {"queue": queue} for name in TASKS})
    try:
        yield
    finally:
        app.conf.update(task_routes=previous)


def queue_remove(redis_url: str, queue: str) -> None:
    """Tidy the test's queue, and kombu's bindings for it, out of Redis."""
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
    try:
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
    except redis.RedisError:
        pass


@pytest.fixture(scope="module")
def worker_process(django_db_setup, tmp_path_factory):
    """One worker for the module, started once the test database exists, stopped before it is dropped."""
    redis_url = os.environ.get("REDIS_URL", "")
    skip_unless_available(bool(redis_url), "REDIS_URL is not set")
    skip_unless_available(redis_reachable(redis_url), f"Redis at {redis_url} does not answer")
    database_url = database_url_for_worker()
    skip_unless_available(
        database_url is not None,
        "the test database is SQLite in memory, which a worker process cannot open; "
        "set DATABASE_URL to a PostgreSQL database",
    )
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "with REDIS_URL set, tasks must be published, not run in-process"

    folder = tmp_path_factory.mktemp("worker")
    queue = f"test-worker-{uuid.uuid4().hex[:12]}"
    outbox = folder / "email"
    outbox.mkdir()
    log = folder / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "talentapp",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-heartbeat",
        "--without-mingle",
        "--without-gossip",
        "-Q",
        queue,
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield Worker(process, queue, log, outbox)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        queue_remove(redis_url, queue)


@pytest.fixture
def worker(worker_process, transactional_db):
    """The worker, with committed data, an empty email folder and this process's tasks routed to it."""
    for path in worker_process.outbox.iterdir():
        path.unlink()
    with routed_to(worker_process.queue):
        yield worker_process


def sent(*notices: Notice) -> bool:
    return Notice.objects.filter(pk__in=[n.pk for n in notices], status=Notice.Status.SENT).count() == len(notices)


def recipients(messages) -> Counter:
    return Counter(message["To"] for message in messages)


def test_it_sends_the_booking_emails_through_the_worker_once(worker):
    conversation = ConversationFactory()
    booking = services.Booking(
        starts_at=timezone.now() + datetime.timedelta(days=21),
        duration_minutes=60,
        venue="Quiet room, Ward 7",
        venue_is_private=True,
    )
    # notify() publishes notice_send_task after commit (transactional_db commits for real).
    services.conversation_book(conversation=conversation, by=conversation.host, booking=booking)
    notices = list(Notice.objects.filter(conversation=conversation, kind=Notice.Kind.BOOKED))
    assert len(notices) == 2

    worker.wait_for(lambda: sent(*notices), "both booking notices to be sent")
    people = {conversation.employee.user.email, conversation.host.user.email}
    assert recipients(worker.emails()) == dict.fromkeys(people, 1)
    assert all("text/calendar" in message.as_string() for message in worker.emails())

    # The same notice delivered again, twice over: the claim in the outbox sends nothing more.
    again = [notice_send_task.apply_async(args=[n.pk], queue=worker.queue).id for n in notices for _ in (1, 2)]
    worker.wait_until_done(*again)
    assert recipients(worker.emails()) == dict.fromkeys(people, 1)


def test_it_sends_a_due_review_reminder_from_the_scan_task_once(worker):
    review = ReviewFactory()

    first = notices_scan_task.apply_async(queue=worker.queue).id
    worker.wait_until_done(first)
    reminders = list(Notice.objects.filter(conversation=review))
    assert {n.kind for n in reminders} == {Notice.Kind.REVIEW_DUE}
    assert {n.recipient_id for n in reminders} == {review.employee_id, review.host_id}
    # The scan hands the chunk of due emails on as a task of its own (conversations.tasks).
    worker.wait_for(lambda: sent(*reminders), "the scan's chunk of reminders to be sent")
    people = {review.employee.user.email, review.host.user.email}
    assert recipients(worker.emails()) == dict.fromkeys(people, 1)

    second = notices_scan_task.apply_async(queue=worker.queue).id
    worker.wait_until_done(second)
    assert recipients(worker.emails()) == dict.fromkeys(people, 1)
