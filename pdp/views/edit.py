"""Changing plans: starting one, the way forward, objectives, actions, progress and comments
(signing off is pdp.views.sign_off). Services decide and record; these pages show forms and
what went wrong.

A page someone may not use answers 404, like anything they may not see. A save refused
because someone else saved first (core.versions.StaleVersion) shows the form again with the
person's text kept, what is saved now of each field that differs, and the current version
in the form, so that a second Save replaces knowingly. A refused change (core.refusal.Refused)
goes back to the plan with the reason.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from conversations.access import get_conversation_for_user
from conversations.states import plan_may_start_from
from core.ids import id_from_query
from core.refusal import Refused
from core.versions import CONFLICT, StaleVersion, conflict_between, with_version
from people.access import get_employee_for_user, roles_for

from .. import access, services
from ..forms import ActionForm, CommentsForm, DeleteForm, ObjectiveForm, ProgressForm, WayForwardForm
from ..models import Action, Objective, Plan
from .common import back_to_plan, plan_for


def _me(request):
    return roles_for(request.user).employee


def _closed(request, plan: Plan):
    messages.error(request, "This plan is closed: it is kept as a record and cannot be changed.")
    return redirect("pdp:detail", pk=plan.pk)


def _form_page(request, plan: Plan, form, *, save, reload, template: str, context: dict, saved: str, anchor: str = ""):
    """Show `form`; on a valid post call `save(cleaned_data)` and go back to the plan at `anchor`.

    A StaleVersion shows the form again (409) with the posted text kept: `reload()` fetches
    what is saved now and returns (the record, its version); the conflict names each field
    whose saved value differs from the text posted. A Refused goes back to the plan with the reason.
    """
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except StaleVersion as error:
            record, version = reload()
            values = {name: getattr(record, name) for name in form.fields if hasattr(record, name)}
            status, conflict = CONFLICT, conflict_between(form, values, message=str(error))
            form = with_version(form, version)
        except Refused as error:
            messages.error(request, error.message)
            return back_to_plan(plan)
        else:
            messages.success(request, saved)
            return back_to_plan(plan, anchor)
    context = {"plan": plan, "form": form, "conflict": conflict, **context}
    return render(request, template, context, status=status)


def _delete(request, plan: Plan, *, remove, retry, removed: str):
    """The Remove button of an edit page: `remove(version)`, or back to `retry` if it was stale."""
    delete = DeleteForm(request.POST)
    try:
        if not delete.is_valid():
            raise StaleVersion(services.CHANGED_MEANWHILE)
        remove(delete.cleaned_data["version"])
    except StaleVersion as error:
        messages.error(request, str(error))
        return retry
    messages.success(request, removed)
    return back_to_plan(plan, "actions")


def _reload(record, *, version_field: str = "version"):
    """For _form_page: refresh `record` and return it with its version."""

    def reload():
        record.refresh_from_db()
        return record, getattr(record, version_field)

    return reload


# Starting ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request, employee_pk: int):
    """A manager in the line starts a blank plan (closing the current one, which is kept)."""
    person = get_employee_for_user(request, employee_pk)
    if not access.may_write_plan_for(request.user, person):
        raise Http404("No such page.")
    current = Plan.objects.filter(employee=person, is_current=True).first()
    if request.method == "POST":
        try:
            plan = services.plan_start(employee=person, by=_me(request))
        except Refused as error:
            messages.error(request, error.message)
            return redirect("pdp:person", pk=person.pk)
        messages.success(request, "Plan started. Add objectives and actions, then both of you sign it off.")
        return redirect("pdp:detail", pk=plan.pk)
    return render(request, "pdp/start.html", {"person": person, "current": current, "conversation": None})


@require_http_methods(["GET", "POST"])
def start_from_conversation(request, conversation_pk: int):
    """Start the employee's plan from a signed-off talent conversation's way forward."""
    conversation = get_conversation_for_user(request, conversation_pk)
    if not access.may_write_plan_for(request.user, conversation.employee):
        raise Http404("No such page.")
    existing = Plan.objects.filter(source_conversation=conversation, is_current=True).first()
    if existing is not None:
        messages.info(request, "A plan has already been started from this conversation; here it is.")
        return redirect("pdp:detail", pk=existing.pk)
    if not plan_may_start_from(conversation):
        messages.error(request, "A plan starts from a talent conversation once both of you have signed off its record.")
        return redirect("conversations:detail", pk=conversation.pk)
    current = Plan.objects.filter(employee=conversation.employee, is_current=True).first()
    if request.method == "POST":
        try:
            plan = services.plan_start_from_conversation(conversation=conversation, by=_me(request))
        except Refused as error:
            messages.error(request, error.message)
            return redirect("conversations:detail", pk=conversation.pk)
        messages.success(request, "Plan started from the conversation's way forward. Add objectives and actions.")
        return redirect("pdp:detail", pk=plan.pk)
    return render(
        request,
        "pdp/start.html",
        {
            "person": conversation.employee,
            "current": current,
            "conversation": conversation,
            "way_forward": services.way_forward_from(conversation),
        },
    )


# The plan ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def way_forward(request, pk: int):
    plan, me = plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    form = WayForwardForm(request.POST or None, initial={"way_forward": plan.way_forward, "version": plan.version})
    return _form_page(
        request,
        plan,
        form,
        save=lambda data: services.plan_way_forward_save(
            plan=plan, by=me, way_forward=data["way_forward"], version=data["version"]
        ),
        reload=_reload(plan),
        template="pdp/form_way_forward.html",
        context={},
        saved="Way forward saved.",
        anchor="way-forward",
    )


@require_http_methods(["GET", "POST"])
def comments(request, pk: int):
    plan, me = plan_for(request, pk, "employee")
    if not plan.is_open:
        return _closed(request, plan)
    form = CommentsForm(
        request.POST or None, initial={"employee_comments": plan.employee_comments, "version": plan.comments_version}
    )

    return _form_page(
        request,
        plan,
        form,
        save=lambda data: services.plan_comments_save(
            plan=plan, by=me, text=data["employee_comments"], version=data["version"]
        ),
        reload=_reload(plan, version_field="comments_version"),
        template="pdp/form_comments.html",
        context={},
        saved="Your comments are saved.",
        anchor="comments",
    )


# Objectives ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def objective_add(request, pk: int):
    plan, me = plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    return _form_page(
        request,
        plan,
        ObjectiveForm(request.POST or None, initial={"version": plan.version}),
        save=lambda data: services.objective_add(plan=plan, by=me, title=data["title"], version=data["version"]),
        reload=_reload(plan),
        template="pdp/form_objective.html",
        context={"objective": None},
        saved="Objective added.",
        anchor="actions",
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request, pk: int, objective_pk: int):
    """Change an objective's wording, or remove it (its actions stay in the plan)."""
    plan, me = plan_for(request, pk, "manager")
    objective = get_object_or_404(Objective, pk=objective_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    if request.method == "POST" and "delete" in request.POST:
        return _delete(
            request,
            plan,
            remove=lambda version: services.objective_delete(objective=objective, by=me, version=version),
            retry=redirect("pdp:objective_edit", pk=plan.pk, objective_pk=objective.pk),
            removed="Objective removed. Its actions are still in the plan, under no objective.",
        )
    return _form_page(
        request,
        plan,
        ObjectiveForm(request.POST or None, initial={"title": objective.title, "version": objective.version}),
        save=lambda data: services.objective_update(
            objective=objective, by=me, title=data["title"], version=data["version"]
        ),
        reload=_reload(objective),
        template="pdp/form_objective.html",
        context={"objective": objective},
        saved="Objective saved.",
        anchor="actions",
    )


# Actions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_add(request, pk: int):
    plan, me = plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    initial = {"version": plan.version, "owner": Action.Owner.EMPLOYEE, "status": Action.Status.NOT_STARTED}
    objective = id_from_query(request.GET.get("objective"))
    if objective is not None:
        initial["objective"] = objective
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    return _form_page(
        request,
        plan,
        form,
        save=lambda data: services.action_add(plan=plan, by=me, data=form.data_for_service(), version=data["version"]),
        reload=_reload(plan),
        template="pdp/form_action.html",
        context={"action": None},
        saved="Action added.",
        anchor="actions",
    )


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, action_pk: int):
    """A manager changes an action or removes it."""
    plan, me = plan_for(request, pk, "manager")
    action = get_object_or_404(Action.objects.select_related("plan"), pk=action_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    if request.method == "POST" and "delete" in request.POST:
        return _delete(
            request,
            plan,
            remove=lambda version: services.action_delete(action=action, by=me, version=version),
            retry=redirect("pdp:action_edit", pk=plan.pk, action_pk=action.pk),
            removed="Action removed.",
        )
    form = ActionForm(request.POST or None, plan=plan, initial=ActionForm.initial_for(action))
    return _form_page(
        request,
        plan,
        form,
        save=lambda data: services.action_update(
            action=action, by=me, data=form.data_for_service(), version=data["version"]
        ),
        reload=_reload(action),
        template="pdp/form_action.html",
        context={"action": action},
        saved="Action saved.",
        anchor=f"action-{action.pk}",
    )


@require_http_methods(["GET", "POST"])
def action_progress(request, pk: int, action_pk: int):
    """The employee (or a manager) records how an action is going."""
    plan, me = plan_for(request, pk, "employee", "manager")
    action = get_object_or_404(Action.objects.select_related("plan"), pk=action_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    initial = {"status": action.status, "progress_notes": action.progress_notes, "version": action.version}
    return _form_page(
        request,
        plan,
        ProgressForm(request.POST or None, initial=initial),
        save=lambda data: services.action_progress_save(
            action=action,
            by=me,
            status=data["status"],
            progress_notes=data["progress_notes"].strip(),
            version=data["version"],
        ),
        reload=_reload(action),
        template="pdp/form_progress.html",
        context={"action": action},
        saved="Progress saved.",
        anchor=f"action-{action.pk}",
    )
