import time

from django.core.management.base import BaseCommand
from django.db import connections

from pdp.exports import queued_exports_run


class Command(BaseCommand):
    help = (
        "Build HR's queued plan exports, oldest first, and queue again (or fail) any whose worker stopped. "
        "Without Redis this is what builds exports: `make run` keeps it running with --watch. With Redis "
        "the `exports` Celery worker builds them and beat recovers them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--watch", type=float, metavar="SECONDS", help="keep going, looking for new exports every SECONDS"
        )

    def handle(self, *args, watch=None, **options):
        while True:
            ran = queued_exports_run()
            if ran or watch is None:
                self.stdout.write(f"Plan exports: {ran} built.")
            if watch is None:
                return
            connections.close_all()  # between looks, hold no connection (SQLite's writer lock included)
            time.sleep(watch)
