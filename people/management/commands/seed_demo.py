import time

from django.core.management.base import BaseCommand, CommandError

from core.refusal import Refused
from people.demo import (
    DEFAULT_EMPLOYEES,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    MINIMUM_EMPLOYEES,
    demo_database_has_data,
    demo_organisation_seed,
)


class Command(BaseCommand):
    help = (
        "Fill an empty database with a made-up NHS trust of N staff (the same N always gives the same data) "
        f"and the demo sign-ins {', '.join(account.username for account in DEMO_ACCOUNTS)}, "
        f"password {DEMO_PASSWORD}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=DEFAULT_EMPLOYEES,
            help=f"how many staff, demo accounts included (default {DEFAULT_EMPLOYEES}, at least {MINIMUM_EMPLOYEES})",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already has staff or departments"
        )

    def handle(self, *args, employees: int, if_empty: bool, verbosity: int, **options):
        if employees < MINIMUM_EMPLOYEES:
            raise CommandError(f"--employees must be at least {MINIMUM_EMPLOYEES}; got {employees}.")
        if if_empty and demo_database_has_data():
            if verbosity:
                self.stdout.write("The database already has staff; the demo organisation was not added.")
            return
        started = time.monotonic()
        try:
            seed = demo_organisation_seed(employees=employees)
        except Refused as error:
            raise CommandError(error.message) from None
        if not verbosity:
            return
        counts = ", ".join(f"{count:,} {name}" for name, count in seed.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the demo organisation in {time.monotonic() - started:.1f}s: {counts}.")
        )
        self.stdout.write(f"Demo sign-ins (password {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            person = seed.demo[account.username]
            self.stdout.write(
                f"  {account.username:<10} {person.full_name}, {person.job_title}, {person.department.name}"
            )
