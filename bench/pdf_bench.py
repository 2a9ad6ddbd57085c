"""Part of `make bench`: how long a development plan's PDF takes and how much memory it needs,
for a typical plan (the demo employee's), a plan of about three pages and one with 40 actions.

Time: the median of RUNS renders after WARM_UPS, wall clock and processor time. Memory: the
peak of Python's heap during one render (tracemalloc), and how far the process's peak resident
size grew over all the renders (WeasyPrint's Pango and HarfBuzz allocate outside Python's heap).
"""

import io
import resource
import statistics
import time
import tracemalloc

WARM_UPS = 2
RUNS = 20
BIG_PLAN_ACTIONS = 40
THREE_PAGE_ACTIONS = 25  # about three pages, with progress notes on most actions


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _measure(label: str, plan) -> None:
    from pypdf import PdfReader

    from pdp.pdf import plan_pdf

    rss_before = _max_rss_mb()
    for _ in range(WARM_UPS):
        pdf = plan_pdf(plan)
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = plan_pdf(plan)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    tracemalloc.start()
    plan_pdf(plan)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    rss_growth = _max_rss_mb() - rss_before
    print(
        f"{label:<28} {plan.actions.count():>7} {pages:>5} {statistics.median(walls):>9.0f} "
        f"{statistics.median(cpus):>9.0f} {peak / 2**20:>12.1f} {rss_growth:>11.1f} {len(pdf) / 1024:>6.0f}"
    )


def pdf_bench() -> None:
    from pdp.demo import plan_with_actions_create
    from pdp.models import Plan
    from people.models import Employee

    typical = Plan.objects.get(employee__user__username="employee", is_current=True)
    others = Employee.objects.filter(line_manager__isnull=False).exclude(user__username__in=["employee"])[:2]
    three_pages = plan_with_actions_create(employee=others[0], actions=THREE_PAGE_ACTIONS)
    big = plan_with_actions_create(employee=others[1], actions=BIG_PLAN_ACTIONS)
    print(f"\nDevelopment plan PDF: median of {RUNS} renders after {WARM_UPS} warm-ups")
    print(
        f"{'plan':<28} {'actions':>7} {'pages':>5} {'median ms':>9} {'cpu ms':>9} {'peak heap MB':>12} "
        f"{'RSS +MB':>11} {'KB':>6}"
    )
    _measure("typical (demo employee)", typical)
    _measure(f"{THREE_PAGE_ACTIONS} actions", three_pages)
    _measure(f"{BIG_PLAN_ACTIONS} actions", big)
