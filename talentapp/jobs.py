"""The background jobs that wait in the database for something to run them: the checks and
imports of staff files (people.import_jobs) and HR's plan exports (pdp.exports).

With Redis, Celery workers run each as its task arrives (the `exports` queue), and beat
recovers those whose worker stopped. Without it, no web request runs one: `manage.py run_jobs`
does both, and `make run` keeps it running beside the server (`--watch 2`).
"""

from dataclasses import dataclass

from pdp.exports import exports_recover, queued_export_run_next
from people.import_jobs import import_jobs_recover, queued_import_run_next


@dataclass
class Ran:
    imports: int = 0  # steps of staff imports: checks and imports
    exports: int = 0


def jobs_recover() -> int:
    """Queue again (or fail) each job whose runner stopped. Returns how many were queued again."""
    return import_jobs_recover() + exports_recover()


def queued_jobs_run() -> Ran:
    """Recover the jobs whose runner stopped, then run every waiting job here, one after another,
    until none waits. A staff file's check or import goes before any export, even one queued
    earlier: HR waits on the page for it, and it takes a minute where a directorate's export
    takes half an hour."""
    jobs_recover()
    ran = Ran()
    while True:
        if queued_import_run_next():
            ran.imports += 1
        elif queued_export_run_next():
            ran.exports += 1
        else:
            return ran
