"""Booking works while Redis is down, and the reminder scan sends what the broker lost.

Settings (REDIS_URL among them) are read at start-up, so each case runs
tests/outage/test_booking_during_outage.py in a child pytest with REDIS_URL pointing at
a Redis that refuses connections or one that accepts and never answers, on SQLite.
Needs no services, so it runs everywhere.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHILD = "tests/outage/test_booking_during_outage.py"


def child_start(redis_url: str) -> subprocess.Popen:
    drop = {"DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES", "EMAIL_BACKEND"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env |= {"REDIS_URL": redis_url, "OUTAGE_REDIS_URL": redis_url}
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", CHILD, "-p", "no:cacheprovider", "-p", "no:warnings", "-q", "-s"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_it_books_and_later_sends_while_redis_refuses_or_never_answers(refusing_redis, hung_redis):
    # Both cases at once: each child spends most of its time starting Django.
    children = {"refusing": child_start(refusing_redis), "hung": child_start(hung_redis.url)}
    outputs = {}
    try:
        for case, child in children.items():
            outputs[case] = child.communicate(timeout=90)[0]
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()
                child.wait(timeout=10)
    for case, child in children.items():
        output = outputs[case]
        print(f"===== Redis {case} =====\n{output}")  # shown when this test fails
        assert child.returncode == 0, f"Redis {case}: the child test failed (its output is printed below)"
        assert re.search(r"\b1 passed\b", output), f"Redis {case}: the child test did not run"
        seconds = float(re.search(r"booking answered in ([\d.]+) s", output).group(1))
        assert seconds < 5, f"Redis {case}"
    assert hung_redis.accepted, "the child never reached the hung Redis"
