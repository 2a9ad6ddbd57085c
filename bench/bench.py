"""How fast the main pages answer as the organisation grows: `make bench`.

For each size in BENCH_SIZES (default 1,000, 10,000 and 100,000 staff) it fills a database
with the demo organisation, signs in as each demo account (and as a director: the senior
manager at the top of the demo manager's line, below the chief executive) and times each
page in PAGES, each request paired with a request for a bare signed-in page in the same loop
so that a busy machine slows both alike; it counts SQL queries per request. It then reports
how each page grew between the sizes, and checks the two budgets: at the largest size every
organisation-wide page within 3x the employee's own-plan page, and the demo manager's pages
within 1.2x of their figure at the smallest size.

Databases: with DATABASE_URL pointing at PostgreSQL, one database per size named after it
(`talent` becomes `talent_1000`, `talent_10000`, ...), created when missing and reused when it
already holds the demo organisation of that size (seeding 100,000 staff takes minutes);
otherwise SQLite files under var/bench/, reused the same way. New migrations are applied first.

A new page is benchmarked by adding one line to PAGES.
"""

import json
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
WARM_UPS = 3
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "30"))
DIRECTOR = "(director)"  # resolved at each size: see director_username
ORGANISATION_WIDE_BUDGET = 3.0  # x the employee's own-plan page, at the largest size
MANAGER_BUDGET = 1.2  # x the demo manager's figure at the smallest size


@dataclass(frozen=True)
class Page:
    label: str
    username: str | None  # a demo account to sign in as (or DIRECTOR); None for anonymous
    path: str
    # ORG: an organisation-wide list or grid page, within 3x the own-plan page at the largest size;
    # MANAGER: a demo manager's page, within 1.2x of its figure at the smallest size; "": reported.
    budget: str = ""


BARE_PAGE = Page("bare signed-in page", "employee", "/healthz/")
OWN_PLAN = Page("own development plan as employee", "employee", "/pdp/")
ORG, MANAGER = "organisation", "manager"
PAGES = [
    OWN_PLAN,
    Page("home as employee", "employee", "/"),
    Page("home as supporter", "supporter", "/"),
    Page("home as manager", "manager", "/", MANAGER),
    Page("conversations as manager", "manager", "/conversations/", MANAGER),
    Page("team list as manager", "manager", "/people/", MANAGER),
    Page("line's plans as manager", "manager", "/pdp/plans/", MANAGER),
    Page("talent grid as manager", "manager", "/grid/", MANAGER),
    Page("inclusion as manager", "manager", "/grid/inclusion/", MANAGER),
    Page("home as director", DIRECTOR, "/"),
    Page("conversations as director", DIRECTOR, "/conversations/", ORG),
    Page("staff list as director", DIRECTOR, "/people/", ORG),
    Page("plans as director", DIRECTOR, "/pdp/plans/", ORG),
    Page("talent grid as director", DIRECTOR, "/grid/", ORG),
    Page("home as hr", "hr", "/"),
    Page("conversations as hr", "hr", "/conversations/", ORG),
    Page("staff list as hr", "hr", "/people/", ORG),
    Page("all plans as hr", "hr", "/pdp/plans/", ORG),
    Page("plan exports as hr", "hr", "/pdp/exports/"),
    Page("talent grid as hr", "hr", "/grid/", ORG),
    Page("talent grid, band 5, as hr", "hr", "/grid/?band=5", ORG),
    Page("talent grid box as hr", "hr", "/grid/box/2/2/", ORG),
    Page("talent grid box, band 5, as hr", "hr", "/grid/box/2/2/?band=5", ORG),
    Page("grid movement as hr", "hr", "/grid/movement/", ORG),
    Page("inclusion as director", DIRECTOR, "/grid/inclusion/"),
    Page("inclusion as hr", "hr", "/grid/inclusion/"),
    # The counts HR's page keeps for 10 minutes, counted afresh as its first view (or "Count them
    # again now") does: the cost the kept counts save.
    Page("inclusion as hr, counted afresh", "hr", "/grid/inclusion/?recount=1"),
]


@dataclass(frozen=True)
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    bare_ms: float  # the bare page's median in the same loop
    queries: int


def django_setup(database_url: str) -> None:
    """Point the settings at the benchmark database before Django reads them."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentapp.settings")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()


def database_url_for(size: int) -> str:
    """The database for `size` staff: DATABASE_URL's PostgreSQL database with the size appended,
    else an SQLite file under var/bench/."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))
    folder = REPO_ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder}/bench-{size}.sqlite3"


def postgres_database_ensure(database_url: str) -> None:
    import psycopg2

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def database_prepare(employees: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from people.demo import demo_database_has_data
    from people.models import Employee

    call_command("migrate", verbosity=0, interactive=False)
    if not demo_database_has_data():
        started = time.perf_counter()
        call_command("seed_demo", employees=employees, verbosity=0)
        print(f"Seeded {employees:,} employees in {time.perf_counter() - started:.1f}s.")
    else:
        found = Employee.objects.count()
        if found != employees:
            raise SystemExit(f"The database for {employees:,} staff holds {found:,}: drop it to seed it again.")
        print(f"Using the demo organisation already there ({found:,} staff).")
    # Fresh statistics, as autovacuum would gather after a bulk load: without them PostgreSQL
    # guesses that a line of 20 holds 2,000 and reads whole tables. On PostgreSQL, VACUUM too, as
    # autovacuum would after the load and after a migration's UPDATE: it marks the pages all-visible,
    # without which an index alone cannot answer a count.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def director_username() -> str:
    """The director: the demo manager's senior manager just below the top of the organisation."""
    from people.models import Employee, LineLink

    manager = Employee.objects.get(user__username="manager")
    chain = list(LineLink.objects.filter(report=manager).order_by("-depth").values_list("manager__user__username"))
    return chain[1][0] if len(chain) > 1 else chain[0][0] if chain else "manager"


def page_time(page: Page, director: str) -> Timing:
    """`page` timed REQUESTS times, each time beside the bare page, after WARM_UPS of each."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def signed_in(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    client = signed_in(director if page.username == DIRECTOR else page.username)
    bare_client = signed_in(BARE_PAGE.username)

    def get(client: Client, path: str) -> float:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"FAILED: {page.label}: GET {path} answered {response.status_code}, not 200.")
        return elapsed

    for _ in range(WARM_UPS):
        get(client, page.path)
        get(bare_client, BARE_PAGE.path)
    with CaptureQueriesContext(connection) as queries:
        get(client, page.path)
    query_count = len(queries)
    samples, bare = [], []
    for _ in range(REQUESTS):
        bare.append(get(bare_client, BARE_PAGE.path))
        samples.append(get(client, page.path))
    samples.sort()
    p95 = samples[math.ceil(0.95 * len(samples)) - 1]  # nearest rank
    return Timing(page.label, statistics.median(samples), p95, statistics.median(bare), query_count)


WIDTH = max(len(page.label) for page in PAGES)


def row_print(timing: Timing) -> None:
    print(
        f"{timing.label:<{WIDTH}}  {timing.median_ms:>9.1f}  {timing.p95_ms:>7.1f}  "
        f"{timing.bare_ms:>7.1f}  {timing.queries:>7}",
        flush=True,
    )


def size_run(size: int, *, extras: bool) -> None:
    """One size, in this process: the pages, and with `extras` the PDF and reminder-scan benches.
    The timings go to the file BENCH_RESULT as JSON, for the growth report."""
    database_url = database_url_for(size)
    if database_url.startswith("postgres"):
        postgres_database_ensure(database_url)
    django_setup(database_url)
    from django.db import connection

    print(f"\n== {size:,} staff, on {connection.vendor} ({database_url.split('@')[-1]})", flush=True)
    database_prepare(size)
    director = director_username()
    print(f"{REQUESTS} requests per page, each beside the bare page, after {WARM_UPS} warm-ups.", flush=True)
    print(f"\n{'page':<{WIDTH}}  {'median ms':>9}  {'p95 ms':>7}  {'bare ms':>7}  {'queries':>7}")
    timings = []
    # A few pages, by label; the own-plan page always, as the organisation-wide pages' measure.
    only = [label for label in os.environ.get("BENCH_ONLY", "").split(";") if label]
    for page in [page for page in PAGES if not only or page.label in only or page == OWN_PLAN]:
        timings.append(page_time(page, director))
        row_print(timings[-1])
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps([asdict(timing) for timing in timings]))
    if extras:
        from pdf_bench import pdf_bench

        pdf_bench()
        from reminder_scan import scan_bench

        scan_bench()
    connection.close()


def growth_print(results: dict[int, list[Timing]]) -> bool:
    """How each page grew between the sizes, and whether the budgets hold; False if one fails.

    Growth compares each page's time as a multiple of the bare page timed beside it, so that a
    machine busier during one size's run than another's does not count as growth; the raw
    medians are printed too."""
    sizes = sorted(results)
    smallest, largest = sizes[0], sizes[-1]
    by_size = {size: {timing.label: timing for timing in timings} for size, timings in results.items()}
    own_plan = by_size[largest][OWN_PLAN.label]  # timed even with BENCH_ONLY
    columns = "".join(f"  {f'{size:,}':>9}" for size in sizes)
    print(f"\nMedian ms by number of staff; growth {largest:,} / {smallest:,} (in multiples of the bare page)")
    print(f"{'page':<{WIDTH}}{columns}  {'growth':>6}  {'queries':>12}  budget")
    passed = True
    for page in [page for page in PAGES if all(page.label in by_size[size] for size in sizes)]:
        timings = [by_size[size][page.label] for size in sizes]
        first, last = timings[0], timings[-1]
        growth = (last.median_ms / last.bare_ms) / (first.median_ms / first.bare_ms)
        verdict, ok = "", True
        if page.budget == ORG:
            ratio = last.median_ms / own_plan.median_ms
            ok = ratio <= ORGANISATION_WIDE_BUDGET
            verdict = f"{ratio:.2f}x own plan at {largest:,} ({'ok' if ok else 'OVER'}: {ORGANISATION_WIDE_BUDGET}x)"
        elif page.budget == MANAGER:
            ok = growth <= MANAGER_BUDGET
            verdict = f"{growth:.2f}x its {smallest:,} figure ({'ok' if ok else 'OVER'}: {MANAGER_BUDGET}x)"
        passed &= ok
        queries = "/".join(str(timing.queries) for timing in timings)
        cells = "".join(f"  {timing.median_ms:>9.1f}" for timing in timings)
        print(f"{page.label:<{WIDTH}}{cells}  {growth:>5.2f}x  {queries:>12}  {verdict}")
    bare = "".join(f"  {by_size[size][OWN_PLAN.label].bare_ms:>9.1f}" for size in sizes)
    print(f"{'(bare page beside own plan)':<{WIDTH}}{bare}")
    return passed


def main() -> None:
    if "BENCH_SIZE" in os.environ:  # one size, in a process of its own (each its own database)
        size_run(int(os.environ["BENCH_SIZE"]), extras=os.environ.get("BENCH_EXTRAS") == "1")
        return
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,10000,100000").split(",") if size.strip()]
    results = {}
    for size in sizes:
        result_file = REPO_ROOT / "var" / "bench" / f"result-{size}.json"
        result_file.parent.mkdir(parents=True, exist_ok=True)
        extras = size == sizes[min(1, len(sizes) - 1)] and os.environ.get("BENCH_EXTRAS", "1") == "1"
        env = {
            **os.environ,
            "BENCH_SIZE": str(size),
            "BENCH_RESULT": str(result_file),
            "BENCH_EXTRAS": "1" if extras else "0",
        }
        subprocess.run([sys.executable, __file__], env=env, check=True)
        results[size] = [Timing(**timing) for timing in json.loads(result_file.read_text())]
    if not growth_print(results):
        sys.exit("A page is over its budget (see above).")


if __name__ == "__main__":
    main()
