"""The PDF: read back with pypdf. It names the person, is tagged PDF/UA-1 with its title and
language, repeats the actions table's header row on every page, and fetches nothing but the
project's static files."""

import io
import re

import pytest
from pypdf import PdfReader

from pdp.pdf import RefusedURL, plan_pdf, plan_pdf_filename, static_fetcher_class, static_path_for
from pdp.tests.helpers import typical_plan


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def plan(db):
    return typical_plan()


def test_it_names_the_employee_and_their_way_forward(plan):
    text = text_of(read(plan_pdf(plan)))
    assert plan.employee.full_name in text
    assert plan.employee.staff_number in text
    assert "Lead two shifts a month" in text
    assert "Agreed with" in text
    assert plan.manager.full_name in text


def test_it_is_tagged_pdf_ua_1_with_title_and_language(plan):
    reader = read(plan_pdf(plan))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == f"Personal development plan: {plan.employee.full_name}"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)


def test_it_is_a4_with_page_x_of_y_and_the_date_generated(plan):
    reader = read(plan_pdf(plan))
    width, height = (float(value) for value in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in reader.pages[0].extract_text()
    assert "Generated " in reader.pages[-1].extract_text()


def test_it_repeats_the_action_table_header_on_every_page(db):
    plan = typical_plan(actions=40)
    reader = read(plan_pdf(plan))
    assert len(reader.pages) >= 3
    table_pages = [page for page in reader.pages[1:-1]]
    for page in table_pages:
        assert "Action and progress" in page.extract_text()


def test_it_shows_review_dates_and_sign_offs(plan):
    text = text_of(read(plan_pdf(plan)))
    assert "6-month review" in text
    assert "1 November 2026" in text
    assert "12-month review" in text
    assert "1 May 2027" in text
    assert "Sign-off" in text
    assert "Not yet signed" not in text


def test_it_renders_a_long_plan_over_several_pages(db):
    # How long it takes is measured by `make bench` (PDF renders), not here: a timed test
    # fails on a busy machine and proves nothing on a quiet one.
    pdf = plan_pdf(typical_plan(actions=30))
    assert len(read(pdf).pages) >= 3


def test_it_names_the_download_after_the_person_and_the_day(plan):
    assert re.fullmatch(r"development-plan-[a-z-]+-\d{4}-\d{2}-\d{2}\.pdf", plan_pdf_filename(plan))


# The URL fetcher ------------------------------------------------------------------------


def test_it_serves_the_projects_static_files():
    fetcher = static_fetcher_class()()
    response = fetcher.fetch("https://static.pdf.invalid/static/pdp/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/talentapp/settings.py",
        "http://example.com/logo.png",
        "https://example.com/static/pdp/print.css",
        "https://static.pdf.invalid.example.com/static/pdp/print.css",
        "data:text/css,body{color:red}",
        "ftp://static.pdf.invalid/static/pdp/print.css",
        "https://static.pdf.invalid/etc/passwd",
        "https://static.pdf.invalid/static/../talentapp/settings.py",
        "https://static.pdf.invalid/static/%2e%2e/talentapp/settings.py",
        "https://static.pdf.invalid/static/pdp/%2e%2e/%2e%2e/%2e%2e/manage.py",
        "https://static.pdf.invalid/static//etc/passwd",
        "https://static.pdf.invalid/static/pdp/print.css?x=1",
        "https://static.pdf.invalid/static/no/such/file.css",
    ],
)
def test_it_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        static_path_for(url)
    with pytest.raises(RefusedURL):
        static_fetcher_class()().fetch(url)


def test_it_does_not_read_files_named_in_the_html(db, monkeypatch, settings):
    """A file:// image or a remote stylesheet in the document is refused, not fetched."""
    import weasyprint

    asked = []
    fetcher = static_fetcher_class()()
    original = fetcher.fetch

    def spy(url, headers=None):
        asked.append(url)
        return original(url, headers)

    fetcher.fetch = spy
    html = weasyprint.HTML(
        string='<html lang="en-GB"><title>t</title><img src="file:///etc/hostname" alt="x">'
        '<link rel="stylesheet" href="http://127.0.0.1:1/x.css"><p>Hello</p></html>',
        base_url="https://static.pdf.invalid/",
        url_fetcher=fetcher,
    )
    pdf = html.write_pdf()
    assert asked == ["http://127.0.0.1:1/x.css", "file:///etc/hostname"] or set(asked) == {
        "http://127.0.0.1:1/x.css",
        "file:///etc/hostname",
    }
    assert b"/Subtype /Image" not in pdf


def test_it_moves_long_progress_notes_after_the_table_so_rows_fit_a_page(db):
    plan = typical_plan(actions=3)
    action = plan.actions.first()
    action.progress_notes = "Weekly shadowing went well. " * 150
    action.save()
    text = text_of(read(plan_pdf(plan)))
    assert "see note 1 after this table" in text
    assert "Progress notes" in text


def structure_types(node, found=None) -> set:
    found = set() if found is None else found
    node = node.get_object()
    if not hasattr(node, "get"):
        return found
    if node.get("/S"):
        found.add(str(node["/S"]))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object"):
            structure_types(kid, found)
    return found


def test_it_tags_headings_tables_and_lists_and_marks_running_heads_as_artifacts(plan):
    reader = read(plan_pdf(plan))
    types = structure_types(reader.trailer["/Root"]["/StructTreeRoot"])
    assert {"/H1", "/H2", "/Table", "/THead", "/TH", "/TD", "/L", "/LI"} <= types
    assert b"/Artifact" in reader.pages[-1].get_contents().get_data()


def test_it_prints_the_review_conversations_as_they_are_now(cast):
    import datetime

    from conversations.factories import HeldConversationFactory
    from conversations.models import Conversation
    from conversations.reviews import reviews_schedule
    from pdp import services

    held = HeldConversationFactory(employee=cast.employee, host=cast.manager, status="signed_off")
    six, _ = reviews_schedule(conversation=held)
    plan = services.plan_start_from_conversation(conversation=held, by=cast.manager)
    Conversation.objects.filter(pk=six.pk).update(due_on=datetime.date(2027, 2, 3))  # moved since
    text = text_of(read(plan_pdf(plan)))
    assert "6-month review Due 3 February 2027" in text
    assert "12-month review Due" in text
