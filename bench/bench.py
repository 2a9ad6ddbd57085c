"""How fast the main pages answer with a realistic amount of data: `make bench`.

Seeds a throwaway database with the demo organisation (10,000 staff unless BENCH_EMPLOYEES
says otherwise), signs in as each demo account and times each page in PAGES against the
bare /healthz/ page, counting SQL queries per request. Set BENCH_DATABASE_URL to benchmark
another database (e.g. an empty PostgreSQL one) instead of a temporary SQLite file.

A new page is benchmarked by adding one line to PAGES. The pages in LARGE_PAGES (the talent
grid) are then timed again at 100,000 staff (BENCH_LARGE_EMPLOYEES; 0 skips that run).
"""

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
WARM_UPS = 5
REQUESTS = 50


@dataclass(frozen=True)
class Page:
    label: str
    username: str | None  # a demo account to sign in as; None for anonymous
    path: str


BARE_PAGE = Page("bare page (healthz)", None, "/healthz/")
PAGES = [
    BARE_PAGE,
    Page("home as hr", "hr", "/"),
    Page("home as manager", "manager", "/"),
    Page("home as employee", "employee", "/"),
    Page("home as supporter", "supporter", "/"),
    Page("staff list as hr", "hr", "/people/"),
    Page("team list as manager", "manager", "/people/"),
    Page("own development plan as employee", "employee", "/pdp/"),
    Page("line's plans as manager", "manager", "/pdp/plans/"),
    Page("all plans as hr", "hr", "/pdp/plans/"),
    Page("plan exports as hr", "hr", "/pdp/exports/"),
    Page("talent grid as hr", "hr", "/grid/"),
    Page("talent grid, band 5, as hr", "hr", "/grid/?band=5"),
    Page("talent grid as manager", "manager", "/grid/"),
    Page("talent grid box as hr", "hr", "/grid/box/2/2/"),
    Page("grid movement as hr", "hr", "/grid/movement/"),
    Page("inclusion as hr", "hr", "/grid/inclusion/"),
    Page("inclusion as manager", "manager", "/grid/inclusion/"),
]
# Run again at BENCH_LARGE_EMPLOYEES (100,000 unless set; 0 skips), in a fresh database.
LARGE_PAGES = [
    BARE_PAGE,
    Page("talent grid as hr", "hr", "/grid/"),
    Page("talent grid, band 5, as hr", "hr", "/grid/?band=5"),
    Page("talent grid as manager", "manager", "/grid/"),
    Page("inclusion as hr", "hr", "/grid/inclusion/"),
    Page("inclusion as manager", "manager", "/grid/inclusion/"),
]


@dataclass(frozen=True)
class Timing:
    page: Page
    median_ms: float
    p95_ms: float
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


def database_prepare(employees: int) -> None:
    from django.core.management import call_command

    from people.demo import demo_database_has_data
    from people.models import Employee

    call_command("migrate", verbosity=0, interactive=False)
    if demo_database_has_data():
        print(f"Using the data already there: {Employee.objects.count():,} employees.")
        return
    started = time.perf_counter()
    call_command("seed_demo", employees=employees, verbosity=0)
    print(f"Seeded {employees:,} employees in {time.perf_counter() - started:.1f}s.")


def page_time(page: Page) -> Timing:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if page.username:
        client.force_login(get_user_model().objects.get(username=page.username))

    def get() -> None:
        response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"FAILED: {page.label}: GET {page.path} answered {response.status_code}, not 200.")

    for _ in range(WARM_UPS):
        get()
    with CaptureQueriesContext(connection) as queries:
        get()
    query_count = len(queries)  # now: the next request clears the connection's query log
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        get()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[math.ceil(0.95 * len(samples)) - 1]  # nearest rank
    return Timing(page, statistics.median(samples), p95, query_count)


def table_print(timings: list[Timing]) -> None:
    bare = next(timing for timing in timings if timing.page == BARE_PAGE).median_ms
    width = max(len(timing.page.label) for timing in timings)
    print(f"\n{'page':<{width}}  {'median ms':>9}  {'p95 ms':>7}  {'x bare':>7}  {'queries':>7}")
    for timing in timings:
        print(
            f"{timing.page.label:<{width}}  {timing.median_ms:>9.1f}  {timing.p95_ms:>7.1f}  "
            f"{timing.median_ms / bare:>7.1f}  {timing.queries:>7}"
        )


def large_bench() -> None:
    """The pages in LARGE_PAGES at 100,000 staff, in a fresh process with its own throwaway database
    (BENCH_LARGE_DATABASE_URL to use another)."""
    employees = int(os.environ.get("BENCH_LARGE_EMPLOYEES", "100000"))
    if not employees:
        return
    print(f"\nAgain at {employees:,} employees, for the pages that aggregate the whole organisation.", flush=True)
    env = {**os.environ, "BENCH_EMPLOYEES": str(employees), "BENCH_PAGES": "large"}
    env.pop("BENCH_DATABASE_URL", None)
    if os.environ.get("BENCH_LARGE_DATABASE_URL"):
        env["BENCH_DATABASE_URL"] = os.environ["BENCH_LARGE_DATABASE_URL"]
    subprocess.run([sys.executable, __file__], env=env, check=True)


def main() -> None:
    large_run = os.environ.get("BENCH_PAGES") == "large"
    employees = int(os.environ.get("BENCH_EMPLOYEES", "10000"))
    temp_dir = tempfile.mkdtemp(prefix="talent-bench-")
    try:
        database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{temp_dir}/bench.sqlite3"
        django_setup(database_url)
        from django.db import connection

        print(f"Benchmarking on {connection.vendor} ({database_url.split('@')[-1]}).")
        database_prepare(employees)
        print(f"{REQUESTS} requests per page after {WARM_UPS} warm-ups.")
        table_print([page_time(page) for page in (LARGE_PAGES if large_run else PAGES)])
        if large_run:
            return
        from pdf_bench import pdf_bench

        pdf_bench()
        from reminder_scan import scan_bench

        scan_bench()
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(temp_dir, ignore_errors=True)
    if not large_run:
        large_bench()


if __name__ == "__main__":
    main()
