"""`make run` (bin/run): the links in emails and invites point at the port it serves on."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_with_fake_python(tmp_path, **env) -> str:
    """bin/run with a stand-in for Python that prints what the server would be given."""
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\nif [ "$2" = runserver ]; then echo "$3 $SITE_URL"; fi\n')
    fake.chmod(0o755)
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    environment.update(PY=str(fake), REMINDER_SCAN_SECONDS="600", **env)
    done = subprocess.run([ROOT / "bin" / "run"], env=environment, capture_output=True, text=True, timeout=30)
    return done.stdout.strip()


def test_it_sets_site_url_from_port(tmp_path):
    assert run_with_fake_python(tmp_path, PORT="8101") == "127.0.0.1:8101 http://127.0.0.1:8101"


def test_it_keeps_a_site_url_that_was_set(tmp_path):
    assert run_with_fake_python(tmp_path, PORT="8101", SITE_URL="https://talent.example.nhs.uk") == (
        "127.0.0.1:8101 https://talent.example.nhs.uk"
    )


def test_the_readme_lists_site_url_in_its_configuration_table():
    readme = (ROOT / "README.md").read_text()
    configuration = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert "| `SITE_URL` |" in configuration
    assert "| `PORT` |" in configuration
