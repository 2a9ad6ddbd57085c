"""The data-protection settings come from the environment, with defaults, and a bad value stops start-up."""

import pytest

from tests.test_settings import manage

SHOW = (
    "from django.conf import settings; "
    "print(settings.RETENTION_YEARS, settings.EMAIL_FILE_RETENTION_DAYS, settings.STAFF_IMPORT_MAX_BYTES)"
)


def shown(**env) -> str:
    result = manage("shell", "--no-imports", "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_has_defaults_and_reads_the_environment():
    assert shown() == f"6 30 {50 * 1024 * 1024}"
    assert shown(RETENTION_YEARS="7", EMAIL_FILE_RETENTION_DAYS="14", STAFF_IMPORT_MAX_BYTES="1000") == "7 14 1000"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"RETENTION_YEARS": "six"}, "RETENTION_YEARS must be a whole number"),
        ({"RETENTION_YEARS": "0"}, "RETENTION_YEARS must be at least 1"),
        ({"EMAIL_FILE_RETENTION_DAYS": "-1"}, "EMAIL_FILE_RETENTION_DAYS must be at least 1"),
        ({"STAFF_IMPORT_MAX_BYTES": "0"}, "STAFF_IMPORT_MAX_BYTES must be at least 1"),
    ],
)
def test_it_stops_on_a_bad_value_naming_it(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr
