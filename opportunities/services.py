"""Writes that span models: publishing an opportunity with who it is for, registering and
withdrawing interest, recording who took a place, and the default framework."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conversations.notifications import opportunity_interest_notify
from core.refusal import Refused
from people.access import HR_GROUP
from people.models import Department, Employee

from .models import Framework, Interest, Opportunity, OpportunityBand

# HR keeps the list of competency frameworks in administration.
HR_OPPORTUNITY_PERMISSIONS = ["add_framework", "change_framework", "delete_framework", "view_framework"]

HEALTHCARE_LEADERSHIP_MODEL = {
    "name": "NHS Healthcare Leadership Model",
    "owner": "NHS Leadership Academy",
    "link": "https://www.leadershipacademy.nhs.uk/resources/healthcare-leadership-model/",
    "dimensions": "\n".join(
        [
            "Inspiring shared purpose",
            "Leading with care",
            "Evaluating information",
            "Connecting our service",
            "Sharing the vision",
            "Engaging the team",
            "Holding to account",
            "Developing capability",
            "Influencing for results",
        ]
    ),
}


def opportunity_permissions_grant() -> None:
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(
        *Permission.objects.filter(content_type__app_label="opportunities", codename__in=HR_OPPORTUNITY_PERMISSIONS)
    )


def framework_defaults_create(model: type[Framework] = Framework) -> None:
    """The default framework, unless HR already has frameworks (a removed default stays removed
    while another framework is kept). `model`: the Framework of the migration state, after migrate."""
    if not model.objects.exists():
        model.objects.create(**HEALTHCARE_LEADERSHIP_MODEL)


@dataclass
class OpportunityData:
    title: str
    kind: str
    type: str
    description: str
    provider: str
    provider_name: str
    contact: Employee
    starts_on: date | None = None
    ends_on: date | None = None
    closes_on: date | None = None
    places: int | None = None
    link: str = ""
    bands: list[str] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)


def opportunity_save(*, data: OpportunityData, by: Employee, opportunity: Opportunity | None = None) -> Opportunity:
    """Publish a new opportunity (`opportunity` None) or change one, with who it is for."""
    values = {name: value for name, value in data.__dict__.items() if name not in ("bands", "departments")}
    with transaction.atomic():
        if opportunity is None:
            opportunity = Opportunity.objects.create(published_by=by, **values)
        else:
            for name, value in values.items():
                setattr(opportunity, name, value)
            opportunity.save()
            opportunity.bands.all().delete()
        OpportunityBand.objects.bulk_create(OpportunityBand(opportunity=opportunity, band=band) for band in data.bands)
        opportunity.departments.set(data.departments)
    return opportunity


def interest_register(*, opportunity: Opportunity, by: Employee, note: str = "") -> Interest:
    """Register `by`'s interest (once) and tell the contact by email, through the outbox."""
    if not opportunity.is_current():
        raise Refused("This opportunity has closed: interest can no longer be registered.")
    try:
        with transaction.atomic():
            interest = Interest.objects.create(opportunity=opportunity, employee=by, note=note.strip())
            if opportunity.contact_id not in (None, by.pk):
                opportunity_interest_notify(
                    contact=opportunity.contact,
                    interest_id=interest.pk,
                    extra={
                        "opportunity": opportunity.title,
                        "path": reverse("opportunities:detail", args=[opportunity.pk]),
                        "person": by.full_name,
                        "job_title": by.job_title,
                        "email": by.user.email,
                        "note": interest.note,
                    },
                )
            return interest
    except IntegrityError:
        return Interest.objects.get(opportunity=opportunity, employee=by)


def interest_withdraw(*, opportunity: Opportunity, by: Employee) -> None:
    interest = Interest.objects.filter(opportunity=opportunity, employee=by).first()
    if interest is None:
        return
    if interest.took_place_at is not None:
        raise Refused("You have a place on this opportunity: ask the contact if you can no longer take it.")
    interest.delete()


def place_taken_mark(*, interest: Interest, by: AbstractBaseUser, taken: bool) -> Interest:
    """HR records that the person took a place (or, `taken` False, that they did not after all)."""
    if taken and interest.took_place_at is None:
        opportunity = interest.opportunity
        if opportunity.places is not None:
            filled = opportunity.interests.filter(took_place_at__isnull=False).count()
            if filled >= opportunity.places:
                raise Refused(f"All {opportunity.places} places are taken.")
        interest.took_place_at = timezone.now()
        interest.took_place_marked_by = by
    elif not taken:
        interest.took_place_at = None
        interest.took_place_marked_by = by
    interest.save(update_fields=["took_place_at", "took_place_marked_by"])
    return interest
