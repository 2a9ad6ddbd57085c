from django.core.management.base import BaseCommand

from conversations.reminders import notices_scan


class Command(BaseCommand):
    help = (
        "One reminder scan: write the review reminders and request chases that are due, then send every "
        "notice waiting to go. Safe to run from cron, and at the same time as the Celery beat task: "
        "each reminder is sent once."
    )

    def handle(self, *args, **options):
        result = notices_scan()
        self.stdout.write(
            f"Reminder scan: {result['created']} reminders due, {result['sent']} emails sent"
            + (f", {result['released']} abandoned sends released" if result["released"] else "")
            + "."
        )
