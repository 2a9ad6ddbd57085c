from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.pagination import CountedPaginator
from people.access import roles_for

from ..forms import ConversationFilterForm
from ..selectors import conversations_listed, conversations_listed_count
from ..states import next_step

PER_PAGE = 25


@require_GET
def conversation_list(request):
    """The conversations the user may see: their own, those they host, their line's, or all for HR."""
    form = ConversationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {"show": filters.get("show", ""), "status": filters.get("status", "")}
    page = CountedPaginator(
        conversations_listed(request.user, **chosen),
        PER_PAGE,
        count=lambda: conversations_listed_count(request.user, **chosen),
    ).get_page(request.GET.get("page"))
    me = roles_for(request.user).employee
    rows = [(conversation, next_step(conversation, me)) for conversation in page.object_list]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "conversations/list.html",
        {"form": form, "page": page, "rows": rows, "querystring": querystring.urlencode(), "filtered": bool(filters)},
    )
