"""WCAG 2.2 AA in a browser: axe-core over every kind of page each demo account reaches by links
from its home page, and over each form with its errors showing; reflow at 320 px and text
spacing; screenshots of the focus style and the error summary."""

import json
import time

import pytest
from playwright.sync_api import expect

from conftest import skip_unless_available
from tests.browser.accessibility import Crawl, run_axe, submit_empty, why_axe_missing

pytestmark = pytest.mark.browser

ACCOUNTS = ["hr", "manager", "employee", "supporter"]
NARROW = {"width": 320, "height": 640}
YELLOW = "rgb(255, 221, 0)"
BLACK = "rgb(11, 12, 12)"
# WCAG 1.4.12: the spacing a reader may set, from the W3C's text-spacing bookmarklet.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe-core goes in as a script tag, which the site's own policy (rightly) refuses.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def axe_installed():
    missing = why_axe_missing()
    skip_unless_available(not missing, missing)


@pytest.fixture(autouse=True)
def no_favicon_requests(page):
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


def form_pages() -> dict[str, list[str]]:
    """Pages with a form for each account, so that the crawl sends each of them with errors even
    where its first few links lead elsewhere."""
    from django.urls import reverse
    from django.utils import timezone

    from conversations.models import Conversation
    from grid.models import CalibrationSession
    from pdp.models import Plan

    def first(**filters):
        return Conversation.objects.filter(**filters).order_by("pk").first()

    pages = {username: [] for username in ACCOUNTS}
    requested = first(host__user__username="manager", status="requested", kind="talent")
    booked = first(host__user__username="manager", status="booked")
    review = first(host__user__username="manager", kind="six_month", status__in=["requested", "booked"])
    for name, conversation in (("book", requested), ("decline", requested), ("cancel", booked), ("record", booked)):
        if conversation:
            pages["manager"].append(reverse(f"conversations:{name}", args=[conversation.pk]))
    if review:
        pages["manager"] += [
            reverse(f"conversations:{name}", args=[review.pk]) for name in ("reschedule", "close_review")
        ]
    pages["manager"].append(reverse("conversations:start"))
    # The questions asked before what cannot be undone (GET asks; nothing changes).
    now = timezone.now()
    today = first(host__user__username="manager", status="booked", starts_at__lte=now)
    if today:
        pages["manager"].append(reverse("conversations:hold", args=[today.pk]))
    signed = first(employee__user__username="employee", status="held", host_signed_off_at__isnull=False)
    if signed:
        pages["employee"].append(reverse("conversations:sign_off", args=[signed.pk]))
    waiting = Plan.objects.filter(
        employee__line_manager__user__username="manager", status="draft", employee_signed_off_at__isnull=False
    ).first()
    if waiting:
        pages["manager"].append(reverse("pdp:sign_off", args=[waiting.pk]))
    plan = Plan.objects.filter(manager__user__username="manager", status__in=["draft", "agreed"]).first()
    if plan:
        pages["manager"] += [reverse("pdp:objective_add", args=[plan.pk]), reverse("pdp:action_add", args=[plan.pk])]
        pages["manager"].append(reverse("grid:place", args=[plan.employee_id]))
    pages["employee"].append(reverse("conversations:nominate"))
    prepared = first(employee__user__username="employee", status="booked")
    if prepared:
        pages["employee"].append(reverse("conversations:prepare", args=[prepared.pk]))
    pages["supporter"].append(reverse("conversations:supporter_profile"))
    session = CalibrationSession.objects.order_by("pk").first()
    CalibrationSession.objects.filter(pk=session.pk).update(closed_at=None, closed_by=None)
    pages["hr"] += [
        reverse("grid:calibration"),
        reverse("grid:calibration_session", args=[session.pk]),
        reverse("grid:succession"),
        reverse("staff_import"),
    ]
    return pages


def test_it_has_no_serious_violations_on_any_page_the_demo_accounts_reach(demo, live_server, page, sign_in):
    started, report, failures, unsummarised = time.monotonic(), [], {}, []
    also = form_pages()
    for username in ACCOUNTS:
        page.context.clear_cookies()
        sign_in(page, username)
        crawl = Crawl(live_server.url).run(page, "/", tuple(also[username]))
        report.append(f"{username}: {len(crawl.pages)} pages, {len(crawl.forms)} forms with errors; {crawl.summary()}")
        assert len(crawl.pages) >= 8, username
        questions = [path for path in also[username] if path.endswith(("/hold/", "/sign-off/"))]
        assert all(live_server.url + path in crawl.pages for path in questions), questions
        failures.update({f"{username} {url}": found for url, found in crawl.failures.items()})
        unsummarised += [f"{username} {url}" for url in crawl.unsummarised]
    page.context.clear_cookies()
    signed_out = Crawl(live_server.url).run(page, "/accounts/login/", ("/accounts/password_reset/",))
    report.append(f"signed out: {len(signed_out.pages)} pages, {len(signed_out.forms)} forms with errors")
    failures.update({f"signed out {url}": found for url, found in signed_out.failures.items()})
    unsummarised += [f"signed out {url}" for url in signed_out.unsummarised]
    print("\naxe-core, WCAG 2.2 A/AA, serious and critical:", *report, sep="\n  ")
    print(f"  {time.monotonic() - started:.0f} s")
    assert failures == {}, json.dumps(failures, indent=1)
    assert unsummarised == []


def test_it_sums_up_errors_focused_at_the_top_with_error_in_the_title(demo, live_server, page, sign_in, screenshot):
    from conversations.models import Conversation

    requested = Conversation.objects.filter(host__user__username="manager", status="requested", kind="talent").first()
    sign_in(page, "manager")
    for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 375, "height": 740})):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/conversations/{requested.pk}/book/")
        submit_empty(page)
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("There is a problem")
        expect(summary.get_by_role("link", name="Enter the venue")).to_be_visible()
        assert page.title().startswith("Error: Book the talent conversation with ")
        screenshot(page, f"a11y-error-summary-{name}")
        summary.get_by_role("link", name="Enter the venue").click()
        expect(page.locator("#id_venue")).to_be_focused()
        assert run_axe(page) == []


def test_it_shows_the_focus_in_yellow_and_black(demo, live_server, page, sign_in, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hr")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # Home
    link = page.locator(":focus")
    assert page.evaluate("getComputedStyle(document.activeElement).backgroundColor") == YELLOW
    assert link.evaluate("el => getComputedStyle(el).color") == BLACK
    screenshot(page, "a11y-focus-header-link")
    page.goto(f"{live_server.url}/grid/calibration/")
    page.locator("#id_name").focus()
    style = page.evaluate(
        "(s => [s.outlineColor, s.outlineStyle, s.boxShadow])(getComputedStyle(document.activeElement))"
    )
    assert style[:2] == [YELLOW, "solid"]
    assert BLACK in style[2]
    screenshot(page, "a11y-focus-field")


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("hr", "/grid/calibration/{session}/", "calibration"),
        ("hr", "/grid/movement/", "movement"),
        ("manager", "/", "manager-home"),
    ],
)
def test_it_reflows_at_320_px_without_scrolling_sideways(
    demo, live_server, page, sign_in, screenshot, username, path, name
):
    from grid.models import CalibrationSession

    session = CalibrationSession.objects.first()
    if name == "calibration":
        CalibrationSession.objects.filter(pk=session.pk).update(closed_at=None, closed_by=None)
    page.set_viewport_size(NARROW)
    sign_in(page, username)
    page.goto(live_server.url + path.format(session=session.pk))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(el => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.right > document.documentElement.clientWidth + 1
                && !el.closest('.table-responsive, .table-responsive-sm');
        }).slice(0, 5).map(el => el.outerHTML.slice(0, 120))"""
    )
    screenshot(page, f"a11y-320-{name}")
    assert overflow <= 0, wide
    assert wide == []
    if name == "calibration":
        for card in page.locator(".calibration-card").all()[:10]:
            assert card.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    if name == "movement":
        caption = page.locator(".movement-table caption")
        box = caption.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= NARROW["width"]


def test_it_keeps_the_header_whole_with_wider_text_spacing(demo, live_server, page, sign_in, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "hr")
    page.add_style_tag(content=TEXT_SPACING)
    sign_out = page.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    screenshot(page, "a11y-text-spacing-header")
    assert box["x"] + box["width"] <= 1280
    middle = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    assert sign_out.evaluate("(el, at) => el.contains(document.elementFromPoint(at[0], at[1]))", middle)
    assert sign_out.evaluate("el => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1")
    header = page.locator(".site-header .navbar")
    assert header.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
