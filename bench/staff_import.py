"""The staff import at 100,000 rows: `python bench/staff_import.py` (not part of `make bench`: it
takes a few minutes).

Builds an ESR-style extract of BENCH_IMPORT_ROWS assignment rows (100,000 unless set; about 5%
second posts, 1% leavers) in a throwaway SQLite database (or BENCH_DATABASE_URL), and times:
the preview and the import of the first load; the same file again; a later complete extract
with 1,000 people gone and 2,000 new managers; and the web part, the upload request of the
30 MB file, which hands the work to the background and answers at once.
"""

import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
HEADER = [
    "Employee Number", "Assignment Number", "Last Name", "First Name", "Known As", "Email Address",
    "Position Title", "Staff Group", "Grade", "Pay Band", "Org L3", "Org L4", "Organisation", "Location",
    "Supervisor Employee Number", "Assignment Category", "Primary Assignment", "Assignment Status",
    "FTE", "Hire Date", "Actual Termination Date",
]  # fmt: skip
BANDS = ["Band 2", "Band 3", "Band 5", "Band 6", "Band 7", "Band 8 - Range A", "Band 8 - Range B"]


def extract(rows: int, *, gone: set[int] = frozenset(), moved: set[int] = frozenset()) -> bytes:
    """An ESR extract: people in a tree ten wide; every 20th person has a second (bank) post."""
    people = int(rows / 1.05)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([["Staff List (Assignment Level)"], ["VPD: 245"], []])
    writer.writerow(HEADER)
    written = 0
    for index in range(people):
        if index in gone:
            continue
        number = f"{20000000 + index}"
        manager = (index - 1) // 10 if index else None
        if index in moved and manager:
            manager = manager + 1 if manager + 1 < index else manager - 1
        supervisor = f"{20000000 + manager}" if manager is not None else ""
        leaver = index % 97 == 50 and index > 1000
        row = [
            number, f"{number}-1", f"Surname{index}", f"Name{index % 997}", "", f"p{index}@nhs.net",
            "Staff Nurse", "Nursing and Midwifery Registered", "", BANDS[index * 7 % len(BANDS)],
            f"245 Division {index % 6}", f"245 Department {index % 60}", f"245 Ward {index % 300}",
            "245 Riverside General Hospital", supervisor, "Permanent", "Yes",
            "Terminate Process Assignment" if leaver else "Active Assignment", "1", "05-AUG-2020",
            "30-SEP-2026" if leaver else "",
        ]  # fmt: skip
        writer.writerow(row)
        written += 1
        if index % 20 == 7 and written < rows:
            second = list(row)
            second[1], second[15], second[16], second[11] = f"{number}-2", "Bank", "No", "245 Department 3"
            writer.writerow(second)
            written += 1
    return out.getvalue().encode("utf-8")


def timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label:<58} {time.perf_counter() - started:7.1f} s")
    return result


def main() -> None:
    temp_dir = tempfile.mkdtemp(prefix="bench-import-")
    try:
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{temp_dir}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentapp.settings")
        os.environ["STAFF_IMPORT_DIR"] = f"{temp_dir}/imports"
        sys.path.insert(0, str(REPO_ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from people.importer import staff_import

        first = extract(ROWS)
        print(f"ESR extract: {ROWS:,} rows, {len(first) / 1024 / 1024:.1f} MB")
        report = timed("preview of the first load (dry run)", lambda: staff_import(first, dry_run=True))
        print("   ", report.summary())
        report = timed("import of the first load", lambda: staff_import(first))
        print("   ", report.summary())
        report = timed("preview of the same file again", lambda: staff_import(first, dry_run=True))
        report = timed("import of the same file again", lambda: staff_import(first))
        print("   ", report.summary())
        people = int(ROWS / 1.05)
        rng = random.Random("bench-later")
        gone = set(rng.sample(range(2000, people), 1000))
        moved = set(rng.sample(range(2000, people), 2000)) - gone
        later = extract(ROWS, gone=gone, moved=moved)
        report = timed(
            "preview of a later complete extract (1,000 gone, 2,000 moved)",
            lambda: staff_import(later, complete=True, dry_run=True),
        )
        report = timed("import of the later complete extract", lambda: staff_import(later, complete=True))
        print("   ", report.summary())
        moved_again = set(rng.sample(range(2000, people), 2000)) - gone
        web_part(extract(ROWS, gone=gone, moved=moved_again))
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def web_part(data: bytes) -> None:
    """The upload request: it keeps the file and leaves the check to the background jobs (no Redis:
    `manage.py run_jobs`, run here), then the confirm request likewise."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from people.factories import make_hr
    from people.models import StaffImportJob
    from talentapp.jobs import queued_jobs_run

    client = Client(HTTP_HOST="localhost")
    client.force_login(make_hr(user__username="bench-hr").user)
    upload = SimpleUploadedFile("esr.csv", data, content_type="text/csv")
    response = timed(
        "web: the upload request (the check waits for run_jobs)",
        lambda: client.post("/people/import/", {"file": upload, "complete": "on"}),
    )
    assert response.status_code == 302, response.status_code
    timed("   the check, by run_jobs, until the preview is ready", queued_jobs_run)
    job = StaffImportJob.objects.latest("pk")
    poll = timed("web: the preview page", lambda: client.get(response.url))
    assert poll.status_code == 200
    assert job.status == "checked", job.status
    confirm = timed(
        "web: the confirm request (the import waits for run_jobs)", lambda: client.post(f"{response.url}confirm/")
    )
    assert confirm.status_code == 302
    timed("   the import, by run_jobs", queued_jobs_run)
    job = StaffImportJob.objects.get(pk=job.pk)
    print("   ", job.get_status_display(), job.report.get("created"), job.report.get("updated"))


if __name__ == "__main__":
    main()
