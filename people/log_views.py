"""HR's access log pages: the log, filtered by person, reader and dates, a page at a time; and
one entry with every record it showed."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.ids import id_from_query

from . import access
from .access_log import Cursor, entries_page, entry_records
from .log_forms import AccessLogFilterForm
from .models import AccessLog

PAGE_KEYS = ("before", "after")


def _hr_or_404(request) -> None:
    if not access.roles_for(request.user).is_hr:
        raise Http404("No such page.")


def _with(query, **values) -> str:
    """`query` (a QueryDict) with `values` set, as a query string."""
    query = query.copy()
    for key, value in values.items():
        query[key] = value
    return query.urlencode()


@require_GET
def access_log(request):
    """Who read whose confidential records, newest first. Without filters: everyone's."""
    _hr_or_404(request)
    filters = request.GET.copy()
    for key in PAGE_KEYS:
        filters.pop(key, None)
    form = AccessLogFilterForm(
        filters or None,
        person_id=id_from_query(filters.get("person_id")),
        reader_id=id_from_query(filters.get("reader_id")),
    )
    log_filter = form.log_filter()
    page = None
    if log_filter is not None:
        page = entries_page(
            log_filter,
            before=Cursor.parse(request.GET.get("before", "")),
            after=Cursor.parse(request.GET.get("after", "")),
        )
    person_choices = [
        (person, _with(filters, person=person.full_name, person_id=person.pk)) for person in form.person_choices
    ]
    reader_choices = [
        (reader, _with(filters, reader=reader.get_full_name() or reader.get_username(), reader_id=reader.pk))
        for reader in form.reader_choices
    ]
    shown = form.cleaned_data if log_filter is not None and form.is_bound else {}
    return render(
        request,
        "people/access_log.html",
        {
            "form": form,
            "page": page,
            "log_filter": log_filter,
            "person_value": shown.get("person", form["person"].value() or ""),
            "reader_value": shown.get("reader", form["reader"].value() or ""),
            "querystring": filters.urlencode(),
            "filtered": bool(filters),
            "person_choices": person_choices,
            "reader_choices": reader_choices,
        },
    )


@require_GET
def access_log_entry(request, pk: int):
    """One entry: who read, when, which page, and every record it showed, 100 at a time."""
    _hr_or_404(request)
    entry = AccessLog.objects.select_related("user").filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    records, more = entry_records(entry, after=id_from_query(request.GET.get("after", "")))
    return render(request, "people/access_log_entry.html", {"entry": entry, "records": records, "more": more})
