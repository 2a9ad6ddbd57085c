from django.core.management.base import BaseCommand

from talentapp.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Apply the retention rules: anonymise leavers RETENTION_YEARS after they left, remove plan exports "
        "older than a week, clear expired sessions, remove old email files and access log entries older than "
        "ACCESS_LOG_RETENTION_YEARS. Safe to run from cron and "
        "beside Celery beat: a second run finds nothing to do. With --dry-run, say what it would do and "
        "change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say what would be done; change nothing")

    def handle(self, *args, dry_run: bool, **options):
        for line in retention_apply(dry_run=dry_run).lines():
            self.stdout.write(line)
