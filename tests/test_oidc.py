"""Sign-in with the organisation's account, without a browser: the sign-in page, the password
switch, the start and callback pages' refusals, matching a person to their staff record, the ID
token's checks and the provider's sign-out address. tests/browser/test_sso.py signs in through a
real provider."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from people.factories import PASSWORD, EmployeeFactory, UserFactory
from talentapp.oidc import discovery
from talentapp.oidc.backend import StaffRecordBackend, staff_user_for
from talentapp.oidc.discovery import ProviderMetadata, ProviderUnavailable, provider_metadata
from talentapp.oidc.failures import Failure, SignInFailed
from talentapp.oidc.views import provider_logout_url

ISSUER = "https://login.example.nhs.uk/tenant/v2.0"
CLIENT_ID = "talent-conversations"
BUTTON = "Sign in with your organisation account"


@pytest.fixture
def oidc(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "not-a-real-secret"
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    discovery.remember(
        ProviderMetadata(
            issuer=ISSUER,
            authorization_endpoint=f"{ISSUER}/authorize",
            token_endpoint=f"{ISSUER}/token",
            jwks_uri=f"{ISSUER}/keys",
            end_session_endpoint=f"{ISSUER}/logout",
        )
    )
    return settings


# The sign-in page and PASSWORD_LOGIN


def test_it_shows_only_the_password_form_while_oidc_is_not_set_up(client, db):
    content = client.get(reverse("login")).content.decode()
    assert BUTTON not in content
    assert 'name="password"' in content


def test_it_shows_the_organisation_account_first(client, db, oidc):
    content = client.get(reverse("login") + "?next=/people/").content.decode()
    assert content.index(BUTTON) < content.index('name="password"')
    assert 'href="/oidc/start/?next=/people/"' in content


def test_it_names_the_button_as_configured(client, db, oidc):
    oidc.OIDC_BUTTON_LABEL = "Sign in with NHSmail"
    assert "Sign in with NHSmail" in client.get(reverse("login")).content.decode()


PASSWORD_PAGES = [
    ("password_change", {}),
    ("password_change_done", {}),
    ("password_reset", {}),
    ("password_reset_done", {}),
    ("password_reset_confirm", {"uidb64": "MQ", "token": "set-password"}),
    ("password_reset_complete", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), PASSWORD_PAGES)
def test_it_removes_the_password_pages_when_passwords_are_off(client, cast, oidc, name, kwargs):
    oidc.PASSWORD_LOGIN = False
    client.force_login(cast.employee.user)
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 404


def test_it_refuses_a_password_when_passwords_are_off(client, cast, oidc):
    oidc.PASSWORD_LOGIN = False
    page = client.get(reverse("login"))
    assert BUTTON in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert "Forgotten your password?" not in page.content.decode()
    response = client.post(reverse("login"), {"username": "employee", "password": PASSWORD})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_it_sends_the_administrations_sign_in_to_the_site_when_passwords_are_off(client, cast, oidc):
    oidc.PASSWORD_LOGIN = False
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
    assert client.post("/admin/login/", {"username": "hr", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" not in client.session
    client.force_login(cast.hr.user)
    assert client.get("/admin/password_change/").status_code == 404


def test_it_keeps_the_administrations_own_sign_in_while_passwords_are_on(client, cast):
    assert client.get("/admin/login/").status_code == 200
    cast.hr.user.is_staff = True
    cast.hr.user.save()
    response = client.post("/admin/login/?next=/admin/", {"username": "hr", "password": PASSWORD})
    assert response["Location"] == "/admin/"


# The start and callback pages


@pytest.mark.parametrize("name", ["oidc:start", "oidc:callback"])
def test_it_has_no_oidc_pages_while_oidc_is_not_set_up(client, db, name):
    assert client.get(reverse(name)).status_code == 404


def test_it_starts_the_authorisation_code_flow_with_pkce_state_and_nonce(client, db, oidc):
    response = client.get(reverse("oidc:start") + "?next=/people/")
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/authorize"
    query = {name: values[0] for name, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/oidc/callback/"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    started = client.session["oidc_states"][query["state"]]
    assert started["nonce"] == query["nonce"]
    assert len(started["code_verifier"]) >= 43
    assert client.session["oidc_login_next"] == "/people/"


def test_it_does_not_return_to_another_site_after_sign_in(client, db, oidc):
    client.get(reverse("oidc:start") + "?next=https://evil.example/")
    assert client.session["oidc_login_next"] is None


def started_state(client) -> str:
    location = client.get(reverse("oidc:start"))["Location"]
    return parse_qs(urlsplit(location).query)["state"][0]


@pytest.mark.parametrize(
    ("query", "status", "heading", "logged"),
    [
        ({"error": "access_denied"}, 403, "You did not allow the sign-in", "error='access_denied'"),
        ({"error": "temporarily_unavailable"}, 502, "refused the sign-in", "temporarily_unavailable"),
        ({"code": "c", "state": "forged"}, 400, "Your sign-in could not be checked", "state not found"),
        ({}, 400, "Your sign-in could not be checked", "neither a code and state nor an error"),
    ],
)
def test_it_explains_a_failed_reply(client, db, oidc, caplog, query, status, heading, logged):
    started_state(client)
    response = client.get(reverse("oidc:callback"), query)
    assert response.status_code == status
    assert heading in response.content.decode()
    assert any(logged in record.getMessage() for record in caplog.records if record.name == "talentapp.oidc")


def test_it_refuses_a_reply_when_this_browser_started_no_sign_in(client, db, oidc, caplog):
    response = client.get(reverse("oidc:callback"), {"code": "c", "state": "s"})
    assert response.status_code == 400
    assert "no sign-in was started in this browser session" in caplog.text


def test_it_refuses_a_state_older_than_its_limit(client, db, oidc, caplog):
    state = started_state(client)
    session = client.session
    session["oidc_states"][state]["added_on"] = time.time() - oidc.OIDC_STATE_MAX_AGE - 1
    session.save()
    response = client.get(reverse("oidc:callback"), {"code": "c", "state": state})
    assert response.status_code == 400
    assert state not in client.session["oidc_states"]
    assert "more than 900" in caplog.text


def test_it_refuses_a_reply_that_names_another_issuer(client, db, oidc, caplog):
    state = started_state(client)
    response = client.get(reverse("oidc:callback"), {"code": "c", "state": state, "iss": "https://evil.example"})
    assert response.status_code == 400
    assert "names issuer 'https://evil.example'" in caplog.text


def test_it_explains_a_provider_that_does_not_answer_within_5_seconds(client, db, settings, hung_server, caplog):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{hung_server.port}"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = CLIENT_ID, "secret"
    started = time.monotonic()
    response = client.get(reverse("oidc:start"))
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "is not answering" in response.content.decode()
    assert "Read timed out" in caplog.text


def test_it_explains_a_token_endpoint_that_does_not_answer_within_5_seconds(client, db, oidc, hung_server, caplog):
    hung = f"http://127.0.0.1:{hung_server.port}"
    discovery.remember(
        ProviderMetadata(
            issuer=ISSUER, authorization_endpoint=f"{ISSUER}/authorize", token_endpoint=hung, jwks_uri=hung
        )
    )
    state = started_state(client)
    started = time.monotonic()
    response = client.get(reverse("oidc:callback"), {"code": "c", "state": state})
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "ReadTimeout" in caplog.text
    assert "_auth_user_id" not in client.session


# Discovery


class DiscoveryServer(ThreadingHTTPServer):
    """A provider's discovery document on 127.0.0.1; `.requests` counts the fetches."""

    def __init__(self):
        self.requests = 0
        self.issuer_override = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests += 1
                issuer = server.issuer_override or server.issuer
                body = json.dumps(
                    {
                        "issuer": issuer,
                        "authorization_endpoint": f"{issuer}/auth",
                        "token_endpoint": f"{issuer}/token",
                        "jwks_uri": f"{issuer}/jwks",
                        "end_session_endpoint": f"{issuer}/session/end",
                    }
                ).encode()
                self.send_response(200 if self.path == "/.well-known/openid-configuration" else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def discovery_server():
    server = DiscoveryServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_it_discovers_the_endpoints_once_and_keeps_them(discovery_server):
    first = provider_metadata(discovery_server.issuer)
    assert first.token_endpoint == f"{discovery_server.issuer}/token"
    assert first.end_session_endpoint == f"{discovery_server.issuer}/session/end"
    assert first.userinfo_endpoint == ""
    assert provider_metadata(discovery_server.issuer) == first
    assert discovery_server.requests == 1


def test_it_fetches_the_endpoints_again_once_they_are_old(discovery_server, settings):
    settings.OIDC_DISCOVERY_CACHE_SECONDS = 0
    provider_metadata(discovery_server.issuer)
    provider_metadata(discovery_server.issuer)
    assert discovery_server.requests == 2


def test_it_refuses_a_discovery_document_for_another_issuer(discovery_server):
    discovery_server.issuer_override = "https://someone-else.example"
    with pytest.raises(ProviderUnavailable, match=re.escape("names issuer 'https://someone-else.example'")):
        provider_metadata(discovery_server.issuer)


def test_it_gives_up_at_once_on_a_provider_nobody_listens_for(refusing_port):
    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="Connection refused"):
        provider_metadata(f"http://127.0.0.1:{refusing_port}")
    assert time.monotonic() - started < 1


# Who is who


def staff_claims(employee, **claims) -> dict:
    return {"sub": "abc", "employeeid": employee.staff_number, **claims}


def refusal(claims) -> SignInFailed:
    with pytest.raises(SignInFailed) as refused:
        staff_user_for(claims)
    return refused.value


def test_it_finds_the_staff_record_by_the_staff_number_claim(cast, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = "employeeid"
    claims = staff_claims(cast.employee, email=cast.manager.user.email, email_verified=True)
    assert staff_user_for(claims) == cast.employee.user


def test_it_needs_the_staff_number_claim_when_it_is_set_up(cast, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = "employeeid"
    refused = refusal({"sub": "abc", "email": cast.employee.user.email, "email_verified": True})
    assert refused.failure == Failure.NO_RECORD
    assert "has no employeeid claim" in refused.detail


def test_it_finds_the_staff_record_by_verified_email_whatever_its_case(cast, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    email = cast.employee.user.email.upper()
    assert staff_user_for({"sub": "abc", "email": email, "email_verified": True}) == cast.employee.user
    assert staff_user_for({"sub": "abc", "email": email, "email_verified": "true"}) == cast.employee.user


@pytest.mark.parametrize("verified", [False, "false", None])
def test_it_refuses_an_email_that_is_not_verified(cast, settings, verified):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    claims = {"sub": "abc", "email": cast.employee.user.email}
    if verified is not None:
        claims["email_verified"] = verified
    assert refusal(claims).failure == Failure.NO_RECORD


def test_it_refuses_a_user_without_a_staff_record(db, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    admin = UserFactory(username="admin", email="admin@example.nhs.uk", is_superuser=True)
    refused = refusal({"sub": "abc", "email": admin.email, "email_verified": True})
    assert refused.failure == Failure.NO_RECORD
    assert "no staff record" in refused.detail


def test_it_refuses_an_email_on_two_staff_records(db, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = ""
    EmployeeFactory(user__email="shared@example.nhs.uk")
    EmployeeFactory(user__email="SHARED@example.nhs.uk")
    refused = refusal({"sub": "abc", "email": "shared@example.nhs.uk", "email_verified": True})
    assert "more than one staff record" in refused.detail


def test_it_refuses_a_leaver(cast, settings):
    settings.OIDC_STAFF_NUMBER_CLAIM = "employeeid"
    cast.employee.user.is_active = False
    cast.employee.user.save()
    assert refusal(staff_claims(cast.employee)).failure == Failure.LEAVER


def test_it_signs_out_a_leaver_at_their_next_request(client, cast):
    client.force_login(cast.employee.user, backend="talentapp.oidc.backend.StaffRecordBackend")
    assert client.get("/").status_code == 200
    cast.employee.user.is_active = False
    cast.employee.user.save()
    assert client.get("/")["Location"] == f"{reverse('login')}?next=/"


# The ID token's checks


@pytest.fixture
def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def id_token(key, **claims) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "sub": "abc", "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": "n", **claims}
    payload = {name: value for name, value in payload.items() if value is not None}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "k1"})


def verified(key, token):
    backend = StaffRecordBackend()
    backend.issuer, backend.OIDC_RP_CLIENT_ID = ISSUER, CLIENT_ID
    return backend._verify_jws(token, key.public_key())


def test_it_accepts_a_token_signed_by_the_provider_for_this_site(signing_key):
    assert verified(signing_key, id_token(signing_key))["sub"] == "abc"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"aud": "another-application"}, "for another audience"),
        ({"aud": [CLIENT_ID, "another-application"]}, "several audiences"),
        ({"iss": "https://evil.example"}, "Invalid issuer"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"iat": None}, 'missing the "iat" claim'),
        ({"nbf": int(time.time()) + 3600}, "not yet valid"),
    ],
)
def test_it_refuses_a_token_that_is_not_for_this_site_now(signing_key, claims, reason):
    with pytest.raises(SignInFailed, match=reason) as refused:
        verified(signing_key, id_token(signing_key, **claims))
    assert refused.value.failure == Failure.TOKEN


def test_it_accepts_several_audiences_when_azp_names_this_site(signing_key):
    token = id_token(signing_key, aud=[CLIENT_ID, "another-application"], azp=CLIENT_ID)
    assert verified(signing_key, token)["azp"] == CLIENT_ID


def test_it_refuses_a_token_signed_with_another_key(signing_key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SignInFailed, match="Signature verification failed"):
        verified(signing_key, id_token(other))


def test_it_refuses_a_token_signed_with_a_shared_secret(signing_key):
    token = jwt.encode({"iss": ISSUER, "sub": "abc", "aud": CLIENT_ID}, "secret-secret-secret-secret-32b!", "HS256")
    with pytest.raises(SignInFailed, match="signed with 'HS256'"):
        verified(signing_key, token)


# Signing out


def test_it_signs_out_at_the_provider_after_signing_in_there(rf, oidc):
    request = rf.post("/accounts/logout/")
    request.session = {"oidc_id_token": "the-id-token"}
    location = urlsplit(provider_logout_url(request))
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{ISSUER}/logout"
    assert parse_qs(location.query) == {
        "id_token_hint": ["the-id-token"],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
        "client_id": [CLIENT_ID],
    }


def test_it_signs_out_here_only_after_a_password_sign_in(rf, oidc):
    request = rf.post("/accounts/logout/")
    request.session = {}
    assert provider_logout_url(request) == reverse("login")


def test_it_signs_out_here_only_when_the_provider_has_no_sign_out_page(rf, oidc):
    discovery.remember(
        ProviderMetadata(issuer=ISSUER, authorization_endpoint="a", token_endpoint="t", jwks_uri="j"), issuer=ISSUER
    )
    request = rf.post("/accounts/logout/")
    request.session = {"oidc_id_token": "the-id-token"}
    assert provider_logout_url(request) == reverse("login")


def test_it_ends_the_local_session_on_signing_out(client, cast, oidc):
    client.force_login(cast.employee.user)
    session = client.session
    session["oidc_id_token"] = "the-id-token"
    session.save()
    response = client.post(reverse("logout"))
    assert response["Location"].startswith(f"{ISSUER}/logout?id_token_hint=the-id-token")
    assert client.get("/").status_code == 302
