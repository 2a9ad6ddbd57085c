"""HR's access log page at 5,000,000 entries: `DATABASE_URL=postgres://... python bench/access_log.py`
(PostgreSQL only; not part of `make bench`: loading takes a few minutes).

Loads BENCH_LOG_STAFF staff (20,000 unless set) and BENCH_LOG_ENTRIES access log entries
(5,000,000) over two years, by generate_series in the database, the indexes built once the rows
are in: most entries one record (a staff record, a plan, a placement), every tenth a
conversation with its shared preparation (two records), every 50th a grid view naming 45 people,
and one whole-organisation export naming everyone. A few people are read far more than the rest
(the first 20 appear in every grid view). Then times the log page, in-process through the URL
(sessions, access rules, filters, rendering), for each filter: none, a page deep in the log, a
person (much read, and typical), a reader, a month a year ago, and these combined; best and
median of BENCH_LOG_RUNS runs (5), with the page's query count.

With BENCH_LOG_KEEP=1 a database already loaded is reused (the load is skipped).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentapp.settings")

STAFF = int(os.environ.get("BENCH_LOG_STAFF", "20000"))
ENTRIES = int(os.environ.get("BENCH_LOG_ENTRIES", "5000000"))
READERS = 2000  # managers, HR, supporters: the first READERS staff
RUNS = int(os.environ.get("BENCH_LOG_RUNS", "5"))
GRID_EVERY, GRID_NAMES = 50, 45
BUDGET_MS = 200


def setup():
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (e.g. postgres://postgres@127.0.0.1:5432/talent_log).")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_staff():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from people.access import HR_GROUP
    from people.models import Department, Employee
    from people.services import role_groups_ensure

    User = get_user_model()
    if Employee.objects.count() >= STAFF:
        return
    role_groups_ensure()
    organisation = Department.objects.create(name="Bench Trust", level=Department.Level.ORGANISATION)
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [
            User(username=f"staff{index}", first_name=f"Name{index % 997}", last_name=f"Surname{index}")
            for index in range(STAFF)
        ],
        batch_size=5000,
    )
    Employee.objects.bulk_create(
        [
            Employee(
                user=user,
                staff_number=f"{30000000 + index}",
                job_title="Staff Nurse",
                band="5",
                department=organisation,
                start_date="2020-08-05",
            )
            for index, user in enumerate(users)
        ],
        batch_size=5000,
    )
    hr = User.objects.create(username="bench-hr", first_name="Helen", last_name="Reader")
    hr.groups.add(Group.objects.get(name=HR_GROUP))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"staff: {STAFF:,} in {time.perf_counter() - started:.1f} s")


def load_entries():
    from django.db import connection

    from people.models import AccessLog, AccessLogRecord, Employee

    if AccessLog.objects.exists():
        if os.environ.get("BENCH_LOG_KEEP") == "1":
            return
        sys.exit("The access log is not empty: use a fresh database, or BENCH_LOG_KEEP=1 to reuse it.")
    log, records = AccessLog._meta.db_table, AccessLogRecord._meta.db_table
    first_employee = Employee.objects.order_by("pk").values_list("pk", flat=True).first()
    first_user = Employee.objects.order_by("pk").values_list("user_id", flat=True).first()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef, indexname FROM pg_indexes WHERE tablename IN (%s, %s) AND indexname NOT LIKE %s",
            [log, records, "%pkey"],
        )
        indexes = cursor.fetchall()
        for _, name in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")  # no foreign-key triggers while loading
        # Entry i: read by one of READERS, i minutes x 0.2 before now (5,000,000: about two years).
        cursor.execute(
            f"""
            INSERT INTO {log} (id, user_id, path, at, record_types, subject_count, record_count)
            SELECT i, {first_user} + (i * 7919) % {READERS},
                   CASE WHEN i % {GRID_EVERY} = 0 THEN '/grid/?band=5'
                        WHEN i % 10 = 0 THEN '/conversations/' || i || '/'
                        WHEN i % 3 = 0 THEN '/pdp/plans/' || i || '/'
                        ELSE '/people/' || (i % {STAFF}) || '/' END,
                   now() - (({ENTRIES} - i) * interval '12.6 seconds'),
                   CASE WHEN i % {GRID_EVERY} = 0 THEN 'grid.placement'
                        WHEN i % 10 = 0 THEN 'conversations.conversation,conversations.preparation'
                        WHEN i % 3 = 0 THEN 'pdp.plan' ELSE 'people.employee' END,
                   CASE WHEN i % {GRID_EVERY} = 0 THEN {GRID_NAMES} ELSE 1 END,
                   CASE WHEN i % {GRID_EVERY} = 0 THEN {GRID_NAMES} WHEN i % 10 = 0 THEN 2 ELSE 1 END
            FROM generate_series(1::bigint, {ENTRIES}) AS i
            """
        )
        # One record for each entry that is not a grid view (subject: spread over everyone).
        cursor.execute(
            f"""
            INSERT INTO {records} (entry_id, subject_id, record_type, record_id, at, reader_id)
            SELECT e.id, {first_employee} + (e.id * 104729) % {STAFF},
                   split_part(e.record_types, ',', 1), e.id, e.at, e.user_id
            FROM {log} e WHERE e.id % {GRID_EVERY} <> 0
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {records} (entry_id, subject_id, record_type, record_id, at, reader_id)
            SELECT e.id, {first_employee} + (e.id * 104729) % {STAFF}, 'conversations.preparation', e.id, e.at,
                   e.user_id
            FROM {log} e WHERE e.id % 10 = 0 AND e.id % {GRID_EVERY} <> 0
            """
        )
        # Grid views: the first 20 people in every one, the rest spread.
        cursor.execute(
            f"""
            INSERT INTO {records} (entry_id, subject_id, record_type, record_id, at, reader_id)
            SELECT e.id,
                   {first_employee} + CASE WHEN n <= 20 THEN n - 1 ELSE (e.id * 31 + n * 997) % {STAFF} END,
                   'grid.placement', e.id * 100 + n, e.at, e.user_id
            FROM {log} e CROSS JOIN generate_series(1, {GRID_NAMES}) AS n WHERE e.id % {GRID_EVERY} = 0
            """
        )
        # A whole-organisation export, a year ago.
        export = ENTRIES + 1
        cursor.execute(
            f"""
            INSERT INTO {log} (id, user_id, path, at, record_types, subject_count, record_count)
            VALUES ({export}, {first_user}, '/grid/export.csv', now() - interval '365 days', 'grid.placement',
                    {STAFF}, {STAFF})
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {records} (entry_id, subject_id, record_type, record_id, at, reader_id)
            SELECT {export}, {first_employee} + n, 'grid.placement', n, now() - interval '365 days', {first_user}
            FROM generate_series(0, {STAFF - 1}) AS n
            """
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{log}', 'id'), {export})")
        loaded = time.perf_counter()
        for definition, _ in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {log}")
        cursor.execute(f"ANALYZE {records}")
        cursor.execute(f"SELECT count(*) FROM {records}")
        (count,) = cursor.fetchone()
    print(
        f"entries: {ENTRIES + 1:,} with {count:,} records, loaded in {loaded - started:.0f} s, "
        f"indexed in {time.perf_counter() - loaded:.0f} s"
    )


def time_pages():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from people.access_log import Cursor
    from people.models import AccessLog, Employee

    hr = get_user_model().objects.get(username="bench-hr")
    client = Client(HTTP_HOST="localhost")
    client.force_login(hr)
    url = reverse("access_log")
    first = Employee.objects.order_by("pk").select_related("user").first()
    typical = Employee.objects.order_by("pk").select_related("user")[STAFF // 2 + 7]
    reader = Employee.objects.order_by("pk").select_related("user")[17].user
    grid_reader = Employee.objects.order_by("pk").select_related("user")[GRID_EVERY * 7919 % READERS].user
    # A page about 4,000,000 entries back: the cursor of the entry there.
    old = AccessLog.objects.filter(id=ENTRIES // 5).values_list("at", "id").first()
    deep_cursor = str(Cursor(at=old[0], id=old[1]))
    year_ago = time.localtime(time.time() - 365 * 86400)
    since = time.strftime("%Y-%m-01", year_ago)
    until = time.strftime("%Y-%m-28", year_ago)
    cases = [
        ("no filter (newest)", {}),
        ("no filter, 4,000,000 entries back", {"before": deep_cursor}),
        ("person: much read (in every grid view)", {"person_id": first.pk}),
        ("person: typical", {"person_id": typical.pk}),
        ("person by typed name", {"person": typical.user.last_name}),
        ("reader", {"reader_id": reader.pk}),
        ("dates: a month a year ago", {"since": since, "until": until}),
        ("person (much read) + a reader of others", {"person_id": first.pk, "reader_id": reader.pk}),
        ("person (much read) + a reader of theirs", {"person_id": first.pk, "reader_id": grid_reader.pk}),
        ("person (typical) + reader", {"person_id": typical.pk, "reader_id": reader.pk}),
        ("person (much read) + a month", {"person_id": first.pk, "since": since, "until": until}),
        ("reader + a month", {"reader_id": reader.pk, "since": since, "until": until}),
    ]
    sql_ms = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_ms.append((time.perf_counter() - started) * 1000)

    def measure(target):
        sql_ms.clear()
        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
            started = time.perf_counter()
            response = client.get(target)
            page = (time.perf_counter() - started) * 1000
        return page, sum(sql_ms), len(queries), response, [query["sql"] for query in queries.captured_queries]

    def server_ms(statements) -> float:
        """What PostgreSQL itself spent planning and running the page's reads (EXPLAIN ANALYZE):
        the figure that a busy machine disturbs least."""
        total = 0.0
        with connection.cursor() as cursor:
            for sql in statements:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                (plan,) = cursor.fetchone()
                plan = plan[0] if isinstance(plan, list) else plan
                total += plan["Planning Time"] + plan["Execution Time"]
        return total

    print(
        "Each page measured with the bare page (/healthz/) in the same loop; 'sql' is the time in the"
        " database of all the page's queries as the page saw it (sessions and roles included), 'server' what"
        " PostgreSQL spent planning and running its reads (EXPLAIN ANALYZE)."
    )
    print(f"\n{'filter':<46} {'page ms':>8} {'bare ms':>8} {'sql ms':>7} {'server':>7} {'queries':>8} {'rows':>5}")
    worst = 0.0
    for name, query in cases:
        target = f"{url}?{urlencode(query)}"
        response = client.get(target)  # warm
        assert response.status_code == 200, (name, response.status_code)
        pages, bares, sqls, servers = [], [], [], []
        for _ in range(RUNS):
            bare = time.perf_counter()
            client.get("/healthz/")
            bares.append((time.perf_counter() - bare) * 1000)
            page, sql, count, response, statements = measure(target)
            pages.append(page)
            sqls.append(sql)
            servers.append(server_ms(statements))
        shown = response.content.count(b"<tr>") - 1  # the rows of the table, less its header
        worst = max(worst, statistics.median(sqls))
        print(
            f"{name:<46} {statistics.median(pages):>8.1f} {statistics.median(bares):>8.1f} "
            f"{statistics.median(sqls):>7.1f} {statistics.median(servers):>7.2f} {count:>8} {max(shown, 0):>5}"
        )
    print(
        f"\nslowest median SQL time: {worst:.1f} ms (budget {BUDGET_MS} ms): {'PASS' if worst < BUDGET_MS else 'FAIL'}"
    )


if __name__ == "__main__":
    setup()
    load_staff()
    load_entries()
    time_pages()
