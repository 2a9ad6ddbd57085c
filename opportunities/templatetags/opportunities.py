"""Opportunities on the conversation pages, without the conversation views knowing about them:

- `{% opportunities_for_person employee %}`: the opportunities open to the person, the ones they
  registered interest in (only for someone who may view the person), and, for a manager in their
  line, a link to make a plan action from each (someone else's interests shown are logged);
- `{% framework_datalist %}`: the organisation's competency frameworks, as the choices of the
  record's "Which competency framework?" box (free text still allowed)."""

from django import template

from pdp.access import may_write_plan_for
from people.access import roles_for

from .. import access, selectors
from ..models import Framework

register = template.Library()

FRAMEWORK_LIST_ID = "competency-frameworks"


@register.inclusion_tag("opportunities/_open_to_person.html", takes_context=True)
def opportunities_for_person(context, employee):
    user = context["request"].user
    may_read_interests = access.may_read_interests_of(user, employee)
    shown, total = selectors.open_to_person(employee, with_interest=may_read_interests)
    interests = selectors.interests_of(employee) if may_read_interests else None
    if interests:
        access.log_interests(context["request"], interests)
    return {
        "person": employee,
        "opportunities": shown,
        "total": total,
        "is_self": getattr(roles_for(user).employee, "pk", None) == employee.pk,
        "interests": interests,
        "may_make_actions": may_write_plan_for(user, employee),
    }


@register.inclusion_tag("opportunities/_framework_datalist.html")
def framework_datalist():
    return {"frameworks": list(Framework.objects.values_list("name", flat=True)), "list_id": FRAMEWORK_LIST_ID}
