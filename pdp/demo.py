"""Demo development plans (a step of people.demo.SEED_STEPS).

Every demo account and most staff with a manager have a current plan: started from their
signed-off talent conversation where they had one, with objectives and actions of every
type, owner and status; about half agreed, some drafts waiting for a signature, some
changed since they were agreed; some people also have a closed plan from last year.
Like the conversations, dates count from the day of seeding, so that reviews and due dates
are always near; every other choice comes from the step's seeded random stream. Written
in chunks with bulk_create, so 100,000 staff take seconds.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from conversations.models import Conversation
from people.demo import BATCH_SIZE, DemoSeed
from people.models import Employee

from .models import Action, Objective, Plan, PlanChange
from .services import plan_review_dates

PLAN_SHARE = 0.85  # of staff with a manager, who have a current plan
PAST_SHARE = 0.15  # of those, who also have last year's plan, closed
CHUNK = 5000  # people at a time: bounded memory at 100,000 staff

T, WHO, S = Action.Type, Action.Owner, Action.Status

# fmt: off
OBJECTIVES = [
    "Be ready to apply for a post at the next band within 12 months",
    "Build confidence in leading a team and a shift",
    "Develop specialist expertise and become the department's go-to person for it",
    "Broaden experience across other services before choosing a next step",
    "Lead an improvement project that makes a measurable difference for patients",
    "Grow as a teacher and mentor of students and new starters",
    "Strengthen skills in managing budgets, rotas and people",
    "Prepare for a move into a research or clinical academic role",
]
# (type, owner, description, support needed)
ACTIONS = [
    (T.EXPERIENCE, WHO.EMPLOYEE, "Lead two shifts a month as the person in charge, with a debrief afterwards.",
     "Rostered shifts in charge; time for a debrief with the manager."),
    (T.EXPERIENCE, WHO.EMPLOYEE, "Act up into the team leader role for four weeks during annual leave cover.", ""),
    (T.EXPERIENCE, WHO.EMPLOYEE, "Lead the department's audit on one quality standard and present the results.",
     "Half a day a month of protected time; access to the audit team."),
    (T.EXPERIENCE, WHO.MANAGER, "Arrange a two-week secondment to a neighbouring service.",
     "Backfill for the two weeks."),
    (T.EXPERIENCE, WHO.EMPLOYEE, "Take on the induction of new starters for the next intake.", ""),
    (T.EXPOSURE, WHO.EMPLOYEE, "Shadow the matron for a day, including the bed meeting and a complaint response.",
     "A day released from the rota."),
    (T.EXPOSURE, WHO.MANAGER, "Find a mentor from another directorate and set up monthly meetings.", ""),
    (T.EXPOSURE, WHO.EMPLOYEE, "Join the regional network for the specialty and attend two meetings.",
     "Travel costs for two meetings."),
    (T.EXPOSURE, WHO.OTHER, "Observe two recruitment panels as a trainee panel member.", ""),
    (T.EXPOSURE, WHO.EMPLOYEE, "Attend the directorate's governance meeting for three months.", ""),
    (T.EDUCATION, WHO.EMPLOYEE, "Complete the trust's first-line leadership programme (six half-day sessions).",
     "Study leave for six half days."),
    (T.EDUCATION, WHO.OTHER, "Apply for funding for a specialist module at the local university.",
     "Funding from the education budget."),
    (T.EDUCATION, WHO.EMPLOYEE, "Complete the e-learning on managing difficult conversations.", ""),
    (T.EDUCATION, WHO.EMPLOYEE, "Work towards the practice assessor qualification.",
     "Time with the practice educator."),
    (T.EDUCATION, WHO.OTHER, "Book a place on the quality improvement foundations course.", "Course fee."),
]
OTHER_OWNERS = [
    "Clinical Education Team", "Practice Development Nurse", "Learning and Development", "HR Business Partner",
]
PROGRESS = {
    S.IN_PROGRESS: ["Started; first session done and going well.", "Two of four done; the rest booked.",
                    "Under way, slower than hoped because of winter pressures."],
    S.DONE: ["Done. Feedback was positive and I would like to do more of this.", "Completed on time.",
             "Done; certificate added to my portfolio."],
    S.DROPPED: ["Dropped: the secondment was cancelled by the other service.",
                "Dropped by agreement; replaced by shadowing on the ward."],
}
WAY_FORWARD = [
    "Build leadership experience on the ward over the next six months, then review readiness for a band 6 post.",
    "Develop as the department's specialist link, with protected time and a course in the spring.",
    "Try out other areas through shadowing and a short secondment before deciding on a next step.",
    "Grow through the current role: take on teaching and an improvement project this year.",
]
COMMENTS = [
    "I am happy with this plan and keen to get started.",
    "I would like to come back to the secondment idea at the six-month review.",
    "Thank you: the mentoring is what I was hoping for.",
]
# fmt: on


def _at(days: int, hour: int = 11) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Builder:
    """Rows as dicts of column values, with ids given here so that children can refer to them."""

    def __init__(self, rng: random.Random, conversations: dict[int, dict], next_ids: dict[type, int]):
        self.rng = rng
        self.conversations = conversations
        self.next_ids = next_ids
        self.now = timezone.now()

    def _id(self, model) -> int:
        self.next_ids[model] += 1
        return self.next_ids[model]

    def plan(self, person: Employee, manager_id: int, *, past: bool = False, state: str = "") -> dict:
        rng = self.rng
        source = None if past else self.conversations.get(person.pk)
        if source:
            started = max(source["held_at"] + timedelta(days=rng.randrange(1, 10)), _at(-360))
            way_forward = source["way_forward"]
        else:
            started = _at(-rng.randrange(400, 700) if past else -rng.randrange(10, 330))
            way_forward = rng.choice(WAY_FORWARD)
        state = state or (
            "agreed" if past else rng.choices(["agreed", "draft", "half", "changed"], [55, 22, 13, 10])[0]
        )
        plan = {
            "id": self._id(Plan),
            "employee_id": person.pk,
            "manager_id": manager_id,
            "source_conversation_id": source["id"] if source else None,
            "way_forward": way_forward,
            "status": Plan.Status.DRAFT,
            "is_current": not past,
            "employee_signed_off_at": None,
            "manager_signed_off_at": None,
            "first_agreed_at": None,
            "agreed_at": None,
            "review_6_month_on": None,
            "review_12_month_on": None,
            "employee_comments": "",
            "comments_version": 1,
            "version": 1,
            "created_by_id": None,
            "created_at": started,
            "updated_at": started,
            "closed_at": None,
        }
        if source and any(source["reviews"]):
            plan["review_6_month_on"], plan["review_12_month_on"] = source["reviews"]
        if state in ("agreed", "changed"):
            agreed = started + timedelta(days=rng.randrange(3, 15))
            day = timezone.localdate(agreed)
            plan |= {"first_agreed_at": agreed, "agreed_at": agreed, "updated_at": agreed}
            if plan["review_6_month_on"] is None and plan["review_12_month_on"] is None:
                plan |= plan_review_dates(day)
            if state == "agreed":
                plan |= {
                    "status": Plan.Status.AGREED,
                    "employee_signed_off_at": agreed - timedelta(days=rng.randrange(1, 3), hours=rng.randrange(0, 5)),
                    "manager_signed_off_at": agreed,
                }
            if rng.random() < 0.4:
                plan["employee_comments"] = rng.choice(COMMENTS)
        elif state == "half":
            plan["employee_signed_off_at"] = started + timedelta(days=rng.randrange(1, 5))
        if past:
            plan |= {"status": Plan.Status.CLOSED, "closed_at": started + timedelta(days=365)}
        plan["_state"] = state
        return plan

    def contents(self, plan: dict) -> tuple[list[dict], list[dict]]:
        """The plan's objectives and actions."""
        rng = self.rng
        if plan["_state"] == "empty":
            return [], []
        titles = rng.sample(OBJECTIVES, rng.choice([1, 2, 2, 3]))
        objectives = [
            {"id": self._id(Objective), "plan_id": plan["id"], "title": title, "position": index, "version": 1}
            for index, title in enumerate(titles)
        ]
        age = (self.now - plan["created_at"]).days
        start_day = timezone.localdate(plan["created_at"])
        actions = []
        for index, (kind, owner, description, support) in enumerate(rng.sample(ACTIONS, rng.randrange(2, 6))):
            due_in = rng.randrange(30, 330)
            if plan["status"] == Plan.Status.CLOSED or age > due_in:
                status = rng.choices([S.DONE, S.IN_PROGRESS, S.DROPPED], [70, 20, 10])[0]
            elif age > 30:
                status = rng.choices([S.NOT_STARTED, S.IN_PROGRESS, S.DONE], [30, 55, 15])[0]
            else:
                status = S.NOT_STARTED
            actions.append(
                {
                    "plan_id": plan["id"],
                    "objective_id": objectives[index % len(objectives)]["id"] if rng.random() < 0.85 else None,
                    "description": description,
                    "type": kind.value,
                    "owner": owner.value,
                    "owner_name": rng.choice(OTHER_OWNERS) if owner == WHO.OTHER else "",
                    "due_on": start_day + timedelta(days=due_in),
                    "support_needed": support,
                    "status": status.value,
                    "progress_notes": rng.choice(PROGRESS[status]) if status in PROGRESS and rng.random() < 0.7 else "",
                    "position": index,
                    "version": 1,
                    "updated_at": plan["updated_at"],
                }
            )
        return objectives, actions

    def changes(self, plan: dict, employee_user: int, manager_user: int | None) -> list[dict]:
        def change(by: int | None, at: datetime, summary: str) -> dict:
            return {"plan_id": plan["id"], "by_id": by, "at": at, "summary": summary, "details": ""}

        started = (
            "Plan started from the way forward of the conversation"
            if plan["source_conversation_id"]
            else "Plan started"
        )
        rows = [change(manager_user, plan["created_at"], started)]
        if plan["employee_signed_off_at"]:
            rows.append(change(employee_user, plan["employee_signed_off_at"], "Signed off as the employee"))
        if plan["manager_signed_off_at"]:
            rows.append(
                change(manager_user, plan["manager_signed_off_at"], "Signed off for the line: the plan is agreed")
            )
        if plan["_state"] == "changed":
            at = min(plan["agreed_at"] + timedelta(days=40), self.now)
            rows.append(
                change(manager_user, at, "Changed the way forward. Sign-off re-opened: both need to sign again")
            )
        if plan["closed_at"]:
            rows.append(change(manager_user, plan["closed_at"], "Closed: a new plan was started"))
        return rows


def _signed_off_conversations() -> dict[int, dict]:
    """Each person's latest signed-off talent conversation or review, by employee id."""
    rows = (
        Conversation.objects.filter(status=Conversation.Status.SIGNED_OFF)
        .exclude(kind=Conversation.Kind.CAREER)
        .order_by("employee_id", "held_at")
        .values("id", "employee_id", "way_forward", "held_at", "follows_id")
    )
    latest = {row["employee_id"]: row for row in rows if row["held_at"]}
    # The review dates scheduled after each initial conversation, which the plans take on.
    due = {}
    for row in Conversation.objects.filter(follows__isnull=False).values("follows_id", "kind", "due_on"):
        due.setdefault(row["follows_id"], {})[row["kind"]] = row["due_on"]
    for row in latest.values():
        reviews = due.get(row["follows_id"] or row["id"], {})
        row["reviews"] = (reviews.get(Conversation.Kind.SIX_MONTH), reviews.get(Conversation.Kind.TWELVE_MONTH))
    return latest


def _sqlite_datetime(value: datetime | None) -> str | None:
    """As Django stores an aware datetime in SQLite (UTC, without the offset), but quicker."""
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def _insert(model, rows: list[dict]) -> None:
    """INSERT the rows as they are: much faster than bulk_create for hundreds of thousands of rows."""
    if not rows:
        return
    columns = [name for name in rows[0] if not name.startswith("_")]
    fields = {field.column: field for field in model._meta.concrete_fields}
    adapt = {}
    for column in columns:
        internal = fields[column].get_internal_type()
        if internal == "DateTimeField":
            adapt[column] = (
                _sqlite_datetime if connection.vendor == "sqlite" else connection.ops.adapt_datetimefield_value
            )
        elif internal == "DateField":
            adapt[column] = connection.ops.adapt_datefield_value
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    values = [
        tuple(adapt[column](row[column]) if column in adapt else row[column] for column in columns) for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH_SIZE):
            cursor.executemany(sql, values[start : start + BATCH_SIZE])


def _save(builder: _Builder, plans: list[dict], user_ids: dict[int, int], counts: dict) -> None:
    objectives, actions, changes = [], [], []
    for plan in plans:
        manager_user = user_ids.get(plan["manager_id"])
        plan["created_by_id"] = manager_user
        plan_objectives, plan_actions = builder.contents(plan)
        objectives.extend(plan_objectives)
        actions.extend(plan_actions)
        changes.extend(builder.changes(plan, user_ids[plan["employee_id"]], manager_user))
    _insert(Plan, plans)
    _insert(Objective, objectives)
    _insert(Action, actions)
    _insert(PlanChange, changes)
    counts["development plans"] = counts.get("development plans", 0) + len(plans)
    counts["plan actions"] = counts.get("plan actions", 0) + len(actions)


def _sequences_reset() -> None:
    """Ids were given here, not by the database: move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Plan, Objective, Action, PlanChange])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _employee_plan_under_way(employee: Employee) -> None:
    """The demo employee's agreed plan is under way: its first action is in progress, due soon."""
    first = Action.objects.filter(plan__employee=employee, plan__is_current=True).order_by("position").first()
    if first is not None:
        Action.objects.filter(pk=first.pk).update(
            status=Action.Status.IN_PROGRESS,
            due_on=timezone.localdate() + timedelta(days=45),
            progress_notes="Started: first session booked with the charge nurse.",
        )


def plans_create(seed: DemoSeed, rng: random.Random) -> None:
    next_ids = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model in (Plan, Objective)}
    builder = _Builder(rng, _signed_off_conversations(), next_ids)
    user_ids = {person.pk: person.user_id for person in seed.staff}
    demo_ids = {person.pk for person in seed.demo.values()}
    manager = seed.demo["manager"]
    team = [p for p in seed.staff if p.line_manager_id == manager.pk and p.pk != seed.demo["employee"].pk]
    # Something for the demo manager to act on: a plan the employee has signed, one with nothing in it yet.
    fixed = {seed.demo["employee"].pk: "agreed"}
    if team:
        fixed[team[0].pk] = "half"
    if len(team) > 1:
        fixed[team[1].pk] = "empty"
    counts: dict[str, int] = {}
    for start in range(0, len(seed.staff), CHUNK):
        plans = []
        for person in seed.staff[start : start + CHUNK]:
            chosen = rng.random() < PLAN_SHARE
            if person.line_manager_id is None or not (chosen or person.pk in demo_ids):
                continue
            if person.pk in demo_ids or rng.random() < PAST_SHARE:
                plans.append(builder.plan(person, person.line_manager_id, past=True))
            state = fixed.get(person.pk, "")
            plan = builder.plan(person, person.line_manager_id, state="draft" if state == "empty" else state)
            plan["_state"] = state or plan["_state"]
            plans.append(plan)
        _save(builder, plans, user_ids, counts)
    _sequences_reset()
    _employee_plan_under_way(seed.demo["employee"])
    seed.counts.update(counts)


def plan_with_actions_create(*, employee: Employee, actions: int, rng: random.Random | None = None) -> Plan:
    """A current agreed plan with `actions` actions, for the benchmark (replaces the current plan)."""
    rng = rng or random.Random("pdp-benchmark")
    Plan.objects.filter(employee=employee, is_current=True).update(is_current=False, status=Plan.Status.CLOSED)
    builder = _Builder(rng, {}, {Plan: 0, Objective: 0})
    values = builder.plan(employee, employee.line_manager_id, state="agreed")
    plan = Plan.objects.create(**{name: value for name, value in values.items() if name not in ("id", "_state")})
    objectives = [
        Objective.objects.create(plan=plan, title=title, position=i) for i, title in enumerate(OBJECTIVES[:3])
    ]
    rows = []
    for index in range(actions):
        kind, owner, description, support = ACTIONS[index % len(ACTIONS)]
        status = list(S)[index % 4]
        rows.append(
            Action(
                plan=plan,
                objective=objectives[index % 3],
                description=description,
                type=kind,
                owner=owner,
                owner_name=OTHER_OWNERS[index % 4] if owner == WHO.OTHER else "",
                due_on=date.today() + timedelta(days=14 * index),
                support_needed=support,
                status=status,
                progress_notes=PROGRESS[status][0] if status in PROGRESS else "",
                position=index,
            )
        )
    Action.objects.bulk_create(rows)
    return plan
