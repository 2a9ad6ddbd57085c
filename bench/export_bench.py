"""HR's plan export at 10,000 plans, with the reminders going on beside it:
`python bench/export_bench.py` (not part of `make bench`: it takes a quarter of an hour or more).

Seeds the demo organisation (300 staff) into a throwaway SQLite database, or BENCH_DATABASE_URL
(use an empty PostgreSQL database), adds a directorate of BENCH_EXPORT_PLANS people (10,000 unless
set) each with a current plan (two objectives, three actions), and has HR export it. The export runs
in a process of its own, as the `exports` worker would; this process samples that one's resident
memory (RSS) and progress every few seconds and, meanwhile, runs a reminder scan every
SCAN_EVERY seconds with SCAN_EMAILS emails waiting (locmem backend), as the `reminders` worker
would, printing how long each took. It ends with the export's peak RSS (VmHWM) against LIMIT_MB.

With BENCH_EXPORT_RESTART_AT=N the exporting process is killed (SIGKILL, as a crash or the
memory limit would) once N plans are done, and a new one started as recovery would start it
(the heartbeat aged past STALE_AFTER): the export carries on from the PDFs already made, and the
bench says how many the second process made.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import REPO_ROOT, database_prepare, django_setup

PLANS = int(os.environ.get("BENCH_EXPORT_PLANS", "10000"))
RESTART_AT = int(os.environ.get("BENCH_EXPORT_RESTART_AT", "0"))
SCAN_EVERY = 30
SCAN_EMAILS = 50
SAMPLE_EVERY = 5
LIMIT_MB = 500
BATCH = 2000


def directorate_create(plans: int):
    from django.contrib.auth.models import User

    from pdp.models import Action, Objective, Plan
    from people.models import Department, Employee

    top = Department.objects.filter(parent__isnull=True).first()
    directorate = Department.objects.create(name="Bench directorate", level=Department.Level.DIRECTORATE, parent=top)
    users = User.objects.bulk_create(
        [
            User(username=f"bench-export-{n}", first_name=f"Name{n % 997}", last_name=f"Surname{n}", password="!")
            for n in range(plans)
        ],
        batch_size=BATCH,
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(
                user=user,
                staff_number=f"BX{n:07d}",
                job_title="Staff Nurse",
                band="5",
                department=directorate,
                start_date=date(2020, 8, 5),
            )
            for n, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    plan_rows = Plan.objects.bulk_create(
        [
            Plan(employee=employee, way_forward="Lead two shifts a month from next month, with a debrief each time.")
            for employee in employees
        ],
        batch_size=BATCH,
    )
    objectives = Objective.objects.bulk_create(
        [
            Objective(plan=plan, title=title, position=position)
            for plan in plan_rows
            for position, title in enumerate(["Lead a shift with confidence", "Prepare for a band 6 post"])
        ],
        batch_size=BATCH,
    )
    Action.objects.bulk_create(
        [
            Action(
                plan=objective.plan,
                objective=objective,
                description=f"{kind.label}: shadow the ward manager and debrief afterwards.",
                type=kind,
                position=position,
            )
            for number, objective in enumerate(objectives)
            for position, kind in enumerate(list(Action.Type)[: 1 + number % 2])
        ],
        batch_size=BATCH,
    )
    return directorate


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def scan_with_emails_waiting(occurrence: int) -> tuple[float, int]:
    """A reminder scan with SCAN_EMAILS emails waiting (password resets: no conversation needed)."""
    from django.utils import timezone

    from conversations.models import Notice
    from conversations.reminders import notices_scan
    from people.models import Employee

    people = Employee.objects.exclude(user__email="").filter(user__is_active=True).order_by("pk")[:SCAN_EMAILS]
    Notice.objects.bulk_create(
        [
            Notice(
                kind=Notice.Kind.PASSWORD_RESET, recipient=person, occurrence=occurrence, next_attempt_at=timezone.now()
            )
            for person in people
        ]
    )
    started = time.perf_counter()
    result = notices_scan()
    return time.perf_counter() - started, result["sent"]


def child(job_id: int) -> None:
    from pdp import exports

    made = 0
    plan_pdf = exports.plan_pdf

    def counted(plan, *, generated_at):
        nonlocal made
        made += 1
        return plan_pdf(plan, generated_at=generated_at)

    exports.plan_pdf = counted
    exports.export_job_run(job_id=job_id)
    print(f"made {made} peak {rss_mb(os.getpid(), 'VmHWM'):.0f}", flush=True)


def exporter_start(job_id: int, database_url: str) -> subprocess.Popen:
    """The export in a process of its own, as the `exports` worker would build it."""
    return subprocess.Popen(
        [sys.executable, __file__, "--child", str(job_id)],
        cwd=REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        text=True,
    )


def exporter_restart(process: subprocess.Popen, job, database_url: str) -> subprocess.Popen:
    """Kill the exporting process and start another, as recovery would once its heartbeat is stale."""
    from datetime import timedelta

    from django.utils import timezone

    from pdp.exports import STALE_AFTER, _plans_dir
    from pdp.models import ExportJob

    process.kill()
    process.wait()
    made = len(list(_plans_dir(job.pk).glob("*.pdf")))
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - STALE_AFTER - timedelta(seconds=1))
    print(f"  killed the exporting process at {job.done:,} plans done, {made:,} PDFs made; starting another")
    return exporter_start(job.pk, database_url)


def main() -> int:
    temp_dir = tempfile.mkdtemp(prefix="talent-export-bench-")
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{temp_dir}/bench.sqlite3"
    os.environ["PDP_EXPORT_DIR"] = os.environ.get("PDP_EXPORT_DIR") or f"{temp_dir}/exports"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    try:
        django_setup(database_url)
        from django.db import connection

        from pdp.models import ExportJob
        from people.models import Employee

        print(f"Plan export on {connection.vendor}: {PLANS:,} plans.")
        database_prepare(300)
        started = time.perf_counter()
        directorate = directorate_create(PLANS)
        print(f"Added {PLANS:,} people with plans in {time.perf_counter() - started:.0f} s.")
        hr = Employee.objects.get(user__username="hr").user
        job = ExportJob.objects.create(requested_by=hr, department=directorate, total=PLANS)
        process = exporter_start(job.pk, database_url)
        restarted = False
        started = time.perf_counter()
        next_scan, occurrence, scans = started, 0, []
        print(f"{'seconds':>8} {'plans':>7} {'RSS MB':>7}")
        while process.poll() is None:
            now = time.perf_counter()
            if now >= next_scan:
                occurrence += 1
                scans.append(scan_with_emails_waiting(occurrence))
                next_scan = now + SCAN_EVERY
            job.refresh_from_db()
            if RESTART_AT and not restarted and job.done >= RESTART_AT:
                process, restarted = exporter_restart(process, job, database_url), True
            try:
                print(f"{now - started:>8.0f} {job.done:>7,} {rss_mb(process.pid):>7.0f}", flush=True)
            except FileNotFoundError:
                break
            time.sleep(SAMPLE_EVERY)
        out, _ = process.communicate()
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        peak = float(out.split("peak")[-1]) if "peak" in out else float("nan")
        made = int(out.split("made")[-1].split()[0]) if "made" in out else -1
        print(f"Export: {job.status}, {job.done:,} plans in {seconds:.0f} s ({job.done / seconds:.1f} plans/s)")
        if restarted:
            print(f"  the process started after the kill made {made:,} PDFs (attempt {job.attempts})")
        zip_path = Path(os.environ["PDP_EXPORT_DIR"]) / job.file_name
        if job.file_name and zip_path.is_file():
            print(f"  zip of {zip_path.stat().st_size / 2**20:.0f} MB")
        print(f"  peak resident memory of the exporting process: {peak:.0f} MB (limit {LIMIT_MB} MB)")
        times = sorted(t for t, _ in scans)
        print(
            f"Reminder scans meanwhile: {len(scans)}, {SCAN_EMAILS} emails waiting at each, "
            f"{sum(sent for _, sent in scans):,} sent in all; "
            f"slowest {max(times):.2f} s, median {times[len(times) // 2]:.2f} s"
        )
        return 0 if job.status == "done" and peak < LIMIT_MB else 1
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(temp_dir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        django_setup(os.environ["DATABASE_URL"])
        child(int(sys.argv[2]))
    else:
        sys.exit(main())
