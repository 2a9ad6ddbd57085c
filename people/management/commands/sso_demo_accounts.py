import json

from django.core.management.base import BaseCommand

from people.demo import sso_demo_accounts


class Command(BaseCommand):
    help = (
        "Print the demo sign-ins as JSON accounts for the local OpenID Connect provider (tests/oidc/provider.mjs), "
        "with each one's staff number and verified email from the database. Used by `make sso-demo`."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(sso_demo_accounts(), indent=2))
