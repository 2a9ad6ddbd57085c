"""HR's staff import in the browser: the page follows the background jobs (run here as `make run`'s
`run_jobs` runs them) from waiting to the preview, and from the confirmation to the import."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from talentapp.jobs import queued_jobs_run

pytestmark = pytest.mark.browser

STAFF_FILE = Path(__file__).resolve().parents[2] / "people" / "tests" / "data" / "staff_good.csv"


def test_it_follows_the_check_and_the_import_run_in_the_background(
    page, live_server, demo, sign_in, screenshot, settings, tmp_path
):
    settings.STAFF_IMPORT_DIR = tmp_path / "imports"
    sign_in(page, "hr")
    page.goto(f"{live_server.url}/people/import/")
    page.get_by_label("Staff file (CSV or Excel)").set_input_files(STAFF_FILE)
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("staff_good.csv")
    status = page.locator("#import-status")
    if not settings.REDIS_URL:  # with a broker, the task has run in-process already (tests' eager Celery)
        expect(status).to_contain_text("Waiting to start")
        screenshot(page, "staff-import-waiting")
    queued_jobs_run()  # the background loop; the page polls itself and shows the preview, no reload
    expect(page.get_by_role("button", name="Import these changes")).to_be_visible(timeout=10_000)
    expect(status).to_contain_text("People added")
    screenshot(page, "staff-import-preview")

    page.get_by_role("button", name="Import these changes").click()
    queued_jobs_run()
    expect(status).to_contain_text("Imported: 16 people added", timeout=10_000)
    screenshot(page, "staff-import-done")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "staff-import-done-phone")
