from django.core.management.base import BaseCommand, CommandError

from core.refusal import Refused
from people.line import line_links_refresh
from people.models import LineLink


class Command(BaseCommand):
    help = (
        "Rebuild who-is-in-whose-line (the line links the access rules read) from the staff records' "
        "line managers. The site keeps them up to date itself: this is a repair, e.g. after editing "
        "line managers in the database directly."
    )

    def handle(self, *args, verbosity: int, **options):
        try:
            line_links_refresh(None)
        except Refused as error:
            raise CommandError(error.message) from None
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the line links: {LineLink.objects.count():,}."))
