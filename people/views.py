from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access
from .forms import PeopleFilterForm, StaffImportForm
from .import_jobs import import_job_confirm, import_job_create, seems_stopped
from .importer import ImportReport
from .models import StaffImportJob
from .picker import PICK_LIMIT, person_matches, pickable_people
from .selectors import in_department_tree, staff_search

PEOPLE_PER_PAGE = 50
RECENT_IMPORTS = 5


@require_GET
def people_pick(request):
    """The person picker's search: the people the user may see matching `q` (or the value of the
    field named by `field`), as the list of matches to choose from, or as JSON with `format=json`."""
    roles = access.roles_for(request.user)
    if not (roles.is_hr or roles.is_manager):
        raise Http404("No such page.")
    field = request.GET.get("field", "person")
    if not field.isidentifier():
        field = "person"
    query = (request.GET.get("q") or request.GET.get(field) or "").strip()[:100]
    matches = person_matches(pickable_people(request.user), query) if query else []
    shown = matches[:PICK_LIMIT]
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [
                    {
                        "staff_number": person.staff_number,
                        "name": person.full_name,
                        "job_title": person.job_title,
                        "department": person.department.name if person.department else "",
                    }
                    for person in shown
                ],
                "more": len(matches) > PICK_LIMIT,
            }
        )
    return render(
        request,
        "people/_pick_matches.html",
        {"field": field, "matches": shown, "more": len(matches) > PICK_LIMIT, "query": query, "picked": ""},
    )


@require_GET
def people_list(request):
    """Staff the user may look up: everyone for HR, the whole line for a manager."""
    roles = access.roles_for(request.user)
    if not (roles.is_hr or roles.is_manager):
        raise Http404("No such page.")
    form = PeopleFilterForm(request.GET or None, show_department=roles.is_hr)
    people = access.visible_employees(request.user).select_related("user", "department", "line_manager__user")
    if form.is_valid():
        query = form.cleaned_data.get("q")
        if query:
            people = people.filter(staff_search(query))
        department = form.cleaned_data.get("department")
        if department:
            people = people.filter(in_department_tree(department))
    page = Paginator(people.order_by("user__last_name", "user__first_name", "pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "people/people_list.html",
        {"form": form, "page": page, "querystring": querystring.urlencode(), "is_hr": roles.is_hr},
    )


def _import_job_for(request, pk: int) -> StaffImportJob:
    """HR's own staff import; anyone else, other HR staff included, gets 404."""
    if not access.may_administer_staff(request.user):
        raise Http404("No such page.")
    job = StaffImportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404("No such import.")
    return job


@require_http_methods(["GET", "POST"])
def staff_import(request):
    """Upload a staff file; it is checked first, and imported only once HR has seen the preview."""
    if not access.may_administer_staff(request.user):
        raise Http404("No such page.")
    form = StaffImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        job = import_job_create(
            requested_by=request.user, upload=form.cleaned_data["file"], complete=form.cleaned_data["complete"]
        )
        return redirect("staff_import_job", pk=job.pk)
    recent = StaffImportJob.objects.filter(requested_by=request.user)[:RECENT_IMPORTS]
    return render(request, "people/staff_import.html", {"form": form, "recent": recent})


@require_GET
def staff_import_job(request, pk: int):
    """The check or import's progress (the page polls itself with htmx while it works), then the report."""
    job = _import_job_for(request, pk)
    report = ImportReport.from_json(job.report) if job.report else None
    context = {"job": job, "report": report, "stopped": seems_stopped(job), "Status": StaffImportJob.Status}
    template = (
        "people/_staff_import_status.html" if request.headers.get("HX-Request") else "people/staff_import_job.html"
    )
    return render(request, template, context)


@require_POST
def staff_import_confirm(request, pk: int):
    job = _import_job_for(request, pk)
    if not import_job_confirm(job=job):
        messages.error(request, "This file cannot be imported now. Upload it again to check it afresh.")
    return redirect("staff_import_job", pk=job.pk)
