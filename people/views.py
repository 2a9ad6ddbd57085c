from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import access
from .forms import PeopleFilterForm, StaffImportForm
from .importer import StaffImportError, staff_import_csv
from .selectors import in_department_tree, staff_search

PEOPLE_PER_PAGE = 50


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


@require_GET
def person_detail(request, pk: int):
    employee = access.get_employee_for_user(request, pk)
    reports = employee.direct_reports.select_related("user").order_by("user__last_name", "user__first_name")
    return render(request, "people/person_detail.html", {"person": employee, "reports": reports})


@require_http_methods(["GET", "POST"])
def staff_import(request):
    if not access.may_administer_staff(request.user):
        raise Http404("No such page.")
    errors = []
    form = StaffImportForm(*([request.POST, request.FILES] if request.method == "POST" else []))
    if request.method == "POST" and form.is_valid():
        try:
            result = staff_import_csv(form.cleaned_data["text"])
        except StaffImportError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                f"Import complete: {result.created} people added, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.departments_created} departments added.",
            )
            return redirect("staff_import")
    return render(request, "people/staff_import.html", {"form": form, "errors": errors})
