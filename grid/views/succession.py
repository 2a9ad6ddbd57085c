"""Succession: critical roles and their named successors. HR keeps them; managers read the
roles held in their line, with successors named only where they too are in the line."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.confirm import Question, confirm_page
from core.refusal import Refused
from people.access import log_reads
from people.models import Employee

from .. import access
from ..forms import CriticalRoleForm, SuccessorForm
from ..models import Successor
from ..selectors import critical_roles_with_cover
from ..services import critical_role_create, successor_name, successor_remove
from .common import talent_grid_or_404


def _manager_form(request, form_class):
    """Whether the user keeps succession plans, and the bound form if so; others may only read."""
    may_manage = access.may_manage_succession(request.user)
    if request.method == "POST" and not may_manage:
        raise Http404("No such page.")
    form = form_class(request.POST if request.method == "POST" else None) if may_manage else None
    return may_manage, form


@require_http_methods(["GET", "POST"])
def roles(request):
    talent_grid_or_404(request)
    may_manage, form = _manager_form(request, CriticalRoleForm)
    if form is not None and form.is_valid():
        try:
            role = critical_role_create(
                title=form.cleaned_data["title"],
                department=form.cleaned_data["department"],
                incumbent=form.cleaned_data["incumbent"],
                why_critical=form.cleaned_data["why_critical"],
            )
        except Refused as error:
            form.add_error("title", error.message)
        else:
            messages.success(request, f"{role.title} is marked as a critical role. Name its successors below.")
            return redirect("grid:succession_role", pk=role.pk)
    critical_roles = list(critical_roles_with_cover(user=request.user))
    return render(
        request,
        "grid/succession.html",
        {
            "critical_roles": critical_roles,
            "uncovered": sum(1 for role in critical_roles if not role.ready_now),
            "form": form,
            "may_manage": may_manage,
        },
    )


def _role_or_404(request, pk: int):
    role = (
        critical_roles_with_cover(user=request.user)
        .select_related("department", "incumbent__user", "incumbent__department")
        .filter(pk=pk)
        .first()
    )
    if role is None:
        raise Http404("No such critical role.")
    return role


@require_http_methods(["GET", "POST"])
def role_detail(request, pk: int):
    talent_grid_or_404(request)
    role = _role_or_404(request, pk)
    may_manage, form = _manager_form(request, SuccessorForm)
    if form is not None and form.is_valid():
        employee = form.cleaned_data["staff_number"]
        try:
            successor_name(
                role=role,
                employee=employee,
                readiness=form.cleaned_data["readiness"],
                notes=form.cleaned_data["notes"],
            )
        except Refused as error:
            form.add_error("staff_number", error.message)
        else:
            messages.success(request, f"{employee.full_name} is named as a successor.")
            return redirect("grid:succession_role", pk=role.pk)
    visible = Employee.objects.filter(access.talent_grid_scope(request.user), pk=OuterRef("employee_id"))
    successors = list(
        Successor.objects.filter(role=role)
        .select_related("employee__user", "employee__department")
        .annotate(visible=Exists(visible))
        .order_by("readiness", "employee__user__last_name", "pk")
    )
    log_reads(request, (("grid.successor", successor.pk, successor.employee_id) for successor in successors))
    return render(
        request,
        "grid/succession_role.html",
        {"role": role, "successors": successors, "form": form, "may_manage": may_manage},
    )


@require_http_methods(["GET", "POST"])
def successor_delete(request, pk: int, successor_pk: int):
    """GET asks once, saying what removing does; POST removes."""
    if not access.may_manage_succession(request.user):
        raise Http404("No such page.")
    successor = get_object_or_404(
        Successor.objects.select_related("employee__user", "role"), pk=successor_pk, role_id=pk
    )
    role_url = reverse("grid:succession_role", args=[pk])
    if request.method == "GET":
        name, role = successor.employee.full_name, successor.role.title
        return confirm_page(
            request,
            Question(
                title=f"Remove {name} as a successor for {role}?",
                what_happens=[
                    f"{name} is no longer named for {role}, and their readiness "
                    f"({successor.get_readiness_display().lower()}) and notes are deleted.",
                    "This cannot be undone: to name them again, add them afresh.",
                    "The role's cover (whether someone is ready now) is worked out again.",
                ],
                told=[f"Nobody is emailed; the site does not tell {name}."],
                button=f"Yes, remove {name}",
                action=reverse("grid:successor_remove", args=[pk, successor.pk]),
                back=role_url,
                back_label=f"No, back to {role}",
                breadcrumb=[
                    (reverse("grid:dashboard"), "Talent grid"),
                    (reverse("grid:succession"), "Succession"),
                    (role_url, role),
                ],
                danger=True,
            ),
        )
    successor_remove(successor=successor)
    messages.success(request, f"{successor.employee.full_name} is no longer named as a successor.")
    return redirect(role_url)
