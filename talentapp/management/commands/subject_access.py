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
            metavar="USERNAME",
            help="the user name of whoever answers the request, which the access log records "
            "(default: the administrator, when the site has exactly one active superuser)",
        )

    def handle(self, *args, staff_number: str, output: Path, by: str | None, **options):
        users = get_user_model().objects.filter(is_active=True)
        if by:
            user = users.filter(username=by).first()
            if user is None:
                raise CommandError(f"--by {by}: no active user has that user name.")
        else:
            administrators = list(users.filter(is_superuser=True)[:2])
            if len(administrators) != 1:
                raise CommandError("Name who answers the request, for the access log: --by USERNAME.")
            user = administrators[0]
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
