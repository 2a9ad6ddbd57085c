"""Who sees and changes opportunities, on the shared core (people.access).

- Every member of staff sees current opportunities (the catalogue is open to all staff), and
  any they registered interest in, closed or not.
- HR sees all, and publishes and changes any; a career supporter publishes their own offers.
  Whoever published an offer or is its contact sees it always, with who is interested.
- HR records who took a place.
- A person's interests are read by those who may view the person (themself, HR, managers up
  their line). Every page that shows someone else's interest logs it (`log_interests`).
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from people.access import User, get_or_404, log_reads, may_view_employee, roles_for
from people.models import Employee

from .models import Interest, Opportunity


def is_staff_member(user: User) -> bool:
    roles = roles_for(user)
    return roles.employee is not None or roles.is_hr


def may_publish(user: User) -> bool:
    roles = roles_for(user)
    return roles.employee is not None and (roles.is_hr or roles.is_supporter)


def may_mark_places(user: User) -> bool:
    return roles_for(user).is_hr


def opportunities_visible(user: User) -> QuerySet[Opportunity]:
    roles = roles_for(user)
    if roles.is_hr:
        return Opportunity.objects.all()
    me = roles.employee
    if me is None:
        return Opportunity.objects.none()
    current = Opportunity.objects.current().values("pk")
    mine = Q(published_by=me) | Q(contact=me) | Q(pk__in=Interest.objects.filter(employee=me).values("opportunity"))
    return Opportunity.objects.filter(Q(pk__in=current) | mine)


def opportunities_managed(user: User) -> QuerySet[Opportunity]:
    """The offers whose interest the user sees: all for HR; else those they published or are the contact for."""
    roles = roles_for(user)
    if roles.is_hr:
        return Opportunity.objects.all()
    if roles.employee is None:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(Q(published_by=roles.employee) | Q(contact=roles.employee))


def may_manage(user: User, opportunity: Opportunity) -> bool:
    roles = roles_for(user)
    me = roles.employee
    return roles.is_hr or (me is not None and me.pk in (opportunity.published_by_id, opportunity.contact_id))


def may_edit(user: User, opportunity: Opportunity) -> bool:
    """HR changes any offer; a career supporter the ones they published."""
    roles = roles_for(user)
    return roles.is_hr or (
        roles.is_supporter and roles.employee is not None and opportunity.published_by_id == roles.employee.pk
    )


def get_opportunity_for_user(request: HttpRequest, pk: int) -> Opportunity:
    return get_or_404(
        request,
        opportunities_visible(request.user).select_related("contact__user", "published_by__user"),
        pk,
        not_found="No such opportunity.",
    )


def may_read_interests_of(user: User, employee: Employee) -> bool:
    return may_view_employee(user, employee)


def log_interests(request: HttpRequest, interests) -> None:
    """Record that the signed-in user was shown these people's interests (their own are not logged)."""
    log_reads(request, (("opportunities.interest", interest.pk, interest.employee_id) for interest in interests))
