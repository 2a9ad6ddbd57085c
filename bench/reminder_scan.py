"""The reminder scan over 100,000 scheduled reviews, for `make bench` (see bench.py).

Adds 50,000 held talent conversations with their 6- and 12-month reviews, due from
eight weeks ago to a year ahead, to the benchmark database; then times the scan's
search for due reminders (first run: writes them; second run: finds nothing new) and
the sending of a sample of the emails (locmem backend: rendering and bookkeeping,
not an SMTP server's speed).
"""

import random
import time
import uuid
from datetime import timedelta

REVIEWS = 100_000
SEND_SAMPLE = 500
BATCH_SIZE = 5000


def reviews_create(count: int) -> None:
    from django.utils import timezone

    from conversations.models import Conversation
    from people.models import Employee

    rng = random.Random("bench-reviews")
    pairs = list(
        Employee.objects.filter(line_manager__isnull=False)
        .values_list("pk", "line_manager_id", "line_manager__user_id")
        .order_by("pk")
    )
    today = timezone.localdate()
    now = timezone.now()
    common = {"origin": "manager", "duration_minutes": 60, "venue": "Office", "venue_is_private": True}
    initials = []
    for index in range(count // 2):
        employee_id, host_id, host_user_id = pairs[index % len(pairs)]
        held = now - timedelta(days=rng.randrange(130, 540))
        initials.append(
            Conversation(
                employee_id=employee_id,
                host_id=host_id,
                started_by_id=host_user_id,
                status="signed_off",
                starts_at=held,
                held_at=held,
                calendar_uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                **common,
            )
        )
    Conversation.objects.bulk_create(initials, batch_size=BATCH_SIZE)
    reviews = []
    for initial in initials:
        for kind, offset in (("six_month", rng.randrange(-56, 200)), ("twelve_month", rng.randrange(180, 365))):
            reviews.append(
                Conversation(
                    employee_id=initial.employee_id,
                    host_id=initial.host_id,
                    started_by_id=initial.started_by_id,
                    kind=kind,
                    origin="scheduled",
                    follows=initial,
                    due_on=today + timedelta(days=offset),
                    calendar_uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                )
            )
    Conversation.objects.bulk_create(reviews, batch_size=BATCH_SIZE)


def scan_bench() -> None:
    from django.conf import settings
    from django.utils import timezone

    from conversations.models import Conversation, Notice
    from conversations.outbox import notice_send
    from conversations.reminders import reminders_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = time.perf_counter()
    reviews_create(REVIEWS)
    scheduled = Conversation.objects.filter(follows__isnull=False, status__in=["requested", "booked"]).count()
    print(f"\nReminder scan over {scheduled:,} scheduled reviews (created in {time.perf_counter() - started:.1f}s):")

    started = time.perf_counter()
    first = reminders_create()
    print(f"  first scan: {first:,} reminders due, found and written in {time.perf_counter() - started:.2f}s")
    started = time.perf_counter()
    second = reminders_create()
    print(f"  second scan: {second} new, in {time.perf_counter() - started:.2f}s (each reminder is written once)")

    sample = list(Notice.objects.filter(status="pending").values_list("pk", flat=True)[:SEND_SAMPLE])
    started = time.perf_counter()
    sent = sum(notice_send(notice_id, now=timezone.now()) for notice_id in sample)
    elapsed = time.perf_counter() - started
    print(f"  sending: {sent} emails in {elapsed:.2f}s, {1000 * elapsed / max(sent, 1):.1f} ms each")
