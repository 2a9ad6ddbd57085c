"""Changing plans: starting one, the way forward, objectives, actions, progress, comments and
sign-off. Services decide and record; these pages show forms and what went wrong.

A page someone may not use answers 404, like anything they may not see. A save refused
because someone else saved first (StaleVersion) shows the form again with the person's
text kept, what is saved now beside it, and the current version in the form, so that a
second Save replaces knowingly.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from people import access

from .. import services
from ..forms import ActionForm, CommentsForm, DeleteForm, ObjectiveForm, ProgressForm, SignOffForm, WayForwardForm
from ..models import Action, Objective, Plan

CONFLICT = 409


def _me(request):
    return access.roles_for(request.user).employee


def _plan_for(request, pk: int, *roles: str) -> tuple[Plan, object]:
    """The plan, if the user may read it and has one of `roles` in it; else 404."""
    plan = access.get_plan_for_user(request, pk)
    me = _me(request)
    if services.role_in(plan, me) not in roles:
        raise Http404("No such page.")
    return plan, me


def _closed(request, plan: Plan):
    messages.error(request, "This plan is closed: it is kept as a record and cannot be changed.")
    return redirect("pdp:detail", pk=plan.pk)


def _back(plan: Plan, anchor: str = ""):
    response = redirect("pdp:detail", pk=plan.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _with_version(form, version: int):
    """The posted form again, its text kept, carrying the version saved now."""
    data = form.data.copy()
    data["version"] = str(version)
    form.data = data
    return form


# Starting ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request, employee_pk: int):
    """A manager in the line starts a blank plan (closing the current one, which is kept)."""
    person = access.get_employee_for_user(request, employee_pk)
    if not access.may_write_plan_for(request.user, person):
        raise Http404("No such page.")
    current = Plan.objects.filter(employee=person, is_current=True).first()
    if request.method == "POST":
        try:
            plan = services.plan_start(employee=person, by=_me(request))
        except services.NotAllowed as error:
            messages.error(request, str(error))
            return redirect("pdp:person", pk=person.pk)
        messages.success(request, "Plan started. Add objectives and actions, then both of you sign it off.")
        return redirect("pdp:detail", pk=plan.pk)
    return render(request, "pdp/start.html", {"person": person, "current": current, "conversation": None})


@require_http_methods(["GET", "POST"])
def start_from_conversation(request, conversation_pk: int):
    """Start the employee's plan from a signed-off talent conversation's way forward."""
    conversation = access.get_conversation_for_user(request, conversation_pk)
    if not access.may_write_plan_for(request.user, conversation.employee):
        raise Http404("No such page.")
    existing = Plan.objects.filter(source_conversation=conversation, is_current=True).first()
    if existing is not None:
        messages.info(request, "A plan has already been started from this conversation; here it is.")
        return redirect("pdp:detail", pk=existing.pk)
    if conversation.status != conversation.Status.SIGNED_OFF or conversation.kind == conversation.Kind.CAREER:
        messages.error(request, "A plan starts from a talent conversation once both of you have signed off its record.")
        return redirect("conversations:detail", pk=conversation.pk)
    current = Plan.objects.filter(employee=conversation.employee, is_current=True).first()
    if request.method == "POST":
        try:
            plan = services.plan_start_from_conversation(conversation=conversation, by=_me(request))
        except services.PlanAlreadyStarted as already:
            return redirect("pdp:detail", pk=already.plan.pk)
        except services.NotAllowed as error:
            messages.error(request, str(error))
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
    plan, me = _plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    form = WayForwardForm(request.POST or None, initial={"way_forward": plan.way_forward, "version": plan.version})
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_way_forward_save(
                plan=plan, by=me, way_forward=form.cleaned_data["way_forward"], version=form.cleaned_data["version"]
            )
        except services.StaleVersion as error:
            plan.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error), "saved": plan.way_forward}
            form = _with_version(form, plan.version)
        except services.NotAllowed as error:
            messages.error(request, str(error))
            return _back(plan)
        else:
            messages.success(request, "Way forward saved.")
            return _back(plan, "way-forward")
    return render(
        request, "pdp/form_way_forward.html", {"plan": plan, "form": form, "conflict": conflict}, status=status
    )


@require_http_methods(["GET", "POST"])
def comments(request, pk: int):
    plan, me = _plan_for(request, pk, "employee")
    if not plan.is_open:
        return _closed(request, plan)
    form = CommentsForm(
        request.POST or None, initial={"employee_comments": plan.employee_comments, "version": plan.comments_version}
    )
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_comments_save(
                plan=plan, by=me, text=form.cleaned_data["employee_comments"], version=form.cleaned_data["version"]
            )
        except services.StaleVersion as error:
            plan.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error), "saved": plan.employee_comments}
            form = _with_version(form, plan.comments_version)
        else:
            messages.success(request, "Your comments are saved.")
            return _back(plan, "comments")
    return render(request, "pdp/form_comments.html", {"plan": plan, "form": form, "conflict": conflict}, status=status)


@require_POST
def sign_off(request, pk: int):
    plan, me = _plan_for(request, pk, "employee", "manager")
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the plan and sign off again.")
        return _back(plan)
    try:
        plan = services.plan_sign_off(plan=plan, by=me, version=form.cleaned_data["version"])
    except (services.NotAllowed, services.StaleVersion) as error:
        messages.error(request, str(error))
    else:
        if plan.status == Plan.Status.AGREED:
            messages.success(request, "Signed off. You have both signed: the plan is agreed.")
        else:
            other = plan.manager.full_name if services.role_in(plan, me) == "employee" and plan.manager else None
            messages.success(request, f"Signed off. It is agreed once {other or 'the other person'} signs too.")
    return _back(plan, "sign-off")


# Objectives ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def objective_add(request, pk: int):
    plan, me = _plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    form = ObjectiveForm(request.POST or None, initial={"version": plan.version})
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_add(
                plan=plan, by=me, title=form.cleaned_data["title"], version=form.cleaned_data["version"]
            )
        except services.StaleVersion as error:
            plan.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error)}
            form = _with_version(form, plan.version)
        else:
            messages.success(request, "Objective added.")
            return _back(plan, "actions")
    context = {"plan": plan, "form": form, "conflict": conflict, "objective": None}
    return render(request, "pdp/form_objective.html", context, status=status)


@require_http_methods(["GET", "POST"])
def objective_edit(request, pk: int, objective_pk: int):
    """Change an objective's wording, or remove it (its actions stay in the plan)."""
    plan, me = _plan_for(request, pk, "manager")
    objective = get_object_or_404(Objective, pk=objective_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    form = ObjectiveForm(request.POST or None, initial={"title": objective.title, "version": objective.version})
    status, conflict = 200, None
    if request.method == "POST" and "delete" in request.POST:
        delete = DeleteForm(request.POST)
        try:
            if not delete.is_valid():
                raise services.StaleVersion()
            services.objective_delete(objective=objective, by=me, version=delete.cleaned_data["version"])
        except services.StaleVersion as error:
            messages.error(request, str(error))
            return redirect("pdp:objective_edit", pk=plan.pk, objective_pk=objective.pk)
        messages.success(request, "Objective removed. Its actions are still in the plan, under no objective.")
        return _back(plan, "actions")
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_update(
                objective=objective, by=me, title=form.cleaned_data["title"], version=form.cleaned_data["version"]
            )
        except services.StaleVersion as error:
            objective.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error), "saved": objective.title}
            form = _with_version(form, objective.version)
        else:
            messages.success(request, "Objective saved.")
            return _back(plan, "actions")
    context = {"plan": plan, "form": form, "conflict": conflict, "objective": objective}
    return render(request, "pdp/form_objective.html", context, status=status)


# Actions ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_add(request, pk: int):
    plan, me = _plan_for(request, pk, "manager")
    if not plan.is_open:
        return _closed(request, plan)
    initial = {"version": plan.version, "owner": Action.Owner.EMPLOYEE, "status": Action.Status.NOT_STARTED}
    if request.GET.get("objective", "").isdigit():
        initial["objective"] = int(request.GET["objective"])
    form = ActionForm(request.POST or None, plan=plan, initial=initial)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(plan=plan, by=me, data=form.data_for_service(), version=form.cleaned_data["version"])
        except services.StaleVersion as error:
            plan.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error)}
            form = _with_version(form, plan.version)
        else:
            messages.success(request, "Action added.")
            return _back(plan, "actions")
    context = {"plan": plan, "form": form, "conflict": conflict, "action": None}
    return render(request, "pdp/form_action.html", context, status=status)


@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int, action_pk: int):
    """A manager changes an action or removes it."""
    plan, me = _plan_for(request, pk, "manager")
    action = get_object_or_404(Action.objects.select_related("plan"), pk=action_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    form = ActionForm(request.POST or None, plan=plan, initial=ActionForm.initial_for(action))
    status, conflict = 200, None
    if request.method == "POST" and "delete" in request.POST:
        delete = DeleteForm(request.POST)
        try:
            if not delete.is_valid():
                raise services.StaleVersion()
            services.action_delete(action=action, by=me, version=delete.cleaned_data["version"])
        except services.StaleVersion as error:
            messages.error(request, str(error))
            return redirect("pdp:action_edit", pk=plan.pk, action_pk=action.pk)
        messages.success(request, "Action removed.")
        return _back(plan, "actions")
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action, by=me, data=form.data_for_service(), version=form.cleaned_data["version"]
            )
        except services.StaleVersion as error:
            action.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error), "action": action}
            form = _with_version(form, action.version)
        except services.NotAllowed as error:
            messages.error(request, str(error))
            return _back(plan)
        else:
            messages.success(request, "Action saved.")
            return _back(plan, f"action-{action.pk}")
    context = {"plan": plan, "form": form, "conflict": conflict, "action": action}
    return render(request, "pdp/form_action.html", context, status=status)


@require_http_methods(["GET", "POST"])
def action_progress(request, pk: int, action_pk: int):
    """The employee (or a manager) records how an action is going."""
    plan, me = _plan_for(request, pk, "employee", "manager")
    action = get_object_or_404(Action.objects.select_related("plan"), pk=action_pk, plan=plan)
    if not plan.is_open:
        return _closed(request, plan)
    initial = {"status": action.status, "progress_notes": action.progress_notes, "version": action.version}
    form = ProgressForm(request.POST or None, initial=initial)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            services.action_progress_save(
                action=action,
                by=me,
                status=form.cleaned_data["status"],
                progress_notes=form.cleaned_data["progress_notes"].strip(),
                version=form.cleaned_data["version"],
            )
        except services.StaleVersion as error:
            action.refresh_from_db()
            status, conflict = CONFLICT, {"message": str(error), "action": action}
            form = _with_version(form, action.version)
        else:
            messages.success(request, "Progress saved.")
            return _back(plan, f"action-{action.pk}")
    context = {"plan": plan, "form": form, "conflict": conflict, "action": action}
    return render(request, "pdp/form_progress.html", context, status=status)
