"""Demo conversations: every state for the demo accounts, and a spread across the organisation.

A step of people.demo.SEED_STEPS. Times are set relative to the day the demo is seeded
(so that there is always something upcoming, due and late); everything else comes from
the step's seeded random stream.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from people.access import SUPPORTER_GROUP
from people.demo import BATCH_SIZE, DemoSeed

from .models import Conversation, Preparation, SupporterProfile

Status = Conversation.Status
ORGANISATION_SHARE = 0.3  # of staff with a manager, who have a conversation in the demo

HELP_WITH = [
    "Moving into a first leadership role; leading a team through change.",
    "Clinical academic careers: research fellowships, PhDs and getting published.",
    "Returning to practice after a career break, and flexible working that still lets you progress.",
    "Specialist and advanced practice roles, and how to build a portfolio for them.",
    "Quality improvement projects: getting started and making them count for your career.",
    "Moving between clinical and corporate roles; operational management.",
]
STATEMENTS = [
    "I have consistently exceeded my objectives this year and would like to talk about stepping up.",
    "I have been leading our team's improvement project and would like to explore a more senior role.",
    "I would like to broaden my experience across other departments before deciding my next step.",
    "I want to grow as a specialist rather than into management, and would value advice on how.",
]
RECORDS = [
    {
        "topic": "Next steps after two years as a staff nurse.",
        "goal": "Be ready to apply for a band 6 post within 12 months.",
        "reality": "Confident clinically; less experience of leading shifts and handling complaints.",
        "options": "Shadow the charge nurse; lead two shifts a month; join the preceptorship faculty.",
        "way_forward": "Lead two shifts a month from next month, with a debrief each time.",
        "intention_strength": 8,
        "support_needed": "Time rostered for shadowing; a mentor from another ward.",
    },
    {
        "topic": "Developing as a specialist in the current role.",
        "goal": "Take the lead for the department's tissue viability work.",
        "reality": "Strong practice; the link role has no protected time at present.",
        "options": "Link-nurse course; half a day a month with the specialist team; audit project.",
        "way_forward": "Apply for the link-nurse course in the next intake and agree protected time.",
        "intention_strength": 7,
        "support_needed": "Course funding and half a day a month of protected time.",
    },
    {
        "topic": "Moving from clinical work towards education.",
        "goal": "Become a practice educator for the directorate within two years.",
        "reality": "Mentors students well; no teaching qualification yet.",
        "options": "Postgraduate certificate in education; co-teach the induction programme; visit the faculty.",
        "way_forward": "Co-teach two induction days this quarter and apply for the PG Cert in September.",
        "intention_strength": 9,
        "support_needed": "Release for the induction days; a study budget for the PG Cert.",
    },
    {
        "topic": "Ready for a first team leader role.",
        "goal": "Apply for the team leader post when it is advertised in the spring.",
        "reality": "Runs the rota informally; has not managed sickness or appraisals.",
        "options": "Acting up for three months; the trust's new managers course; shadow two appraisals.",
        "way_forward": "Act up as team leader from next month for three months, with a fortnightly check-in.",
        "intention_strength": 8,
        "support_needed": "A backfill for the acting-up period; a place on the new managers course.",
    },
    {
        "topic": "Staying well and progressing while working part time.",
        "goal": "Keep developing without increasing hours for the next year.",
        "reality": "Works three days; worries that part-time staff are passed over.",
        "options": "Job-share a project lead role; a coaching session a month; an online leadership module.",
        "way_forward": "Take the project co-lead role for the discharge pathway work and book monthly coaching.",
        "intention_strength": 6,
        "support_needed": "Project time within the three working days; a coach from the regional pool.",
    },
    {
        "topic": "A move across to another specialty.",
        "goal": "Understand whether critical care suits before applying for a rotation.",
        "reality": "Experienced on a surgical ward; interested in critical care but unsure.",
        "options": "Two shadow shifts in critical care; talk to the rotation lead; a short course.",
        "way_forward": "Shadow two critical care shifts by the end of next month, then decide on the rotation.",
        "intention_strength": 5,
        "support_needed": "Rostered shadow shifts; an introduction to the critical care rotation lead.",
    },
    {
        "topic": "Research alongside clinical practice.",
        "goal": "Submit a clinical academic internship application next year.",
        "reality": "Has led an audit; no protected research time or supervisor yet.",
        "options": "Join the research network; find a supervisor; a research methods module.",
        "way_forward": "Meet the research and innovation team this month and find a supervisor by the summer.",
        "intention_strength": 7,
        "support_needed": "Half a day a month for research; an introduction to a supervisor.",
    },
]
PREPARATION = {
    "responsibilities": "Caring for six to eight patients a shift; mentoring students.",
    "achievements": "Led the falls-reduction work: falls down by a third over six months (ward audit).",
    "enjoyed": "Teaching students and seeing the falls figures improve.",
    "difficulties": "Finding time for the project on busy shifts; covering sickness.",
    "aspirations": "Leading shifts and taking charge of the ward's quality work.",
    "outcomes": "Fewer falls means fewer injuries and shorter stays for our patients.",
    "values_feedback": "A family wrote to thank me for explaining their father's care so clearly.",
    "development": "Leadership course next year; a band 6 role within 12 months.",
}


def _at(days: int, hour: int = 10) -> datetime:
    """A time `days` from the day of seeding (negative: in the past), on the hour, London time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _conversation(rng: random.Random, employee, host, status: str, days: int, **fields) -> Conversation:
    kind = Conversation.Kind.TALENT if host.pk == employee.line_manager_id else Conversation.Kind.CAREER
    values = {
        "employee": employee,
        "host": host,
        "kind": kind,
        "origin": Conversation.Origin.MANAGER,
        "status": status,
        "started_by_id": host.user_id,
        "calendar_uid": uuid.UUID(int=rng.getrandbits(128), version=4),
    }
    if status != Status.REQUESTED and status != Status.DECLINED:
        values |= {
            "starts_at": _at(days, 9 + rng.randrange(8)),
            "duration_minutes": 60,
            "venue": rng.choice(["Ward office", "Quiet room, level 2", "Meeting room 4, education centre"]),
            "venue_is_private": True,
        }
    if status in (Status.HELD, Status.SIGNED_OFF):
        values |= rng.choice(RECORDS) | {"held_at": values["starts_at"] + timedelta(hours=1)}
    if status == Status.SIGNED_OFF:
        values |= {
            "host_signed_off_at": values["starts_at"] + timedelta(days=1),
            "employee_signed_off_at": values["starts_at"] + timedelta(days=3),
            "employee_comments": "Thank you: this is a fair summary and I am keen to get started.",
        }
    return Conversation(**(values | fields))


def _earlier_today() -> datetime:
    """A time earlier today: the start of the hour before now, or midnight in the first hour of the day.

    Always on a whole hour, so that seeding twice a moment apart makes the same conversation.
    """
    hour = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    return hour - timedelta(hours=1) if hour.hour else hour


def _nomination(rng: random.Random, employee, host, status: str, days: int, **fields) -> Conversation:
    """A request from the employee; `days` (zero or negative) is when they made it."""
    origin = (
        Conversation.Origin.NOMINATION if host.pk == employee.line_manager_id else Conversation.Origin.SUPPORTER_REQUEST
    )
    conversation = _conversation(
        rng,
        employee,
        host,
        status,
        days,
        origin=origin,
        started_by_id=employee.user_id,
        nomination_reason=rng.choice(Conversation.NominationReason.values),
        statement=rng.choice(STATEMENTS),
        growth_direction=rng.choice(Conversation.GrowthDirection.values),
        **fields,
    )
    conversation.requested_days_ago = -days
    return conversation


def _demo_accounts(seed: DemoSeed, rng: random.Random) -> list[Conversation]:
    """Something in every state for the demo accounts to open."""
    employee, manager, supporter = (seed.demo[name] for name in ("employee", "manager", "supporter"))
    reports = [person for person in seed.staff if person.line_manager_id == manager.pk and person.pk != employee.pk]
    team = [reports[index % len(reports)] for index in range(6)]  # the smallest demo has only five
    return [
        _conversation(rng, employee, manager, Status.SIGNED_OFF, -330),
        # Held last week; the manager has signed off the record: the employee's turn to sign.
        _conversation(rng, employee, manager, Status.HELD, -6, host_signed_off_at=_at(-5, 15)),
        _nomination(rng, employee, supporter, Status.REQUESTED, -2),
        _nomination(rng, team[0], manager, Status.REQUESTED, -8),
        _conversation(rng, team[1], manager, Status.HELD, -2),
        _conversation(rng, team[2], manager, Status.HELD, -9, host_signed_off_at=_at(-8)),
        _conversation(rng, team[3], manager, Status.SIGNED_OFF, -60),
        # Booked for earlier today: the manager's to record now.
        _conversation(rng, team[3], manager, Status.BOOKED, 0, starts_at=_earlier_today()),
        _nomination(
            rng,
            team[4],
            manager,
            Status.DECLINED,
            0,
            decline_reason="Let's talk once your preceptorship ends in March.",
        ),
        _conversation(rng, team[5], manager, Status.CANCELLED, 5, cancel_reason="Clashes with my annual leave."),
        # Initial conversations whose reviews are due today, late and coming up (see DEMO_REVIEW_DUE).
        _conversation(rng, team[4], manager, Status.SIGNED_OFF, -180),
        _conversation(rng, team[5], manager, Status.SIGNED_OFF, -200),
        _conversation(rng, team[0], manager, Status.SIGNED_OFF, -170),
    ]


# The 6-month reviews of three of the demo accounts' initial conversations (by position in
# _demo_accounts) are due this many days from today: today, late and coming up.
DEMO_REVIEW_DUE = {10: 0, 11: -17, 12: 10}


def conversations_create(seed: DemoSeed, rng: random.Random) -> None:
    """The demo accounts' conversations, then one for about a third of everyone else with a manager."""
    conversations = _demo_accounts(seed, rng)
    taken = {conversation.employee_id for conversation in conversations}
    states = [Status.REQUESTED, Status.BOOKED, Status.HELD, Status.SIGNED_OFF, Status.SIGNED_OFF, Status.DECLINED]
    by_pk = {person.pk: person for person in seed.staff}
    for person in seed.staff:
        if person.pk in taken or person.line_manager_id is None or rng.random() >= ORGANISATION_SHARE:
            continue
        status = rng.choice(states)
        days = {Status.BOOKED: rng.randrange(3, 40), Status.REQUESTED: -rng.randrange(0, 15)}.get(
            status, -rng.randrange(5, 300)
        )
        make = _nomination if status in (Status.REQUESTED, Status.DECLINED) else _conversation
        extra = {"decline_reason": "Not this quarter: let's revisit after the service review."}
        conversations.append(
            make(
                rng, person, by_pk[person.line_manager_id], status, days, **(extra if status == Status.DECLINED else {})
            )
        )
    Conversation.objects.bulk_create(conversations, batch_size=BATCH_SIZE)
    _requests_backdate(conversations)
    employee_held = conversations[1]
    Preparation.objects.create(conversation=employee_held, shared_at=_at(-8), **PREPARATION)
    reviews = _reviews(rng, conversations)
    Conversation.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
    seed.counts["conversations"] = len(conversations)
    seed.counts["reviews"] = len(reviews)


def _requests_backdate(conversations: list[Conversation]) -> None:
    """Requests waiting for an answer were made some days ago (created_at is set on insert)."""
    days_ago = {}
    for conversation in conversations:
        if conversation.status == Status.REQUESTED and conversation.starts_at is None:
            days_ago.setdefault(conversation.requested_days_ago, []).append(conversation.pk)
    for days, ids in days_ago.items():
        Conversation.objects.filter(pk__in=ids).update(created_at=_at(-days))


def _reviews(rng: random.Random, conversations: list[Conversation]) -> list[Conversation]:
    """The 6- and 12-month reviews of every held talent conversation. Reviews due more than
    eight weeks ago have been held; the rest wait to be booked, some late."""
    today = timezone.localdate()
    reviews = []
    for position, initial in enumerate(conversations):
        if initial.kind != Conversation.Kind.TALENT or initial.status not in (Status.HELD, Status.SIGNED_OFF):
            continue
        held_on = timezone.localdate(initial.held_at)
        for months, kind in ((6, Conversation.Kind.SIX_MONTH), (12, Conversation.Kind.TWELVE_MONTH)):
            due_on = held_on + relativedelta(months=months)
            if months == 6 and position in DEMO_REVIEW_DUE:
                due_on = today + timedelta(days=DEMO_REVIEW_DUE[position])
            done = (today - due_on).days > 56
            review = _conversation(
                rng,
                initial.employee,
                initial.host,
                Status.SIGNED_OFF if done else Status.REQUESTED,
                (due_on - today).days,
                kind=kind,
                follows=initial,
                due_on=due_on,
                origin=Conversation.Origin.SCHEDULED,
            )
            reviews.append(review)
    return reviews


def supporter_profiles_create(seed: DemoSeed, rng: random.Random) -> None:
    """A directory entry for each career supporter; a few have no capacity just now."""
    supporter_ids = set(get_user_model().objects.filter(groups__name=SUPPORTER_GROUP).values_list("pk", flat=True))
    profiles = [
        SupporterProfile(
            employee=person,
            help_with=rng.choice(HELP_WITH),
            has_capacity=person.user.username == "supporter" or rng.random() < 0.8,
        )
        for person in seed.staff
        if person.user_id in supporter_ids
    ]
    SupporterProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    seed.counts["supporter profiles"] = len(profiles)
