"""WCAG 2.2 AA in a browser: axe-core over every page each demo account reaches by links from its
home page, and over each form with its errors showing."""

import json
import time

import pytest

from conftest import skip_unless_available
from tests.browser.accessibility import Crawl, why_axe_missing

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core goes in as a script tag the site's own policy would (rightly) refuse.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def axe_installed():
    missing = why_axe_missing()
    skip_unless_available(not missing, missing)


@pytest.fixture(autouse=True)
def no_favicon_requests(page):
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


@pytest.mark.parametrize("username", ["hr", "manager", "employee", "supporter"])
def test_it_has_no_serious_violations_on_any_page_reached_by_links(demo, live_server, page, sign_in, username):
    started = time.monotonic()
    sign_in(page, username)
    crawl = Crawl(live_server.url).run(page)
    print(f"\naxe: {username}: {len(crawl.pages)} pages in {time.monotonic() - started:.0f} s; {crawl.summary()}")
    assert len(crawl.pages) >= 5
    assert crawl.failures == {}, json.dumps(crawl.failures, indent=1)
