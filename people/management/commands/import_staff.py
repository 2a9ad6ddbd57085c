from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.importer import COLUMNS, staff_import


class Command(BaseCommand):
    help = (
        "Create or update employees by staff number from an HR-system file: CSV (UTF-8, Windows-1252 or "
        "UTF-16) or Excel .xlsx, in the project's columns "
        f"({', '.join(COLUMNS)}) or an ESR staff list extract (one row per assignment). Prints what "
        "changes; every row is checked first, and if any has an error nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the staff file (.csv or .xlsx)")
        parser.add_argument(
            "--complete",
            action="store_true",
            help="the file is the whole organisation: anyone in the system but not in the file is a leaver",
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would change, and change nothing")

    def handle(self, *args, file: Path, complete: bool, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot be read: {error.strerror or error}") from None
        report = staff_import(data, complete=complete, dry_run=dry_run)
        if report.errors:
            for row_error in report.error_list:
                self.stderr.write(f"{file}: {row_error}")
            raise CommandError(f"{report.summary()}; see the lines above ({file})")
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {file}."))
