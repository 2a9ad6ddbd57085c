"""The reminder scan sending 28,000 emails: `python bench/send_bench.py` (not part of `make bench`).

Seeds the demo organisation (300 staff) into a throwaway SQLite database, or BENCH_DATABASE_URL
(use an empty PostgreSQL database), adds BENCH_SEND_REVIEWS (14,000) 6-month reviews due today,
each reminding both people, then times one scan (`send_reminders`' work, in this process):
writing the 28,000 reminders, then rendering and sending them with the locmem email backend (the
whole message is built, nothing leaves the machine), a chunk to a mail connection. Then a second
scan, which finds nothing to send.
"""

import os
import shutil
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import database_prepare, django_setup

REVIEWS = int(os.environ.get("BENCH_SEND_REVIEWS", "14000"))
LIMIT_SECONDS = 60
BATCH = 5000


def due_reviews_create(count: int) -> None:
    from django.utils import timezone

    from conversations.models import Conversation
    from people.models import Employee

    pairs = list(
        Employee.objects.filter(line_manager__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .values_list("pk", "line_manager_id", "line_manager__user_id")
        .order_by("pk")
    )
    now = timezone.now()
    held = now - timedelta(days=183)
    initials = Conversation.objects.bulk_create(
        [
            Conversation(
                employee_id=pairs[n % len(pairs)][0],
                host_id=pairs[n % len(pairs)][1],
                started_by_id=pairs[n % len(pairs)][2],
                status="signed_off",
                origin="manager",
                starts_at=held,
                held_at=held,
                duration_minutes=60,
                venue="Office",
                venue_is_private=True,
                calendar_uid=uuid.uuid4(),
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Conversation.objects.bulk_create(
        [
            Conversation(
                employee_id=initial.employee_id,
                host_id=initial.host_id,
                started_by_id=initial.started_by_id,
                kind="six_month",
                origin="scheduled",
                follows=initial,
                due_on=timezone.localdate(),
                calendar_uid=uuid.uuid4(),
            )
            for initial in initials
        ],
        batch_size=BATCH,
    )


def main() -> int:
    temp_dir = tempfile.mkdtemp(prefix="talent-send-bench-")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    try:
        django_setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{temp_dir}/bench.sqlite3")
        from django.core import mail
        from django.db import connection

        from conversations.models import Notice
        from conversations.reminders import notices_scan

        print(f"The reminder scan on {connection.vendor}: {REVIEWS:,} reviews due today.")
        database_prepare(300)
        due_reviews_create(REVIEWS)
        mail.outbox = []
        started = time.perf_counter()
        result = notices_scan()
        seconds = time.perf_counter() - started
        sent = Notice.objects.filter(status=Notice.Status.SENT).count()
        print(
            f"  scan: {result['created']:,} reminders written, {result['sent']:,} emails sent "
            f"({len(mail.outbox):,} in the locmem outbox) in {seconds:.1f} s "
            f"({1000 * seconds / max(result['sent'], 1):.2f} ms an email); limit {LIMIT_SECONDS} s"
        )
        started = time.perf_counter()
        again = notices_scan()
        print(
            f"  scan again: {again['created']} written, {again['sent']} sent in {time.perf_counter() - started:.1f} s"
        )
        return 0 if seconds < LIMIT_SECONDS and sent == result["sent"] else 1
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
