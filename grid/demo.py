"""The talent grid's part of the demo organisation (a step of people.demo.SEED_STEPS).

Most staff get placements at up to three past appraisal rounds, so the grid has a history to
compare; one calibration session (closed) moved a few people in the Emergency Department;
directors and heads of department hold critical roles with named successors. Deterministic:
every choice comes from the step's seeded random stream and every date counts back from
people.demo.ANCHOR_DATE. Everything is written with bulk_create, so 100,000 staff take seconds.
"""

import random
from bisect import bisect
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise

from django.db import connection

from conversations.models import Conversation
from people.demo import ANCHOR_DATE, BATCH_SIZE, DemoSeed
from people.models import Band, Department, Employee, EqualityProfile

from .models import CalibrationMove, CalibrationSession, CriticalRole, Placement, Successor, suggested_potential
from .services import CARRIED_OVER, calibration_move_record, calibration_override_reason

# Appraisal rounds, oldest first: about 18, 12 and 5 months before the anchor date.
ROUNDS = (ANCHOR_DATE - timedelta(days=545), ANCHOR_DATE - timedelta(days=365), ANCHOR_DATE - timedelta(days=160))
CALIBRATION_DATE = ANCHOR_DATE - timedelta(days=45)
CALIBRATION_DEPARTMENT = "Emergency Department"
CALIBRATION_MOVES = 6
SETTLING_IN_DAYS = 90  # nobody is placed in their first three months
NEVER_PLACED_SHARE = 0.05
PERFORMANCE_WEIGHTS = {1: 12, 2: 55, 3: 33}
POTENTIAL_WEIGHTS = {1: 35, 2: 45, 3: 20}
DRIFT_CHANCE = 0.25  # each rating moves one level between rounds this often
OVERRIDE_SHARE = 0.05
# The bias the inclusion figures are there to catch: at the same performance, women's
# potential marked down from what the criteria suggest (drawn from a stream of its own, so
# that the rest of the demo does not change with it).
BIASED_DOWNGRADE_SHARE = 0.45
BIAS_SEED = 20260301
COMMENT_SHARE = 0.1
SPECIALIST_SHARE = 0.15
GROWTH_WEIGHTS = {"depth": 45, "breadth": 25, "stretch": 22, "": 8}
SENIOR_LEVELS = (Department.Level.ORGANISATION, Department.Level.DIRECTORATE, Department.Level.DEPARTMENT)
MAX_SUCCESSORS = 3
SPECIALIST_BANDS = {Band.MEDICAL, Band.BAND_6, Band.BAND_7}

# fmt: off
EVIDENCE = {
    1: ["Appraisal: several objectives not met; agreed a support plan with clear goals.",
        "Appraisal: performance below the standard for the role; sickness absence has affected the year.",
        "Appraisal: needs to improve timeliness and record keeping; feedback from the team is mixed."],
    2: ["Appraisal: met all objectives; reliable and well regarded by the team.",
        "Appraisal: met most objectives; good feedback from patients and colleagues.",
        "Appraisal: steady year; completed mandatory training and one development course."],
    3: ["Appraisal: exceeded objectives; led the team's quality improvement project.",
        "Appraisal: outstanding feedback from patients and colleagues; mentors new starters.",
        "Appraisal: exceeded objectives; acted up successfully for three months."],
}
OVERRIDE_REASONS = [
    "Recently completed a leadership programme; the criteria reflect the year before it.",
    "Has said they want to stay in their current role for the next two years.",
    "Acting up this quarter shows more readiness than the criteria capture.",
    "Returning from long-term leave; potential to be reviewed at the next conversation.",
]
CALIBRATION_REASONS = [
    "Panel agreed the evidence matches the other ward leads placed higher.",
    "Compared with peers, performance evidence is strong but not yet exceptional.",
    "Feedback from the wider department supports a higher potential rating.",
    "Panel agreed potential was over-rated against the agreed criteria.",
    "Consistent with others in the department: moved to match the evidence.",
    "Recent secondment to the site team shows readiness for more.",
]
COMMENTS = [
    "I agree, and I would like to talk about the next step.",
    "I'd like my work on the rota project to be taken into account next time.",
    "Thank you. I want to stay in my specialism and grow there.",
    "I think my potential is higher than this; I'd like to discuss it.",
]
SUCCESSOR_NOTES = ["Shadowing the role holder monthly.", "On the aspiring leaders programme.", "", ""]
# fmt: on

DEMO_EMPLOYEE_PLACEMENTS = ((2, 2), (3, 2))  # the employee demo account: moved from box 5 to box 4


@dataclass(slots=True)
class _Row:
    """A placement to insert: the model's fields as plain values, for a fast bulk insert."""

    employee_id: int
    performance: int
    potential: int
    aspiration: int
    engagement: int
    ability: int
    leadership_values: int
    potential_suggested: int
    override_reason: str
    growth_direction: str
    specialist_track: bool
    evidence: str
    placed_by_id: int
    placed_at: datetime
    is_current: bool = False
    replaced_at: datetime | None = None
    employee_comment: str = ""
    employee_commented_at: datetime | None = None
    conversation_id: int | None = None

    def values(self, adapt_datetime) -> tuple:
        return (
            self.employee_id,
            self.performance,
            self.potential,
            self.aspiration,
            self.engagement,
            self.ability,
            self.leadership_values,
            self.potential_suggested,
            self.override_reason,
            self.growth_direction,
            self.specialist_track,
            self.evidence,
            Placement.Source.MANAGER.value,
            self.placed_by_id,
            adapt_datetime(self.placed_at),
            self.is_current,
            adapt_datetime(self.replaced_at),
            self.employee_comment,
            adapt_datetime(self.employee_commented_at),
            self.conversation_id,
        )


ROW_FIELDS = (
    "employee",
    "performance",
    "potential",
    "aspiration",
    "engagement",
    "ability",
    "leadership_values",
    "potential_suggested",
    "override_reason",
    "growth_direction",
    "specialist_track",
    "evidence",
    "source",
    "placed_by",
    "placed_at",
    "is_current",
    "replaced_at",
    "employee_comment",
    "employee_commented_at",
    "conversation",
)
ROWS_PER_STATEMENT = 1000  # where the database takes several rows per INSERT


def _rows_insert(rows: list[_Row]) -> None:
    """Insert placements without building model instances: the ORM's per-field work is most of
    the time of a bulk_create of a quarter of a million rows."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Placement._meta.get_field(name).column) for name in ROW_FIELDS)
    one_row = "(" + ", ".join(["%s"] * len(ROW_FIELDS)) + ")"
    sql = f"INSERT INTO {quote(Placement._meta.db_table)} ({columns}) VALUES "
    adapt = cache(connection.ops.adapt_datetimefield_value)  # a few hundred distinct moments
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # one prepared statement, reused: the fastest way there
            cursor.executemany(sql + one_row, [row.values(adapt) for row in rows])
            return
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            batch = rows[start : start + ROWS_PER_STATEMENT]
            cursor.execute(
                sql + ", ".join([one_row] * len(batch)), [value for row in batch for value in row.values(adapt)]
            )


@dataclass
class _Person:
    employee: Employee
    placements: list = field(default_factory=list)  # _Row, and last a Placement if calibrated


# Seeding 100,000 staff draws millions of random numbers: these helpers use one
# rng.random() each where the general-purpose methods take several calls.
_CUMULATIVE: dict[int, tuple[list, list[float]]] = {}


def _weighted(rng: random.Random, weights: dict) -> object:
    table = _CUMULATIVE.get(id(weights))
    if table is None:
        total, cumulative = sum(weights.values()), []
        for weight in weights.values():
            cumulative.append((cumulative[-1] if cumulative else 0) + weight / total)
        table = _CUMULATIVE[id(weights)] = (list(weights), cumulative)
    keys, cumulative = table
    return keys[min(bisect(cumulative, rng.random()), len(keys) - 1)]


def _drift(rng: random.Random, value: int) -> int:
    draw = rng.random()
    if draw >= DRIFT_CHANCE:
        return value
    return min(3, max(1, value + (1 if draw < DRIFT_CHANCE / 2 else -1)))


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment within a fortnight of `day`."""
    slot = int(rng.random() * 14 * 8)
    return _moment(day + timedelta(days=slot // 8), 9 + slot % 8)


@cache
def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _placement(
    rng: random.Random, person: Employee, performance: int, criteria: list[int], placed_at: datetime
) -> _Row:
    aspiration, engagement, ability, leadership_values = criteria
    suggested = suggested_potential(
        aspiration=aspiration, engagement=engagement, ability=ability, leadership_values=leadership_values
    )
    potential, override_reason = suggested, ""
    if rng.random() < OVERRIDE_SHARE:
        potential = min(3, max(1, suggested + rng.choice((-1, 1))))
        override_reason = rng.choice(OVERRIDE_REASONS) if potential != suggested else ""
    return _Row(
        employee_id=person.pk,
        performance=performance,
        potential=potential,
        aspiration=aspiration,
        engagement=engagement,
        ability=ability,
        leadership_values=leadership_values,
        potential_suggested=suggested,
        override_reason=override_reason,
        growth_direction=_weighted(rng, GROWTH_WEIGHTS),
        specialist_track=person.band in SPECIALIST_BANDS and rng.random() < SPECIALIST_SHARE * 2,
        evidence=rng.choice(EVIDENCE[performance]),
        placed_by_id=person.line_manager.user.pk,
        placed_at=placed_at,
    )


def _marked_down(row: _Row, bias: random.Random) -> _Row:
    """A placement whose potential was marked a row below the criteria, with a stock reason."""
    if row.potential > 1 and row.performance >= 2 and bias.random() < BIASED_DOWNGRADE_SHARE:
        row.potential -= 1
        row.override_reason = bias.choice(OVERRIDE_REASONS) if row.potential != row.potential_suggested else ""
    return row


def _history(rng: random.Random, person: Employee) -> list[_Row]:
    """Placements at each appraisal round since the person settled in, ratings drifting between."""
    rounds = [day for day in ROUNDS if day >= person.start_date + timedelta(days=SETTLING_IN_DAYS)]
    if not rounds:
        return []
    performance = _weighted(rng, PERFORMANCE_WEIGHTS)
    level = _weighted(rng, POTENTIAL_WEIGHTS)
    criteria = [min(3, max(1, level + (-1, 0, 0, 0, 1)[int(rng.random() * 5)])) for _ in range(4)]
    placements = []
    for day in rounds:
        placements.append(_placement(rng, person, performance, criteria, _at(day, rng)))
        performance = _drift(rng, performance)
        criteria = [_drift(rng, value) for value in criteria]
    return placements


def _demo_employee_history(rng: random.Random, person: Employee) -> list[_Row]:
    placements = []
    for day, (performance, potential) in zip(ROUNDS[1:], DEMO_EMPLOYEE_PLACEMENTS, strict=True):
        placement = _placement(rng, person, performance, [potential] * 4, _at(day, rng))
        placement.potential, placement.override_reason = potential, ""
        placements.append(placement)
    placements[-1].growth_direction = Placement.GrowthDirection.STRETCH
    placements[-1].evidence = (
        "Appraisal: exceeded objectives; led the department's sepsis screening audit and "
        "trained six new starters in triage."
    )
    placements[-1].employee_comment = COMMENTS[0]
    placements[-1].employee_commented_at = placements[-1].placed_at + timedelta(days=3)
    return placements


def _calibration_add(rng: random.Random, seed: DemoSeed, people: list[_Person]) -> tuple | None:
    """A closed session for the Emergency Department in which a few people moved box."""
    department = next(
        (unit.department for unit in seed.units if unit.department.name == CALIBRATION_DEPARTMENT),
        None,
    )
    if department is None:
        return None
    demo_user = seed.demo["hr"].user
    in_department = [
        person
        for person in people
        if person.placements
        and person.employee.user.username not in seed.demo
        and department.pk in (person.employee.department_id, person.employee.department.parent_id)
    ]
    chosen = rng.sample(in_department, min(CALIBRATION_MOVES, len(in_department)))
    opened_at = datetime.combine(CALIBRATION_DATE, time(14), tzinfo=UTC)
    session = CalibrationSession.objects.create(
        name=f"{CALIBRATION_DEPARTMENT} calibration, {CALIBRATION_DATE:%B %Y}",
        department=department,
        opened_by=demo_user,
        opened_at=opened_at,
        closed_by=demo_user,
        closed_at=opened_at + timedelta(hours=2),
    )
    moves = []
    for index, person in enumerate(chosen):
        before = person.placements[-1]
        options = [
            (performance, potential)
            for performance in (1, 2, 3)
            for potential in (1, 2, 3)
            if abs(performance - before.performance) + abs(potential - before.potential) == 1
        ]
        performance, potential = rng.choice(options)
        reason = rng.choice(CALIBRATION_REASONS)
        after = Placement(
            employee=person.employee,
            performance=performance,
            potential=potential,
            potential_suggested=before.potential_suggested,
            override_reason=calibration_override_reason(session, reason)
            if potential != before.potential_suggested
            else "",
            source=Placement.Source.CALIBRATION,
            calibration_session=session,
            placed_by=demo_user,
            placed_at=opened_at + timedelta(minutes=10 * (index + 1)),
            is_current=False,
            **{name: getattr(before, name) for name in CARRIED_OVER},
        )
        person.placements.append(after)
        moves.append((person.employee, before, after, reason))
    return session, moves


def _successors(rng: random.Random, seed: DemoSeed, current: dict[int, Placement]) -> tuple[list, list]:
    """Critical roles for the organisation's, directorates' and departments' leaders; successors
    from the leaders one level down and the strongest placements in their part of the tree."""
    units = [unit for unit in seed.units if unit.level in SENIOR_LEVELS and unit.leader is not None]
    leaders = {unit.leader.pk for unit in seed.units if unit.leader is not None}
    reports: dict[int, list[Employee]] = {}
    for person in seed.staff:
        if person.line_manager_id is not None and person.pk in leaders and person.pk in current:
            reports.setdefault(person.line_manager_id, []).append(person)
    roles, successors = [], []
    for unit in units:
        roles.append(
            CriticalRole(
                title=unit.leader.job_title,
                department=unit.department,
                incumbent=unit.leader,
                why_critical="Leads a service with statutory duties; a long vacancy would put patient care at risk.",
                created_at=datetime.combine(ROUNDS[-1], time(12), tzinfo=UTC),
            )
        )
        below = sorted(
            reports.get(unit.leader.pk, []),
            key=lambda person: (-(current[person.pk].performance + current[person.pk].potential), person.pk),
        )
        for person in below[: rng.randint(0, MAX_SUCCESSORS)]:
            placement = current[person.pk]
            if placement.performance == 3 and placement.potential == 3:
                readiness = Successor.Readiness.READY_NOW
            elif placement.performance + placement.potential >= 5:
                readiness = Successor.Readiness.ONE_TO_TWO_YEARS
            else:
                readiness = Successor.Readiness.THREE_PLUS_YEARS
            successors.append((len(roles) - 1, person, readiness))
    return roles, successors


def _signed_off_conversations() -> dict[int, tuple[int, datetime]]:
    """Each person's latest signed-off talent conversation or review: (id, held_at), by employee."""
    rows = (
        Conversation.objects.filter(status=Conversation.Status.SIGNED_OFF, held_at__isnull=False)
        .exclude(kind=Conversation.Kind.CAREER)
        .order_by("employee_id", "held_at")
        .values_list("employee_id", "id", "held_at")
    )
    return {employee_id: (pk, held_at) for employee_id, pk, held_at in rows}


def _link_to_conversation(row, conversation: tuple[int, datetime] | None, placements: list) -> None:
    """The current placement came from the person's latest signed-off conversation: it is made a
    day after the conversation was held, if that is after the placement before it."""
    if conversation is None or not isinstance(row, _Row):
        return
    pk, held_at = conversation
    earlier = placements[-2].placed_at if len(placements) > 1 else None
    placed_at = held_at + timedelta(days=1)
    if earlier is not None and placed_at <= earlier:
        return
    row.conversation_id, row.placed_at = pk, placed_at
    if row.employee_commented_at is not None and row.employee_commented_at < placed_at:
        row.employee_commented_at = placed_at + timedelta(days=3)


def grid_demo_create(seed: DemoSeed, rng: random.Random) -> None:
    """Placements with history for most staff, a calibration session and succession plans."""
    people = []
    women = set(EqualityProfile.objects.filter(sex=EqualityProfile.Sex.FEMALE).values_list("employee_id", flat=True))
    bias = random.Random(BIAS_SEED)
    for employee in seed.staff:
        person = _Person(employee)
        people.append(person)
        if employee.line_manager is None:
            continue  # the chief executive is placed by the board, not here
        if employee.user.username == "employee":
            person.placements = _demo_employee_history(rng, employee)
        elif rng.random() >= NEVER_PLACED_SHARE:
            person.placements = _history(rng, employee)
            if employee.pk in women:
                person.placements = [_marked_down(row, bias) for row in person.placements]
    calibration = _calibration_add(rng, seed, people)
    came_from = _signed_off_conversations()
    current = {}
    for person in people:
        if person.placements:
            last = person.placements[-1]
            last.is_current = True
            _link_to_conversation(last, came_from.get(person.employee.pk), person.placements)
            for earlier, later in pairwise(person.placements):
                earlier.replaced_at = later.placed_at
            current[person.employee.pk] = last
            if not last.employee_comment and rng.random() < COMMENT_SHARE:
                last.employee_comment = rng.choice(COMMENTS)
                last.employee_commented_at = last.placed_at + timedelta(days=rng.randrange(1, 20))
    rows = [row for person in people for row in person.placements if isinstance(row, _Row)]
    _rows_insert(rows)
    calibrated = [row for person in people for row in person.placements if isinstance(row, Placement)]
    Placement.objects.bulk_create(calibrated)
    seed.counts["grid placements"] = len(rows) + len(calibrated)
    if calibration is not None:
        session, moves = calibration
        CalibrationMove.objects.bulk_create(
            calibration_move_record(
                session=session,
                employee=employee,
                before=before,
                after=after,
                reason=reason,
                moved_by=session.opened_by,
            )
            for employee, before, after, reason in moves
        )
        seed.counts["calibration moves"] = len(moves)
    roles, successors = _successors(rng, seed, current)
    CriticalRole.objects.bulk_create(roles, batch_size=BATCH_SIZE)
    Successor.objects.bulk_create(
        (
            Successor(
                role=roles[index],
                employee=person,
                readiness=readiness,
                notes=rng.choice(SUCCESSOR_NOTES),
                named_at=roles[index].created_at,
            )
            for index, person, readiness in successors
        ),
        batch_size=BATCH_SIZE,
    )
    seed.counts["critical roles"] = len(roles)
    seed.counts["successors"] = len(successors)
