"""Settings come from the environment; production values pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3J9-production-like-secret-key-for-tests-8f2b6c1d0e9a7f5b3c2d1e0f9a8b7c6d5e4f",
    "ALLOWED_HOSTS": "talent.example.nhs.uk",
    "SITE_URL": "https://talent.example.nhs.uk",
}

OIDC = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/0b1c2d3e-tenant/v2.0",
    "OIDC_CLIENT_ID": "6f1e2d3c-client",
    "OIDC_CLIENT_SECRET": "a-client-secret",
    "OIDC_STAFF_NUMBER_CLAIM": "employeeid",
    "PASSWORD_LOGIN": "0",
}


def manage(*args, **env):
    inherited = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", *OIDC)
    base = {key: value for key, value in os.environ.items() if key not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deploy_checks_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_passes_the_deploy_checks_signing_in_only_with_the_organisation_account():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **OIDC)
    assert result.returncode == 0, result.stderr


def test_it_lets_the_sign_out_form_go_on_to_the_provider():
    show = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    result = manage("shell", "--no-imports", "-c", show, **OIDC)
    assert result.stdout.strip() == "[\"'self'\", 'https://login.microsoftonline.com']"


def test_it_fails_the_deploy_checks_with_local_defaults():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "talent.example.nhs.uk"}, "SECRET_KEY is required"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is required"),
        ({**PRODUCTION, "SITE_URL": ""}, "SITE_URL is required when DEBUG is off"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must start with"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole number"),
        ({"OIDC_ISSUER": "login.example.nhs.uk"}, "OIDC_ISSUER must start with https://"),
        ({"OIDC_ISSUER": "https://login.example.nhs.uk"}, "OIDC_CLIENT_ID is required"),
        ({"OIDC_ISSUER": "https://login.example.nhs.uk", "OIDC_CLIENT_ID": "x"}, "OIDC_CLIENT_SECRET is required"),
        ({"OIDC_CLIENT_ID": "x"}, "need OIDC_ISSUER"),
        ({**PRODUCTION, **OIDC, "OIDC_ISSUER": "http://login.example.nhs.uk"}, "OIDC_ISSUER must start with https://"),
        ({"PASSWORD_LOGIN": "0"}, "PASSWORD_LOGIN is off, so OIDC_ISSUER is required"),
        ({"PASSWORD_LOGIN": "sometimes"}, "PASSWORD_LOGIN must be one of"),
    ],
)
def test_it_stops_on_a_bad_variable_naming_it(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_reads_the_plan_export_folder_from_the_environment(tmp_path):
    def export_dir(value: str) -> str:
        show = "from django.conf import settings; print(settings.PDP_EXPORT_DIR)"
        return manage("shell", "--no-imports", "-c", show, PDP_EXPORT_DIR=value).stdout.strip()

    assert export_dir(str(tmp_path)) == str(tmp_path)
    assert export_dir("") == str(BASE_DIR / "var" / "exports")


def test_it_ends_sessions_when_idle_and_at_browser_close(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # at most once a minute: talentapp.middleware
    assert settings.SESSION_TOUCH_SECONDS == 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_MAX_HOURS == 12


def test_it_sends_a_content_security_policy_without_unsafe_inline(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_it_serves_pages_in_british_english(client, db):
    response = client.get("/accounts/login/")
    assert '<html lang="en-GB">' in response.content.decode()
    assert response["Content-Language"] == "en-gb"


def test_it_loads_nothing_from_the_internet(client, cast):
    client.force_login(cast.hr.user)
    for url in ["/", "/accounts/login/", "/people/"]:
        content = client.get(url).content.decode()
        assert "http://" not in content.replace("http://www.w3.org", "")
        assert "https://" not in content
