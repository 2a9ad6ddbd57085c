"""The plan as a PDF: WeasyPrint renders pdp/pdf/plan.html with the print stylesheet
pdp/static/pdp/print.css, as PDF/UA-1 (tagged, with its title and language); pdp/pdf_tags.py
then makes the running heads artifacts, joins tables that cross pages and gives each header
cell its scope.

Resources: the template refers to the project's static files only, under a made-up origin
that never resolves (STATIC_ORIGIN). StaticFilesFetcher serves those from the static files
folders through Django's finders and refuses everything else: other origins, http(s),
file:// (so that no file of the server can be read into a PDF), data: and any path that
climbs out of a static folder. Fonts come from the system (Liberation Sans or DejaVu Sans,
through fontconfig), so nothing is fetched for them.
"""

import functools
import logging
import mimetypes
import posixpath
import threading
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from . import pdf_tags
from .models import Action, Plan
from .selectors import action_groups

STATIC_ORIGIN = "https://static.pdf.invalid"  # .invalid never resolves (RFC 2606)
PDF_VARIANT = "pdf/ua-1"
PROGRESS_IN_TABLE = 400  # characters of progress notes shown in the actions table; longer ones follow it

# WeasyPrint logs each step of every render at INFO; an export of hundreds would flood the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class RefusedURL(ValueError):
    """The PDF asked for something other than one of the project's static files."""


def _weasyprint():
    # Imported when first needed: it loads Pango, which the web pages never need.
    import weasyprint
    import weasyprint.pdf.tags

    pdf_tags.record_sources(weasyprint.pdf.tags)
    return weasyprint


_per_thread = threading.local()


def font_configuration():
    """One WeasyPrint font configuration per thread, made at the first render and reused: a new one
    for every render leaves some native memory behind each time (about 0.2 MB), which a long export
    or a busy web process would pile up. Per thread, since Pango's font map is not shared safely
    between threads (gunicorn's threaded workers render PDFs side by side)."""
    config = getattr(_per_thread, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _per_thread.font_config = FontConfiguration()
    return config


@functools.cache
def static_fetcher_class():
    weasyprint = _weasyprint()

    class StaticFilesFetcher(weasyprint.URLFetcher):
        """Serves the project's static files and nothing else."""

        def fetch(self, url, headers=None):
            path = static_path_for(url)
            body = path.read_bytes()
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher


def static_path_for(url: str) -> Path:
    """The static file that `url` names, or RefusedURL."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if origin != STATIC_ORIGIN or parts.query or not parts.path.startswith(static_prefix):
        raise RefusedURL(f"Refused to fetch {url[:200]!r}: a PDF may use the project's static files only.")
    relative = unquote(parts.path[len(static_prefix) :])
    segments = relative.split("/")
    if not relative or "\\" in relative or "\x00" in relative or ".." in segments or relative.startswith("/"):
        raise RefusedURL(f"Refused to fetch {url[:200]!r}: not a static file's path.")
    relative = posixpath.normpath(relative)
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        found = None
    if not found:
        raise RefusedURL(f"Refused to fetch {url[:200]!r}: no such static file.")
    return Path(found)


def plan_context(plan: Plan, *, generated_at: datetime) -> dict:
    objectives, groups, action_count = action_groups(plan)
    # (objective or None, its actions), objectives in order, then the actions under none if any
    rows = [(group.objective, group.actions) for group in groups if group.objective or group.actions]
    actions = sorted((action for _, in_group in rows for action in in_group), key=lambda a: (a.position, a.pk))
    long_notes = []
    for action in actions:
        # A row must fit on a page for the table to break cleanly: long progress notes go after it.
        if len(action.progress_notes) > PROGRESS_IN_TABLE:
            long_notes.append(action)
            action.note_number = len(long_notes)
    # The review conversations themselves when there are any: they may have been moved since.
    reviews = []
    if plan.source_conversation_id:
        from .services import scheduled_reviews

        reviews = sorted(scheduled_reviews(plan.source_conversation).values(), key=lambda review: review.kind)
    return {
        "plan": plan,
        "reviews": reviews,
        "employee": plan.employee,
        "organisation_name": settings.ORGANISATION_NAME,
        "objectives": objectives,
        "action_groups": rows,
        "actions": actions,
        "action_count": action_count,
        "long_notes": long_notes,
        "type_help": Action.TYPE_HELP,
        "generated_at": timezone.localtime(generated_at),
        "title": plan_title(plan),
    }


def plan_title(plan: Plan) -> str:
    return f"Personal development plan: {plan.employee.full_name}"


def plan_pdf(plan: Plan, *, generated_at: datetime | None = None) -> bytes:
    """The plan as PDF/UA-1 bytes."""
    weasyprint = _weasyprint()
    generated_at = generated_at or timezone.now()
    html = render_to_string("pdp/pdf/plan.html", plan_context(plan, generated_at=generated_at))
    document = weasyprint.HTML(string=html, base_url=f"{STATIC_ORIGIN}/", url_fetcher=static_fetcher_class()())
    return pdf_tags.finish(document.write_pdf(pdf_variant=PDF_VARIANT, font_config=font_configuration()))


def plan_pdf_filename(plan: Plan, *, on: datetime | None = None) -> str:
    """e.g. development-plan-james-okafor-2026-05-01.pdf"""
    day = timezone.localdate(on or timezone.now())
    name = slugify(plan.employee.full_name) or "employee"
    return f"development-plan-{name}-{day:%Y-%m-%d}.pdf"
