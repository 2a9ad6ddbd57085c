"""Browser tests: Playwright for Python driving Debian's Chromium against the live server."""

import copy
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import skip_unless_available
from people.demo import sso_demo_accounts
from people.models import Employee
from talentapp.oidc.discovery import forget
from tests.oidc.provider import Client, TestProvider, why_missing

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DEMO_PASSWORD = "talent-demo"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = shutil.which("chromium") or "/usr/bin/chromium"
    skip_unless_available(os.path.exists(path), "Chromium is not installed (apt-get install -y chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=en-GB",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", employees=40, verbosity=0)


@pytest.fixture
def demo_booked(demo):
    """A talent conversation booked between the demo employee and their manager, for journeys
    that prepare for one. The demo's own is held, waiting for the employee's sign-off, and one
    talent conversation may be under way at a time, so that one is set aside first."""
    from conversations.factories import BookedConversationFactory

    employee = Employee.objects.get(user__username="employee")
    employee.conversations.filter(kind="talent", status__in=["requested", "booked", "held"]).update(status="cancelled")
    return BookedConversationFactory(host=employee.line_manager, employee=employee)


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(live_server):
    def sign_in_as(page, username: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    return sign_in_as


# Sign-in with the organisation's account: a real OpenID Connect provider (tests/oidc/).
SITE_CLIENT = ("talent-conversations", "site-client-secret-for-the-tests")
OTHER_CLIENT = ("another-application", "another-client-secret-for-the-tests")


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The test provider on a free port of 127.0.0.1, for the session: this site's client and a
    second application's, both sending people back to the live server."""
    missing = why_missing()
    skip_unless_available(not missing, missing)
    folder = tmp_path_factory.mktemp("oidc")
    callback = f"{live_server.url}/oidc/callback/"
    signed_out = f"{live_server.url}/accounts/login/"
    clients = [Client(client_id, secret, [callback], [signed_out]) for client_id, secret in (SITE_CLIENT, OTHER_CLIENT)]
    provider = TestProvider(clients, folder / "accounts.json", folder / "provider.log").start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, oidc_provider, demo, page):
    """The site set up to sign in through the test provider, matching by staff number, with the
    demo accounts at the provider (as `make sso-demo` has them). Requests for anywhere but this
    machine are refused."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = SITE_CLIENT
    settings.OIDC_STAFF_NUMBER_CLAIM = "employeeid"
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(oidc_provider.issuer)
    settings.CONTENT_SECURITY_POLICY = policy
    forget()
    oidc_provider.set_accounts(sso_demo_accounts())
    page.context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    yield oidc_provider
    forget()
