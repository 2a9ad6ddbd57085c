"""Does rendering development plan PDFs leak? `python bench/pdf_memory.py` (not part of `make bench`).

Seeds the demo organisation (BENCH_EMPLOYEES, default 300) into a throwaway SQLite database (or
BENCH_DATABASE_URL), renders the demo employee's plan WARM_UPS times, then RENDERS (1,000 unless
BENCH_PDF_RENDERS says otherwise) times in this one process, and prints the process's resident
memory (RSS, from /proc) before and after, and its growth per 100 renders. WeasyPrint's Pango,
HarfBuzz and fontconfig allocate outside Python's heap, so only RSS shows a leak there.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import database_prepare, django_setup

WARM_UPS = 20
RENDERS = int(os.environ.get("BENCH_PDF_RENDERS", "1000"))
LIMIT_MB = 20


def rss_mb() -> float:
    """The resident size now (not the peak): pages in use, from /proc/self/statm."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    temp_dir = tempfile.mkdtemp(prefix="talent-pdf-memory-")
    try:
        django_setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{temp_dir}/bench.sqlite3")
        database_prepare(int(os.environ.get("BENCH_EMPLOYEES", "300")))
        from pdp.models import Plan
        from pdp.pdf import plan_pdf
        from pdp.selectors import PLAN_RELATED

        plan = (
            Plan.objects.select_related(*PLAN_RELATED)
            .prefetch_related("objectives", "actions")
            .get(employee__user__username="employee", is_current=True)
        )
        for _ in range(WARM_UPS):
            plan_pdf(plan)
        before = rss_mb()
        started = time.perf_counter()
        marks = []
        for number in range(1, RENDERS + 1):
            plan_pdf(plan)
            if number % (RENDERS // 5) == 0:
                marks.append((number, rss_mb()))
        seconds = time.perf_counter() - started
        after = rss_mb()
        print(f"{RENDERS:,} renders of the demo employee's plan in one process, after {WARM_UPS} warm-ups:")
        print(f"  {seconds:.0f} s ({1000 * seconds / RENDERS:.0f} ms a render)")
        print("  RSS: " + ", ".join([f"{before:.1f} MB at 0"] + [f"{mb:.1f} MB at {n:,}" for n, mb in marks]))
        growth = after - before
        print(f"  grew {growth:.1f} MB ({100 * growth / RENDERS:.2f} MB per 100 renders); limit {LIMIT_MB} MB")
        return 0 if growth < LIMIT_MB else 1
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
