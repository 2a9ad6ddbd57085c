"""The demo's opportunities (a step of people.demo.SEED_STEPS): internal, regional and national
offers, a second framework beside the default, and some interest registered, the demo employee's
among it. Dates count from today, so a fresh demo always has open opportunities."""

import random
from datetime import timedelta

from django.utils import timezone

from pdp.models import Action
from people.demo import DemoSeed
from people.models import Department

from .models import Framework, Interest, Opportunity, OpportunityBand
from .services import framework_defaults_create

Kind, Provider, Type = Opportunity.Kind, Opportunity.Provider, Action.Type

# (title, kind, type, provider, provider name, bands ("" for any), department name or "", starts
# in days, lasts days, closes in days or None, places, description, link)
OFFERS = [
    (
        "Mary Seacole Programme",
        Kind.PROGRAMME,
        Type.EDUCATION,
        Provider.NATIONAL,
        "NHS Leadership Academy",
        "6 7 8a",
        "",
        60,
        180,
        35,
        4,
        "A six-month national programme for first-time leaders in health and care: online learning, "
        "workshops and a work-based change project. About 8 hours a week; a qualification on completion.",
        "https://www.leadershipacademy.nhs.uk/programmes/mary-seacole-programme/",
    ),
    (
        "Rising Stars network",
        Kind.NETWORK,
        Type.EXPOSURE,
        Provider.REGION,
        "Regional talent team",
        "4 5 6",
        "",
        14,
        330,
        21,
        None,
        "A regional network for staff early in their careers: bi-monthly events, peer support and "
        "talks from senior leaders across the integrated care system.",
        "",
    ),
    (
        "Shadow the nurse in charge on the Acute Medical Unit",
        Kind.SHADOWING,
        Type.EXPOSURE,
        Provider.ORGANISATION,
        "",
        "5 6",
        "",
        10,
        60,
        9,
        6,
        "Two shifts shadowing the nurse in charge: handover, patient flow, staffing and escalation. "
        "Arranged around your rota.",
        "",
    ),
    (
        "Secondment: Patient Safety Specialist (12 months)",
        Kind.SECONDMENT,
        Type.EXPERIENCE,
        Provider.ORGANISATION,
        "",
        "6 7",
        "",
        45,
        365,
        28,
        1,
        "A 12-month secondment into the patient safety team at band 7, leading incident reviews under "
        "the Patient Safety Incident Response Framework. With your manager's agreement.",
        "",
    ),
    (
        "Stretch project: reduce discharge delays",
        Kind.STRETCH,
        Type.EXPERIENCE,
        Provider.ORGANISATION,
        "",
        "",
        "Emergency Department",
        20,
        90,
        12,
        3,
        "Lead a small improvement project with the flow team: map the discharge pathway, test one "
        "change and present the results to the directorate.",
        "",
    ),
    (
        "Reciprocal mentoring for inclusion",
        Kind.MENTORING,
        Type.EXPOSURE,
        Provider.ORGANISATION,
        "",
        "",
        "",
        30,
        240,
        40,
        12,
        "Pairs a member of staff from an under-represented group with a senior leader; each mentors "
        "the other over six meetings.",
        "",
    ),
    (
        "Edward Jenner Programme",
        Kind.COURSE,
        Type.EDUCATION,
        Provider.NATIONAL,
        "NHS Leadership Academy",
        "",
        "",
        0,
        365,
        None,
        None,
        "Free online foundation course in leadership for anyone in health and care, at your own pace.",
        "https://www.leadershipacademy.nhs.uk/programmes/the-edward-jenner-programme/",
    ),
    (
        "Acting up: Deputy Ward Manager cover",
        Kind.SECONDMENT,
        Type.EXPERIENCE,
        Provider.ORGANISATION,
        "",
        "6",
        "",
        21,
        120,
        14,
        1,
        "Four months' acting-up cover for a deputy ward manager on maternity leave.",
        "",
    ),
    (
        "Coaching skills for managers",
        Kind.COURSE,
        Type.EDUCATION,
        Provider.REGION,
        "Regional leadership collaborative",
        "7 8a 8b",
        "",
        -200,
        30,
        -150,
        20,
        "A two-day course, now over: kept to show that past opportunities leave the lists.",
        "",
    ),
]
TECHNICAL_FRAMEWORK = {
    "name": "RCN Professional Framework for Nursing",
    "owner": "Royal College of Nursing",
    "link": "https://www.rcn.org.uk/Professional-Development",
    "dimensions": "Clinical practice\nLeadership\nEducation and learning\nResearch and evidence",
}
INTERESTED_PER_OFFER = 6
WARD_KINDS = (Kind.SHADOWING, Kind.STRETCH)  # the demo manager is the contact for these


def opportunities_create(seed: DemoSeed, rng: random.Random) -> None:
    framework_defaults_create()
    Framework.objects.get_or_create(name=TECHNICAL_FRAMEWORK["name"], defaults=TECHNICAL_FRAMEWORK)
    hr, employee, manager = seed.demo["hr"], seed.demo["employee"], seed.demo["manager"]
    supporter = seed.demo["supporter"]  # a career supporter publishes their own offer: the mentoring
    today = timezone.localdate()
    made = []
    for title, kind, type_, provider, provider_name, bands, unit, starts, lasts, closes, places, text, link in OFFERS:
        starts_on = today + timedelta(days=starts)
        opportunity = Opportunity.objects.create(
            title=title,
            kind=kind,
            type=type_,
            description=text,
            provider=provider,
            provider_name=provider_name,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=lasts),
            closes_on=today + timedelta(days=closes) if closes is not None else None,
            places=places,
            contact=supporter if kind == Kind.MENTORING else manager if kind in WARD_KINDS else hr,
            link=link,
            published_by=supporter if kind == Kind.MENTORING else hr,
        )
        OpportunityBand.objects.bulk_create(
            OpportunityBand(opportunity=opportunity, band=band) for band in bands.split()
        )
        if unit:
            opportunity.departments.set(Department.objects.filter(name=unit))
        made.append((opportunity, bands.split()))
    interests = []
    for opportunity, bands in made:
        fits = [person for person in seed.staff if not bands or person.band in bands]
        for person in rng.sample(fits, min(INTERESTED_PER_OFFER, len(fits))):
            if person.pk != employee.pk:
                interests.append(Interest(opportunity=opportunity, employee=person))
    rng.shuffle(interests)
    for index, interest in enumerate(interests[:4]):
        interest.took_place_at = timezone.now() - timedelta(days=index)
        interest.took_place_marked_by = hr.user
    # The demo employee (band 5, Emergency Department) is interested in the Rising Stars network.
    interests.append(
        Interest(opportunity=made[1][0], employee=employee, note="I'd like to meet people across the region.")
    )
    Interest.objects.bulk_create(interests)
    seed.counts["opportunities"] = len(made)
    seed.counts["interests in opportunities"] = len(interests)
