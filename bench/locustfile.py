"""`make load`: signed-in people using `make stack` at its morning peak (locust, headless).

Each simulated person signs in as one of the four demo accounts (employee, manager, HR or
career supporter, in proportion to how many of each a trust has) and goes through the pages
that role uses most, a few seconds apart: the home page, their conversations and one of them,
their plan, the staff list, the talent grid and the inclusion figures. Every fiftieth page they
sign out and in again, so that sign-ins are part of the mix; each person's first time comes after
a random 1 to 50 pages, so that people who arrived together do not all sign in again together.
Figures are counted from the moment everyone has arrived (people arrive two a second, each
signing in: a sign-in hashes the password, on purpose slowly). At the end it prints each page's
requests, errors and 50th, 95th and 99th percentile times, and the same for every page but
sign-in together. bin/load runs it; see docs/operations.md#make-load.
"""

import random
import re
import time
from collections import defaultdict

from locust import HttpUser, between, events, task

PASSWORD = "talent-demo"
CONVERSATION_LINK = re.compile(r'href="/conversations/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGN_IN_AGAIN_EVERY = 50
SIGN_IN = "sign-in"

times: dict[str, list[float]] = defaultdict(list)
errors: dict[str, int] = defaultdict(int)


counting_since: list[float] = []


@events.spawning_complete.add_listener
def _everyone_arrived(user_count, **kwargs):
    """The arrival (everyone signing in at once) is not the steady state: count from here."""
    times.clear()
    errors.clear()
    counting_since.append(time.time())


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    times[name].append(response_time)
    if exception is not None:
        errors[name] += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def _row(name: str, values: list[float], failed: int) -> str:
    return (
        f"{name:<24} {len(values):>8} {failed:>7} {_percentile(values, 0.50):>7.0f} "
        f"{_percentile(values, 0.95):>7.0f} {_percentile(values, 0.99):>7.0f}"
    )


@events.quitting.add_listener
def _report(environment, **kwargs):
    seconds = max(time.time() - (counting_since[0] if counting_since else environment.runner.stats.total.start_time), 1)
    print(f"\n{'page':<24} {'requests':>8} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name in sorted(times):
        print(_row(name, times[name], errors[name]))
    pages = [value for name, values in times.items() if name != SIGN_IN for value in values]
    print(_row("all but sign-in", pages, sum(n for name, n in errors.items() if name != SIGN_IN)))
    every = [value for values in times.values() for value in values]
    print(_row("everything", every, sum(errors.values())))
    print(f"{len(every) / seconds:.1f} requests a second over the last {seconds:.0f} s, with everyone signed in")


class Person(HttpUser):
    abstract = True
    username = ""
    pages: list[tuple[str, str]] = []  # (name, path); "conversation" opens one from the list
    wait_time = between(1, 4)

    def on_start(self):
        self.conversations: list[str] = []
        self.seen = random.randrange(SIGN_IN_AGAIN_EVERY)  # sign-ins spread out, not all at page 50
        self.sign_in()

    def sign_in(self):
        with self.client.get("/accounts/login/", name=SIGN_IN, catch_response=True) as page:
            token = CSRF_FIELD.search(page.text)
            if not token:
                page.failure("no sign-in form")
                return
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name=SIGN_IN,
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("still on the sign-in page")

    @task
    def next_page(self):
        self.seen += 1
        if self.seen % SIGN_IN_AGAIN_EVERY == 0:
            self.client.cookies.clear()
            self.sign_in()
            return
        name, path = random.choice(self.pages)
        if name == "conversation":
            if not self.conversations:
                name, path = "conversations", "/conversations/"
            else:
                path = f"/conversations/{random.choice(self.conversations)}/"
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")
            elif name == "conversations":
                self.conversations = CONVERSATION_LINK.findall(response.text)[:20]


EVERYONE = [("home", "/"), ("conversations", "/conversations/"), ("conversation", "")]


class Employee(Person):
    weight = 10
    username = "employee"
    pages = [*EVERYONE, ("plan", "/pdp/")]


class Manager(Person):
    weight = 6
    username = "manager"
    pages = [
        *EVERYONE,
        ("plan", "/pdp/"),
        ("staff list", "/people/"),
        ("grid", "/grid/"),
        ("inclusion", "/grid/inclusion/"),
    ]


class HR(Person):
    weight = 3
    username = "hr"
    pages = [*EVERYONE, ("staff list", "/people/"), ("grid", "/grid/"), ("inclusion", "/grid/inclusion/")]


class Supporter(Person):
    weight = 1
    username = "supporter"
    pages = EVERYONE
