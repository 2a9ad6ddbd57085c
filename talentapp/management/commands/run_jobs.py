import signal
import time

from django.core.management.base import BaseCommand
from django.db import connections

from talentapp.jobs import queued_jobs_run


class Command(BaseCommand):
    help = (
        "Run the background jobs waiting in the database: checks and imports of staff files, then HR's plan "
        "exports, and queue again (or fail) any whose runner stopped. Without Redis this is what runs them: "
        "`make run` keeps it running with --watch. With Redis the `exports` Celery worker runs them and beat "
        "recovers them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch", type=float, metavar="SECONDS", help="keep going, looking for new jobs every SECONDS"
        )

    def handle(self, *args, watch=None, **options):
        # TERM (bin/run stopping) ends the command as Ctrl-C would, through the jobs' own clean-up,
        # rather than killing it mid-job.
        signal.signal(signal.SIGTERM, _stop)
        while True:
            ran = queued_jobs_run()
            if ran.imports or ran.exports or watch is None:
                self.stdout.write(
                    f"Background jobs: {ran.imports} staff file checks or imports, {ran.exports} plan exports."
                )
            if watch is None:
                return
            connections.close_all()  # between looks, hold no connection (SQLite's writer lock included)
            time.sleep(watch)


def _stop(signum, frame):
    raise SystemExit(128 + signum)
