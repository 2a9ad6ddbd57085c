from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.ids import id_from_query
from core.refusal import Refused
from people.access import SUPPORTER_GROUP, line_of, roles_for
from people.models import Employee

from .. import services
from ..forms import NominationForm, StartForm


@require_http_methods(["GET", "POST"])
def conversation_start(request):
    """A manager starts a talent conversation with someone in their line."""
    roles = roles_for(request.user)
    if not roles.is_manager:
        raise Http404("No such page.")
    line = line_of(roles.employee)
    initial = {}
    wanted = id_from_query(request.GET.get("employee"))
    if wanted is not None:
        initial["employee"] = line.filter(pk=wanted).first()
    form = StartForm(request.POST or None, line=line, initial=initial)
    open_conversation = None
    if request.method == "POST" and form.is_valid():
        employee = form.cleaned_data["employee"]
        try:
            conversation = services.conversation_start(manager=roles.employee, employee=employee)
        except Refused as error:
            form.add_error("employee", error.message)
            open_conversation = services.open_talent_conversation(employee)
        else:
            messages.success(
                request,
                f"Talent conversation with {conversation.employee.full_name} started. Now book a time: "
                "they will get an email with a calendar invite.",
            )
            return redirect("conversations:book", pk=conversation.pk)
    return render(request, "conversations/start.html", {"form": form, "open_conversation": open_conversation})


def _hosts_for(employee: Employee):
    """Whom an employee may ask: their line manager, or a career supporter with capacity."""
    supporters = Q(user__groups__name=SUPPORTER_GROUP, supporter_profile__has_capacity=True)
    hosts = Employee.objects.filter(supporters | Q(pk=employee.line_manager_id), user__is_active=True).exclude(
        pk=employee.pk
    )  # nobody who has left
    return hosts.select_related("user").distinct().order_by("user__last_name", "user__first_name")


@require_http_methods(["GET", "POST"])
def nominate(request):
    """An employee nominates themselves to their line manager, or asks a career supporter."""
    me = roles_for(request.user).employee
    if me is None:
        raise Http404("No such page.")
    hosts = _hosts_for(me)
    wanted = id_from_query(request.GET.get("supporter"))
    initial = {"host": me.line_manager_id}
    if wanted is not None and hosts.filter(pk=wanted).exists():
        initial["host"] = wanted
    form = NominationForm(request.POST or None, hosts=hosts, initial=initial, line_manager_id=me.line_manager_id)
    open_conversation = services.open_talent_conversation(me)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.nomination_create(
                employee=me,
                host=data["host"],
                reason=data["reason"],
                statement=data["statement"],
                growth_direction=data["growth_direction"],
            )
        except Refused as error:
            form.add_error("host", error.message)
            return render(request, "conversations/nominate.html", _nominate_context(me, form, open_conversation))
        messages.success(
            request,
            f"Sent to {conversation.host.full_name}. You will get an email when they reply; "
            "meanwhile you can start preparing.",
        )
        return redirect("conversations:detail", pk=conversation.pk)
    return render(request, "conversations/nominate.html", _nominate_context(me, form, open_conversation))


def _nominate_context(me: Employee, form: NominationForm, open_conversation) -> dict:
    return {"form": form, "line_manager_id": me.line_manager_id, "open_conversation": open_conversation}
