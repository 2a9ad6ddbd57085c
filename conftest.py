"""Shared fixtures: the people of the access rules, and the rule for services tests need."""

import contextlib
import faulthandler
import os
import shutil
import socket
import threading
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from people.factories import EmployeeFactory, make_hr, make_supporter
from people.models import Employee

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# No test takes nearly this long. One that does is stuck: every thread's stack is printed and
# the run ends at once, failed, rather than waiting out CI's limit with nothing to show.
STUCK_AFTER = int(os.environ.get("TEST_STUCK_AFTER", "300"))


def pytest_configure(config):
    # The real standard error, kept before pytest captures it, so that the stacks are seen.
    config.stash[_stderr] = os.fdopen(os.dup(2), "w")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    faulthandler.dump_traceback_later(STUCK_AFTER, exit=True, file=item.config.stash[_stderr])
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


_stderr = pytest.StashKey()


def skip_unless_available(available: bool, reason: str) -> None:
    """Skip a test whose service is missing; with REQUIRE_SERVICES=1 (CI), fail it instead."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def celery_in_process(request):
    """Tasks run in-process, as without Redis, so that tests see their emails; tests of the
    real broker (marker real_broker) publish to Redis instead."""
    if request.node.get_closest_marker("real_broker"):
        yield
        return
    from talentapp.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def forget_oidc_provider():
    """Each test fetches (or primes) the OpenID Connect provider's metadata afresh."""
    yield
    from talentapp.oidc.discovery import forget

    forget()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    skip_unless_available(os.path.exists(path), "Chromium is not installed (apt-get install -y chromium)")
    return path


@dataclass
class Cast:
    """One person per role of the access rules: an employee, their manager and the manager's
    manager, a peer employee with another manager, a career supporter and HR."""

    employee: Employee
    manager: Employee
    senior_manager: Employee
    other_employee: Employee
    other_manager: Employee
    supporter: Employee
    hr: Employee


@pytest.fixture
def cast(db) -> Cast:
    senior_manager = EmployeeFactory(user__username="senior", job_title="Director of Nursing")
    manager = EmployeeFactory(user__username="manager", job_title="Ward Manager", line_manager=senior_manager)
    employee = EmployeeFactory(user__username="employee", line_manager=manager)
    other_manager = EmployeeFactory(user__username="othermanager", job_title="Ward Manager")
    other_employee = EmployeeFactory(user__username="otheremployee", line_manager=other_manager)
    return Cast(
        employee=employee,
        manager=manager,
        senior_manager=senior_manager,
        other_employee=other_employee,
        other_manager=other_manager,
        supporter=make_supporter(user__username="supporter"),
        hr=make_hr(user__username="hr"),
    )


@pytest.fixture
def refusing_redis() -> str:
    """A Redis address nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def hung_server():
    """An address on 127.0.0.1 that accepts connections and never answers; `.port`, and
    `.accepted` counts who called."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    listener.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield SimpleNamespace(port=listener.getsockname()[1], accepted=accepted)
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    listener.close()


@pytest.fixture
def hung_redis(hung_server):
    """A Redis address that accepts connections and never answers; `.accepted` counts who called."""
    return SimpleNamespace(url=f"redis://127.0.0.1:{hung_server.port}/0", accepted=hung_server.accepted)


@pytest.fixture
def refusing_port() -> int:
    """A port on 127.0.0.1 that nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(autouse=True)
def cache_emptied():
    """Each test starts with an empty cache, as kept counts and versions from another test (or,
    with Redis, another run) would otherwise be read as this one's. A cache that does not answer
    (the outage tests stop Redis on purpose) holds nothing to empty."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # any backend's failure to connect
        cache.clear()
