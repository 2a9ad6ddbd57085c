from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.importer import COLUMNS, StaffImportError, staff_import_csv


class Command(BaseCommand):
    help = (
        "Create or update employees by staff number from an HR-system CSV export. "
        f"Columns: {', '.join(COLUMNS)}. Every row is checked first; if any is bad, nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8)")

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{file}: not UTF-8 text (byte {error.start + 1} is not valid); save it as 'CSV UTF-8' and try again"
            ) from None
        except OSError as error:
            raise CommandError(f"{file}: cannot be read: {error.strerror or error}") from None
        try:
            result = staff_import_csv(text)
        except StaffImportError as error:
            for row_error in error.errors:
                self.stderr.write(f"{file}: {row_error}")
            raise CommandError(f"{error}; see the lines above ({file})") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: {result.created} people added, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.departments_created} departments added."
            )
        )
