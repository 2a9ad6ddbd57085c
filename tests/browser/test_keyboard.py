"""The booking, record, preparation and calibration forms with a keyboard alone: every stop is
reached by Tab, shows the yellow-and-black focus and is never behind the sticky save bar; the
form is filled in and sent with the keys (Tab, typing, Space, Enter, the arrow keys)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Conversation

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

FOCUSED = """() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    const bar = document.querySelector('.save-bar');
    let behind_bar = false;
    if (bar && !bar.contains(el)) {
        const edge = bar.getBoundingClientRect();
        behind_bar = box.bottom > edge.top + 0.5 && box.top < edge.bottom;
    }
    const style = getComputedStyle(el);
    const looks = [style.outlineColor, style.backgroundColor, style.boxShadow].join(' ');
    return {
        id: el.id, tag: el.tagName, text: (el.textContent || el.value || '').trim().slice(0, 40),
        behind_bar, in_view: box.bottom > 0 && box.top < innerHeight,
        yellow: looks.includes('255, 221, 0'),
    };
}"""


@pytest.fixture(autouse=True)
def no_favicon_requests(page):
    page.context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


@pytest.fixture(autouse=True)
def no_smooth_scrolling(page):
    # Bootstrap scrolls smoothly unless the reader asks for less motion; measured mid-scroll, a
    # field that ends up clear of the save bar would look hidden.
    page.emulate_media(reduced_motion="reduce")


def tab_to(page, matches, limit: int = 120) -> dict:
    """Press Tab until the focused element satisfies matches(focus); every stop on the way must be
    in view, clear of the save bar and shown in yellow."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        focus = page.evaluate(FOCUSED)
        if focus["tag"] == "BODY":
            continue
        assert focus["in_view"], focus
        assert not focus["behind_bar"], focus
        assert focus["yellow"], focus
        if matches(focus):
            return focus
    raise AssertionError("not reached by Tab")


def field(element_id):
    return lambda focus: focus["id"] == element_id


def button(text):
    return lambda focus: focus["tag"] == "BUTTON" and focus["text"].startswith(text)


def test_it_books_with_the_keyboard(demo, live_server, page, sign_in):
    conversation = Conversation.objects.filter(
        host__user__username="manager", status="requested", kind="talent"
    ).first()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/book/")
    day = timezone.localdate() + datetime.timedelta(days=35)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    tab_to(page, field("id_date"))
    page.locator("#id_date").fill(day.isoformat())  # the date picker's segments follow the locale
    tab_to(page, field("id_time"))
    page.locator("#id_time").fill("10:35")
    tab_to(page, field("id_venue"))
    page.keyboard.type("Seminar room 2, Ward 7")
    tab_to(page, field("id_venue_is_private"))
    page.keyboard.press("Space")
    expect(page.locator("#id_venue_is_private")).to_be_checked()
    tab_to(page, button("Book"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if "/book/" in page.url:  # a warning (short notice, a clash) asks to book anyway
        tab_to(page, button("Book anyway"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
    conversation.refresh_from_db()
    assert conversation.status == "booked"
    assert conversation.venue == "Seminar room 2, Ward 7"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_records_with_the_keyboard_and_the_save_bar_never_hides_the_focus(demo, live_server, page, sign_in, size):
    conversation = Conversation.objects.filter(host__user__username="manager", status="booked").first()
    page.set_viewport_size(size)
    sign_in(page, "manager")
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/record/")
    tab_to(page, field("id_topic"))
    page.keyboard.press("Control+A")
    page.keyboard.type("Moving towards a charge nurse role")
    # every stop through the whole form, to the save bar's button
    tab_to(page, button("Save"), limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    conversation.refresh_from_db()
    assert conversation.topic == "Moving towards a charge nurse role"


def test_it_prepares_with_the_keyboard(demo_booked, live_server, page, sign_in):
    conversation = demo_booked
    page.set_viewport_size(DESKTOP)
    sign_in(page, "employee")
    page.goto(f"{live_server.url}/conversations/{conversation.pk}/prepare/")
    first = page.locator("form textarea").first.get_attribute("id")
    tab_to(page, field(first))
    page.keyboard.press("Control+A")
    page.keyboard.type("Running the ward's falls audit")
    tab_to(page, button("Save draft"), limit=200)
    with page.expect_navigation():
        page.keyboard.press("Space")
    conversation.preparation.refresh_from_db()
    answers = [getattr(conversation.preparation, name, "") for name in dir(conversation.preparation)]
    assert "Running the ward's falls audit" in [answer for answer in answers if isinstance(answer, str)]


def test_it_calibrates_with_the_keyboard(demo, live_server, page, sign_in):
    from grid.models import CalibrationMove, CalibrationSession

    session = CalibrationSession.objects.first()
    CalibrationSession.objects.filter(pk=session.pk).update(closed_at=None, closed_by=None)
    moves = CalibrationMove.objects.filter(session=session).count()
    page.set_viewport_size(DESKTOP)
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/grid/calibration/{session.pk}/")
    tab_to(page, field("id_person"), limit=200)
    page.keyboard.press("ArrowDown")
    person = page.locator("#id_person").input_value()
    assert person
    current = page.evaluate(
        "id => document.querySelector(`[data-person='${id}']`).closest('[data-box]').dataset.box", person
    )
    tab_to(page, field("id_box"))
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if page.locator("#id_box").input_value() not in ("", current):
            break
    tab_to(page, field("id_reason"))
    page.keyboard.type("Evidence from the spring audit and peer feedback.")
    tab_to(page, button("Record the move"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert CalibrationMove.objects.filter(session=session).count() == moves + 1
