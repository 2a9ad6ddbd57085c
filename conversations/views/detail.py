from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core.refusal import Refused
from people.access import roles_for

from .. import access, services, states
from ..forms import ChecklistForm
from .common import refused_to_detail


@require_GET
def conversation_detail(request, pk: int):
    conversation = access.get_conversation_for_user(request, pk)
    if not access.may_read_content(request.user, conversation):
        return render(request, "conversations/detail_summary.html", {"conversation": conversation})
    me = roles_for(request.user).employee
    is_host = access.is_host(request.user, conversation)
    # The one-to-one is read once: the access rule below looks at it too.
    preparation = getattr(conversation, "preparation", None)
    show_preparation = preparation is not None and access.may_read_preparation(request.user, conversation)
    if show_preparation and is_host:
        access.log_preparation_read(request, conversation)
    context = {
        "conversation": conversation,
        **states.page_context(conversation, me),
        "today": timezone.localdate(),
        "review_changes": list(conversation.review_changes.all()) if conversation.is_review else [],
        "scheduled_reviews": list(conversation.reviews.order_by("due_on")),
        "next_step": states.next_step(conversation, me),
        "is_host": is_host,
        "is_subject": access.is_subject(request.user, conversation),
        "preparation": preparation,
        "show_preparation": show_preparation,
        "checklist_form": ChecklistForm(instance=conversation) if is_host else None,
        "has_record": any(
            getattr(conversation, field)
            for field in ["topic", "goal", "reality", "options", "way_forward", "shared_notes"]
        ),
    }
    return render(request, "conversations/detail.html", context)


@require_POST
def checklist(request, pk: int):
    """The host ticks off their preparation checklist, while the conversation is open or being recorded."""
    conversation = access.get_conversation_for_user(request, pk)
    if not access.is_host(request.user, conversation):
        raise Http404("No such page.")
    form = ChecklistForm(request.POST, instance=conversation)
    if form.is_valid():
        try:
            services.checklist_save(
                conversation=conversation, by=roles_for(request.user).employee, ticks=form.cleaned_data
            )
        except Refused as error:
            return refused_to_detail(request, conversation, error)
        messages.success(request, "Preparation checklist saved.")
    return redirect("conversations:detail", pk=pk)
