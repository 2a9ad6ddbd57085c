"""The person as a hub: one page per member of staff with their conversations, plan, placement
and reviews, and what the viewer may do there. It gathers from every app, so it lives here;
each part is read through that app's access rules, and a part the viewer may not see is
left out (career conversations for the line, placements for the person themselves unless HR
shows them, private notes and preparation always)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from conversations.access import conversations_visible
from conversations.models import Conversation
from conversations.selectors import in_urgency_order, urgency_of
from conversations.states import OPEN, next_step
from grid import access as grid_access
from grid.models import Placement
from grid.selectors import grid_in_use
from pdp import access as pdp_access
from pdp.selectors import current_plans_for
from people.access import get_employee_for_user, log_read, manages, roles_for

CONVERSATIONS_SHOWN = 10


@require_GET
def person_detail(request, pk: int):
    person = get_employee_for_user(request, pk)
    roles = roles_for(request.user)
    me = roles.employee
    is_self = me is not None and me.pk == person.pk
    today = timezone.localdate()

    conversations = in_urgency_order(
        conversations_visible(request.user).filter(employee=person).select_related("employee__user", "host__user")
    )
    total = conversations.count()
    rows = [
        (conversation, next_step(conversation, me), urgency_of(conversation.due_day, today))
        for conversation in conversations[:CONVERSATIONS_SHOWN]
    ]
    reviews = list(
        conversations_visible(request.user)
        .filter(employee=person, follows__isnull=False, status__in=OPEN)
        .select_related("host__user")
        .order_by("due_on", "pk")
    )

    # Whoever may see the person may read their plans: themselves, the managers up their line, HR.
    plan = current_plans_for([person]).get(person.pk)
    if plan is not None:
        log_read(request, plan, subject=person)

    grid = grid_in_use()
    placement = None
    may_see_placement = grid_access.may_read_placements_of(request.user, person) or (
        is_self
        and grid_access.may_read_own_placement(request.user, shown_to_staff=grid.settings.employees_see_placement)
    )
    if may_see_placement:
        placement = Placement.objects.filter(employee=person, is_current=True).first()
        if placement is not None:
            placement.grid_box = grid.box(placement.performance, placement.potential)
            grid_access.log_placement_reads(request, [(placement.pk, person.pk)])

    in_line = not is_self and manages(request.user, person)
    reports = person.direct_reports.select_related("user").order_by("user__last_name", "user__first_name")
    return render(
        request,
        "person_hub.html",
        {
            "person": person,
            "is_self": is_self,
            "reports": reports,
            "rows": rows,
            "total": total,
            "more": total - len(rows),
            "reviews": reviews,
            "today": today,
            "plan": plan,
            "placement": placement,
            "may_see_placement": may_see_placement,
            "may_start": in_line and person.user.is_active,
            "may_place": grid_access.may_place(request.user, person),
            "may_start_plan": pdp_access.may_write_plan_for(request.user, person) if plan is None else False,
            "Kind": Conversation.Kind,
        },
    )
