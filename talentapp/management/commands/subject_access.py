from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from core.refusal import Refused
from talentapp.subject_access import REVIEW_FOLDER, subject_access_export


class Command(BaseCommand):
    help = (
        "Subject access: write everything the site holds about one person to a new zip of JSON files and "
        f"plan PDFs, with hosts' private notes apart in {REVIEW_FOLDER}/ (review them before disclosure). "
        "The run is written to the access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("staff_number", help="the person's staff number")
        parser.add_argument("--output", type=Path, required=True, help="the zip to write (must not exist)")
        parser.add_argument(
            "--by",
            required=True,
            metavar="USERNAME",
            help="the user name of whoever answers the request: the access log records it",
        )

    def handle(self, *args, staff_number: str, output: Path, by: str, **options):
        user = get_user_model().objects.filter(username=by, is_active=True).first()
        if user is None:
            raise CommandError(f"--by {by}: no active user has that user name.")
        try:
            result = subject_access_export(staff_number=staff_number, by=user, output=output)
        except Refused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(result.files)} files about {result.employee.staff_number} to {result.path}. "
                f"Review {REVIEW_FOLDER}/ before disclosing anything."
            )
        )
