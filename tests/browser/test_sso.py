"""Signing in with the organisation's account, through a real OpenID Connect provider: the
`oidc-provider` package under Node.js on 127.0.0.1 (tests/oidc/), with its own sign-in and
consent pages. Nothing here mocks the provider."""

import logging
import re
import statistics
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from people.models import Employee
from talentapp.oidc.backend import StaffRecordBackend
from talentapp.oidc.views import SignInStart
from tests.oidc.provider import account

from .conftest import OTHER_CLIENT

pytestmark = [pytest.mark.browser, pytest.mark.sso]

BUTTON = "Sign in with your organisation account"
HOME_SHOWS = {
    "employee": "Needs you now",
    "hr": "Import staff from the HR system",
}


def start_sign_in(page, live_server, path="/accounts/login/"):
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("link", name=BUTTON).click()


def at_provider_sign_in(page, login: str):
    """The provider's own sign-in page (its development pages take any password)."""
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("any password")
    page.get_by_role("button", name="Sign-in").click()


def at_provider_consent(page):
    page.get_by_role("button", name="Continue").click()


def sign_in_through_provider(page, live_server, login: str, path="/accounts/login/"):
    start_sign_in(page, live_server, path)
    at_provider_sign_in(page, login)
    at_provider_consent(page)


def failure_logged(caplog, text: str) -> bool:
    return any(record.name == "talentapp.oidc" and text in record.getMessage() for record in caplog.records)


def assert_not_signed_in(page, live_server):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


@pytest.mark.parametrize("username", list(HOME_SHOWS))
def test_it_signs_in_by_staff_number_to_the_home_page(page, live_server, sso, screenshot, username):
    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("link", name=BUTTON)
    expect(button).to_be_visible()
    if username == "employee":
        screenshot(page, "sso-sign-in")
    button.click()
    expect(page).to_have_url(f"{sso.issuer}/interaction/" + page.url.rsplit("/", 1)[-1])
    at_provider_sign_in(page, username)
    at_provider_consent(page)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    expect(page.get_by_text(HOME_SHOWS[username]).first).to_be_visible()
    screenshot(page, f"sso-home-{username}")


def test_it_keeps_names_and_email_from_the_hr_system(page, live_server, sso):
    employee = Employee.objects.select_related("user").get(user__username="employee")
    sso.set_accounts(
        [
            account(
                "employee",
                email="j.okafor@elsewhere.example",
                email_verified=True,
                employeeid=employee.staff_number,
                given_name="Jim",
                family_name="O",
            )
        ]
    )
    sign_in_through_provider(page, live_server, "employee")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("James Okafor").first).to_be_visible()
    employee.user.refresh_from_db()
    assert (employee.user.first_name, employee.user.last_name) == ("James", "Okafor")
    assert employee.user.email != "j.okafor@elsewhere.example"


def test_it_signs_in_by_verified_email_and_returns_to_the_page_asked_for(page, live_server, sso, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    hr = Employee.objects.select_related("user").get(user__username="hr")
    sso.set_accounts([account("priya", email=hr.user.email.upper(), email_verified=True)])
    page.goto(f"{live_server.url}/people/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/people/")
    page.get_by_role("link", name=BUTTON).click()
    at_provider_sign_in(page, "priya")
    at_provider_consent(page)
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="Staff")).to_be_visible()


def test_it_signs_out_at_the_provider_too(page, live_server, sso, screenshot):
    sign_in_through_provider(page, live_server, "employee")
    expect(page).to_have_url(f"{live_server.url}/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Do you want to sign-out")).to_be_visible()
    assert page.url.startswith(f"{sso.issuer}/session/end")
    screenshot(page, "sso-provider-sign-out")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert_not_signed_in(page, live_server)
    # The provider's session has ended too: it asks who you are again.
    start_sign_in(page, live_server)
    expect(page.get_by_placeholder("Enter any login")).to_be_visible()


def test_it_offers_only_the_organisation_account_when_passwords_are_off(page, live_server, sso, settings, screenshot):
    settings.PASSWORD_LOGIN = False
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_role("link", name="Forgotten your password?")).to_have_count(0)
    screenshot(page, "sso-sign-in-only")
    page.get_by_role("link", name=BUTTON).click()
    at_provider_sign_in(page, "employee")
    at_provider_consent(page)
    expect(page).to_have_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/accounts/password_change/")
    assert response.status == 404


def test_it_refuses_someone_without_a_staff_record(page, live_server, sso, caplog, screenshot):
    sso.set_accounts([account("stranger", email="stranger@example.nhs.uk", email_verified=True, employeeid="99999999")])
    users = get_user_model().objects.count()
    sign_in_through_provider(page, live_server, "stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find your staff record")
    expect(page.get_by_text("Ask your HR team")).to_be_visible()
    screenshot(page, "sso-no-staff-record")
    assert failure_logged(caplog, "no staff record for sub 'stranger' (employeeid '99999999')")
    assert get_user_model().objects.count() == users
    assert_not_signed_in(page, live_server)


def test_it_refuses_a_leaver(page, live_server, sso, caplog):
    get_user_model().objects.filter(username="employee").update(is_active=False)
    sign_in_through_provider(page, live_server, "employee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is closed")
    assert failure_logged(caplog, "is inactive")
    assert_not_signed_in(page, live_server)


def test_it_refuses_an_email_the_provider_has_not_verified(page, live_server, sso, settings, caplog):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    hr = Employee.objects.select_related("user").get(user__username="hr")
    sso.set_accounts([account("priya", email=hr.user.email, email_verified=False)])
    sign_in_through_provider(page, live_server, "priya")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find your staff record")
    assert failure_logged(caplog, "is verified")
    assert_not_signed_in(page, live_server)


def test_it_explains_a_refused_consent(page, live_server, sso, caplog, screenshot):
    start_sign_in(page, live_server)
    at_provider_sign_in(page, "employee")
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    page.get_by_role("link", name="[ Cancel ]").click()
    expect(page).to_have_url(f"{live_server.url}/oidc/callback/?" + page.url.split("?", 1)[-1])
    expect(page.get_by_role("heading", level=1)).to_have_text("You did not allow the sign-in")
    screenshot(page, "sso-denied")
    assert failure_logged(caplog, "error='access_denied'")
    assert_not_signed_in(page, live_server)


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), **changes}
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_it_refuses_a_tampered_state(page, live_server, sso, caplog, screenshot):
    """The provider's reply comes back with another state than the one this browser sent."""

    def tamper_with_the_reply(route):
        # The consent form's answer redirects, through the provider, to the site's callback;
        # follow that here, and send the browser on with the state changed.
        location = route.fetch(max_redirects=0).headers["location"]
        while "/oidc/callback/" not in location:
            location = page.context.request.get(location, max_redirects=0).headers["location"]
        route.fulfill(status=303, headers={"Location": with_query(location, state="forged-by-someone-else")})

    start_sign_in(page, live_server)
    at_provider_sign_in(page, "employee")
    page.route(re.compile(r"/interaction/[^/]+$"), tamper_with_the_reply)
    at_provider_consent(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in could not be checked")
    screenshot(page, "sso-state")
    assert failure_logged(caplog, "state not found")
    assert_not_signed_in(page, live_server)


def test_it_refuses_a_state_that_has_expired(page, live_server, sso, caplog):
    start_sign_in(page, live_server)
    expect(page.get_by_placeholder("Enter any login")).to_be_visible()
    # The person left the provider's page open for an hour.
    session_key = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")
    session = SessionStore(session_key=session_key)
    for state in session["oidc_states"].values():
        state["added_on"] -= 60 * 60
    session.save()
    at_provider_sign_in(page, "employee")
    at_provider_consent(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in could not be checked")
    assert failure_logged(caplog, "seconds ago, more than 900")
    assert_not_signed_in(page, live_server)


def test_it_refuses_a_token_for_another_audience(page, live_server, sso, monkeypatch, caplog):
    """The site is made to redeem a code issued to another application at the same provider:
    the provider's genuine ID token, signed with its key, is for that application, not this site."""
    other_id, other_secret = OTHER_CLIENT
    monkeypatch.setattr(SignInStart, "get_extra_params", lambda self, request: {"client_id": other_id})
    get_token = StaffRecordBackend.get_token
    monkeypatch.setattr(
        StaffRecordBackend,
        "get_token",
        lambda self, payload: get_token(self, {**payload, "client_id": other_id, "client_secret": other_secret}),
    )
    sign_in_through_provider(page, live_server, "employee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in could not be checked")
    assert failure_logged(caplog, "for another audience")
    assert_not_signed_in(page, live_server)


@pytest.mark.parametrize("provider", ["refusing", "hung"])
def test_it_explains_within_5_seconds_that_the_provider_is_not_answering(
    page, live_server, sso, settings, caplog, screenshot, refusing_port, hung_server, provider
):
    port = refusing_port if provider == "refusing" else hung_server.port
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    page.goto(f"{live_server.url}/accounts/login/")
    started = time.monotonic()
    page.get_by_role("link", name=BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's sign-in service is not answering")
    assert time.monotonic() - started < 5
    screenshot(page, f"sso-unreachable-{provider}")
    assert failure_logged(caplog, "discovery at")
    if provider == "hung":
        assert hung_server.accepted


def test_it_takes_the_providers_new_key_after_a_rotation(page, live_server, sso):
    sign_in_through_provider(page, live_server, "employee")
    expect(page).to_have_url(f"{live_server.url}/")
    page.context.clear_cookies()
    old_keys = page.request.get(f"{sso.issuer}/jwks").json()["keys"]
    sso.restart()  # same address and endpoints, a new signing key
    assert page.request.get(f"{sso.issuer}/jwks").json()["keys"][0]["kid"] != old_keys[0]["kid"]
    sign_in_through_provider(page, live_server, "employee")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text(HOME_SHOWS["employee"]).first).to_be_visible()


def test_it_signs_in_within_a_few_seconds(page, live_server, sso):
    """From the click on the button to the home page: the provider's sign-in and consent pages,
    the token exchange, the keys, userinfo and the home page. Prints the median of five."""
    seconds = []
    for _ in range(5):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        started = time.monotonic()
        page.get_by_role("link", name=BUTTON).click()
        at_provider_sign_in(page, "employee")
        at_provider_consent(page)
        expect(page.get_by_text(HOME_SHOWS["employee"]).first).to_be_visible()
        seconds.append(time.monotonic() - started)
    median = statistics.median(seconds)
    logging.getLogger(__name__).info("sign-in through the provider: median %.2f s of %s", median, seconds)
    print(f"\nsign-in through the provider: median {median:.2f} s ({', '.join(f'{s:.2f}' for s in seconds)})")
    assert median < 5
