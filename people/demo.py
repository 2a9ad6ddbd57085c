"""A made-up NHS trust for demonstrations, benchmarks and trying the site by hand.

`demo_organisation_seed(employees=N)` fills an empty database with exactly N staff: a
chief executive, directors, heads of department, team leads and their teams, with Agenda
for Change bands, sites, start dates, optional equality data and the four demo sign-ins
(README.md, "Demo accounts"). The same N always gives the same data: every random choice
comes from a seeded random.Random and dates count back from a fixed anchor, never today.

The work runs as SEED_STEPS, in order. A later feature (conversations, grid placements)
adds its own step at the end of that list; each step draws from its own random stream,
so adding one never changes what the earlier steps make.
"""

import itertools
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string

from core.refusal import Refused

from .access import HR_GROUP, SUPPORTER_GROUP
from .demo_data import (
    CHIEF_EXECUTIVE,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    ORGANISATION_PLAN,
    TEAM_KINDS,
    DepartmentPlan,
    DirectoratePlan,
)
from .line import line_links_refresh
from .models import Band, Department, Employee, EqualityProfile
from .services import role_groups_ensure

DEFAULT_EMPLOYEES = 300
MINIMUM_EMPLOYEES = 12  # room for the demo accounts, the manager's six reports and a small hierarchy
DEMO_PASSWORD = "talent-demo"
RANDOM_SEED = "talent-demo-organisation"
ANCHOR_DATE = date(2026, 4, 1)  # start dates count back from here, so every run gives the same dates
EMAIL_DOMAIN = "riverside.nhs.uk"
FIRST_STAFF_NUMBER = 20_000_001  # eight digits, like an ESR assignment number
BATCH_SIZE = 2000
TEAM_SIZE = 12  # a team lead and about eleven staff, a usual span of control on a ward
MANAGER_REPORTS = 6  # the demo manager's team never has fewer direct reports than this
MAIN_SITE = "Riverside General Hospital"
SITES = [MAIN_SITE, "St Anne's Community Hospital", "Northgate Health Centre"]
SITE_WEIGHTS = [70, 20, 10]
MAX_SERVICE_DAYS = 40 * 365

REFUSAL = (
    "The database already has staff, departments or the demo accounts; seed_demo only fills an empty "
    "database and never deletes data. Start again from a fresh one: rm var/talentapp.sqlite3, then make run "
    "(or point DATABASE_URL at an empty database)."
)


@dataclass(frozen=True)
class DemoAccount:
    """A fixed sign-in. It joins the first team of `department`: as its lead, or as a member."""

    username: str
    first_name: str
    last_name: str
    job_title: str
    band: str
    department: str
    leads_team: bool = False
    group: str = ""
    is_staff: bool = False  # may open the administration site


DEMO_ACCOUNTS = (
    DemoAccount("manager", "Sarah", "Thompson", "Ward Manager", "7", "Emergency Department", leads_team=True),
    DemoAccount("employee", "James", "Okafor", "Staff Nurse", "5", "Emergency Department"),
    DemoAccount(
        "hr", "Priya", "Shah", "HR Business Partner", "8a", "Workforce and People", group=HR_GROUP, is_staff=True
    ),
    DemoAccount(
        "supporter", "David", "Evans", "Consultant Cardiologist", "medical", "Cardiology", group=SUPPORTER_GROUP
    ),
)
DEMO_USERNAMES = [account.username for account in DEMO_ACCOUNTS]
DEMO_DEPARTMENTS = list(dict.fromkeys(account.department for account in DEMO_ACCOUNTS))

FEMALE_SHARE = 0.77  # about three in four NHS staff are women
FEMALE_NAMES = frozenset(FEMALE_FIRST_NAMES)
SEX_NOT_SAID_SHARE = 0.04

EQUALITY_SHARE = 0.7  # the share of staff who have recorded any equality data
ETHNIC_GROUP_WEIGHTS = {"white": 70, "asian": 12, "black": 8, "mixed": 3, "other": 2, "not_said": 5}
DISABILITY_WEIGHTS = {"no": 80, "yes": 6, "not_said": 14}
AGE_BAND_WEIGHTS = {"under_25": 8, "25_34": 24, "35_44": 24, "45_54": 23, "55_64": 17, "65_plus": 2, "not_said": 2}
SUPPORTER_SHARE = 0.15  # of consultants and senior leaders, who also offer career conversations
SENIOR_BANDS = {Band.BAND_8B, Band.BAND_8C, Band.BAND_8D, Band.BAND_9, Band.VSM}


@dataclass(eq=False)
class Unit:
    """A part of the organisation being seeded: its department row, the post that leads it and,
    for a team, its mix of staff."""

    department: Department
    parent: "Unit | None"
    lead_post: tuple[str, str]
    staff_mix: list[tuple[str, str]] = field(default_factory=list)
    staff_weights: list[int] = field(default_factory=list)
    site: str = MAIN_SITE
    leader: Employee | None = None

    @property
    def level(self) -> int:
        return self.department.level

    def manager_for_members(self) -> Employee | None:
        """The nearest leader at or above this unit: a small organisation leaves some posts empty."""
        unit: Unit | None = self
        while unit is not None and unit.leader is None:
            unit = unit.parent
        return unit.leader if unit else None


@dataclass
class DemoSeed:
    """What the steps build, handed from one step to the next."""

    employees_wanted: int
    units: list[Unit] = field(default_factory=list)  # the organisation first, then level by level
    demo_teams: dict[str, Unit] = field(default_factory=dict)  # each department's first team, by name
    staff: list[Employee] = field(default_factory=list)  # in staff-number order
    demo: dict[str, Employee] = field(default_factory=dict)  # the demo accounts, by username
    counts: dict[str, int] = field(default_factory=dict)  # what was made, for the summary


def _post(title: str, band: str, specialty: str = "") -> tuple[str, str]:
    return title.format(specialty=specialty), Band(band).value  # Band() rejects a mistyped band


def _teams_chosen(count: int) -> list[tuple[DirectoratePlan, DepartmentPlan, str, str]]:
    """`count` teams spread across the organisation, one per department in each round (the demo
    accounts' departments first), numbering a department's team names again once they run out."""
    pairs = [(directorate, department) for directorate in ORGANISATION_PLAN for department in directorate.departments]
    # Stable sorts: each directorate's first department, then each one's second, ...; demo departments first.
    pairs.sort(key=lambda pair: pair[0].departments.index(pair[1]))
    pairs.sort(key=lambda pair: [*DEMO_DEPARTMENTS, pair[1].name].index(pair[1].name))
    chosen = []
    for round_number in itertools.count():
        for directorate, department in pairs[: count - len(chosen)]:
            name, kind = department.teams[round_number % len(department.teams)]
            repeat = round_number // len(department.teams)
            chosen.append((directorate, department, f"{name} {repeat + 1}" if repeat else name, kind))
        if len(chosen) == count:
            return chosen
    raise AssertionError("unreachable")


def organisation_create(seed: DemoSeed, rng: random.Random) -> None:
    """The department tree: only the directorates, departments and teams that will have staff."""
    teams = _teams_chosen(max(len(DEMO_DEPARTMENTS), round(seed.employees_wanted / TEAM_SIZE)))
    organisation_row = Department(name=settings.ORGANISATION_NAME, level=Department.Level.ORGANISATION)
    organisation = Unit(organisation_row, None, _post(*CHIEF_EXECUTIVE))
    parents: dict[str, Unit] = {}  # directorates and departments, by name
    team_units = []
    for directorate, department, team_name, kind_name in teams:
        if directorate.name not in parents:
            row = Department(name=directorate.name, level=Department.Level.DIRECTORATE, parent=organisation_row)
            parents[directorate.name] = Unit(row, organisation, _post(*directorate.director))
        if department.name not in parents:
            above = parents[directorate.name]
            row = Department(name=department.name, level=Department.Level.DEPARTMENT, parent=above.department)
            parents[department.name] = Unit(row, above, _post(*department.head))
        above = parents[department.name]
        kind = TEAM_KINDS[kind_name]
        specialty = department.specialty or department.name
        team = Unit(
            Department(name=team_name, level=Department.Level.TEAM, parent=above.department),
            above,
            _post(*kind.lead, specialty),
            staff_mix=[_post(title, band, specialty) for title, band, _ in kind.staff],
            staff_weights=[weight for _, _, weight in kind.staff],
            site=rng.choices(SITES, weights=SITE_WEIGHTS)[0],
        )
        team_units.append(team)
        seed.demo_teams.setdefault(department.name, team)
    seed.units = sorted([organisation, *parents.values(), *team_units], key=lambda unit: unit.level)
    for level in Department.Level:
        rows = [unit.department for unit in seed.units if unit.level == level]
        Department.objects.bulk_create(rows, batch_size=BATCH_SIZE)  # parents first, so they have ids
    seed.counts["departments"] = len(seed.units)


class _PersonMaker:
    """Makes unsaved users and employees with names, unique emails and sequential staff numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.next_staff_number = FIRST_STAFF_NUMBER
        self.email_uses: Counter[str] = Counter()
        # Hashing is slow on purpose, so each password is hashed once and the hash shared.
        self.unusable_password = make_password(None)
        self.demo_password = make_password(DEMO_PASSWORD)

    def email(self, first_name: str, last_name: str) -> str:
        local = re.sub(r"[^a-z.-]", "", f"{first_name}.{last_name}".lower())
        self.email_uses[local] += 1
        uses = self.email_uses[local]
        return f"{local}{uses if uses > 1 else ''}@{EMAIL_DOMAIN}"

    def person(
        self,
        unit: Unit,
        post: tuple[str, str],
        manager: Employee | None,
        *,
        mean_years: float,
        account: DemoAccount | None = None,
    ) -> Employee:
        """A member of staff in `unit`; `account`, a DemoAccount, fixes the name and post."""
        staff_number = str(self.next_staff_number)
        self.next_staff_number += 1
        if account:
            username, password = account.username, self.demo_password
            first_name, last_name, post = account.first_name, account.last_name, (account.job_title, account.band)
        else:
            username, password = staff_number, self.unusable_password
            first_names = FEMALE_FIRST_NAMES if self.rng.random() < FEMALE_SHARE else MALE_FIRST_NAMES
            first_name, last_name = self.rng.choice(first_names), self.rng.choice(LAST_NAMES)
        user = get_user_model()(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=self.email(first_name, last_name),
            is_staff=bool(account and account.is_staff),
        )
        service_days = min(int(self.rng.expovariate(1 / mean_years) * 365.25), MAX_SERVICE_DAYS)
        return Employee(
            user=user,
            staff_number=staff_number,
            job_title=post[0],
            band=post[1],
            department=unit.department,
            site=unit.site,
            line_manager=manager,
            start_date=ANCHOR_DATE - timedelta(days=service_days),
        )


def _staff_save(seed: DemoSeed, people: list[Employee]) -> None:
    get_user_model().objects.bulk_create([person.user for person in people], batch_size=BATCH_SIZE)
    Employee.objects.bulk_create(people, batch_size=BATCH_SIZE)
    seed.staff.extend(people)


def _team_sizes(total: int, minimums: list[int], rng: random.Random) -> list[int]:
    """Split `total` people between teams: each team's minimum, then the rest in proportion to a
    random weight per team, so that sizes vary as real ones do. The sizes add up to `total`."""
    weights = [rng.uniform(0.6, 1.4) for _ in minimums]
    shares = [(total - sum(minimums)) * weight / sum(weights) for weight in weights]
    sizes = [minimum + int(share) for minimum, share in zip(minimums, shares, strict=True)]
    by_remainder = sorted(range(len(shares)), key=lambda index: shares[index] - int(shares[index]), reverse=True)
    for index in by_remainder[: total - sum(sizes)]:
        sizes[index] += 1
    return sizes


def staff_create(seed: DemoSeed, rng: random.Random) -> None:
    """Exactly `employees_wanted` staff: leaders level by level, so that every manager is saved
    before their reports, then the members of every team, the demo accounts among them."""
    maker = _PersonMaker(rng)
    teams = [unit for unit in seed.units if unit.level == Department.Level.TEAM]
    demo_lead = {seed.demo_teams[account.department]: account for account in DEMO_ACCOUNTS if account.leads_team}
    demo_members: dict[Unit, list[DemoAccount]] = {team: [] for team in teams}
    for account in DEMO_ACCOUNTS:
        if not account.leads_team:
            demo_members[seed.demo_teams[account.department]].append(account)
    minimums = [MANAGER_REPORTS if team in demo_lead else len(demo_members[team]) for team in teams]

    # A small organisation cannot fill every post and still give the teams their members, so
    # posts are filled in this order of need and the rest left empty: their people then
    # report to the next leader up.
    by_need = [
        *(unit for unit in seed.units if unit.level == Department.Level.DIRECTORATE),
        *(team for team in teams if team not in demo_lead),
        *(unit for unit in seed.units if unit.level == Department.Level.DEPARTMENT),
    ]
    always_led = [seed.units[0], *demo_lead]
    spare = seed.employees_wanted - sum(minimums) - len(always_led)
    led = set(always_led + by_need[: max(spare, 0)])
    for level in Department.Level:
        leaders = []
        for unit in seed.units:
            if unit.level == level and unit in led:
                manager = unit.parent.manager_for_members() if unit.parent else None
                account = demo_lead.get(unit)
                unit.leader = maker.person(unit, unit.lead_post, manager, mean_years=12, account=account)
                leaders.append(unit.leader)
        _staff_save(seed, leaders)

    members = []
    sizes = _team_sizes(seed.employees_wanted - len(seed.staff), minimums, rng)
    for team, size in zip(teams, sizes, strict=True):
        manager = team.manager_for_members()
        accounts = demo_members[team]
        for index in range(size):
            post = rng.choices(team.staff_mix, weights=team.staff_weights)[0]
            account = accounts[index] if index < len(accounts) else None
            members.append(maker.person(team, post, manager, mean_years=6, account=account))
    _staff_save(seed, members)
    seed.demo = {person.user.username: person for person in seed.staff if person.user.username in DEMO_USERNAMES}
    seed.counts["employees"] = len(seed.staff)
    seed.counts["line managers"] = len({person.line_manager_id for person in seed.staff} - {None})
    line_links_refresh(None)  # bulk_create sends no signals


def _weighted_choice(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def equality_profiles_create(seed: DemoSeed, rng: random.Random) -> None:
    """Equality data for about 70% of staff, with some answers 'prefer not to say'."""
    profiles = []
    for person in seed.staff:
        if rng.random() >= EQUALITY_SHARE:
            continue
        sex = "female" if person.user.first_name in FEMALE_NAMES else "male"
        profiles.append(
            EqualityProfile(
                employee=person,
                sex=EqualityProfile.Sex.NOT_SAID if rng.random() < SEX_NOT_SAID_SHARE else sex,
                ethnic_group=_weighted_choice(rng, ETHNIC_GROUP_WEIGHTS),
                disability=_weighted_choice(rng, DISABILITY_WEIGHTS),
                age_band=_weighted_choice(rng, AGE_BAND_WEIGHTS),
            )
        )
    EqualityProfile.objects.bulk_create(profiles, batch_size=BATCH_SIZE)
    seed.counts["equality profiles"] = len(profiles)


def roles_assign(seed: DemoSeed, rng: random.Random) -> None:
    """The demo accounts' groups, and some consultants and senior leaders as career supporters."""
    group_ids = dict(Group.objects.filter(name__in=[HR_GROUP, SUPPORTER_GROUP]).values_list("name", "pk"))
    memberships = {(seed.demo[a.username].user_id, group_ids[a.group]) for a in DEMO_ACCOUNTS if a.group}
    for person in seed.staff:
        senior = person.band in SENIOR_BANDS or person.job_title.startswith("Consultant")
        if senior and person.user.username not in seed.demo and rng.random() < SUPPORTER_SHARE:
            memberships.add((person.user_id, group_ids[SUPPORTER_GROUP]))
    Membership = get_user_model().groups.through
    rows = [Membership(user_id=user_id, group_id=group_id) for user_id, group_id in sorted(memberships)]
    Membership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    seed.counts["career supporters"] = sum(1 for _, group_id in memberships if group_id == group_ids[SUPPORTER_GROUP])


SeedStep = Callable[[DemoSeed, random.Random], None]

# Run in this order. Later features add their steps at the end, as dotted paths to keep
# this module free of imports from the apps that build on it.
SEED_STEPS: list[SeedStep | str] = [
    organisation_create,
    staff_create,
    equality_profiles_create,
    roles_assign,
    "conversations.demo.supporter_profiles_create",
    "conversations.demo.conversations_create",
    "grid.demo.grid_demo_create",
    "pdp.demo.plans_create",
    "opportunities.demo.opportunities_create",
]


def demo_database_has_data() -> bool:
    """Whether anything is there for the demo to clash with: staff, departments or the demo sign-ins."""
    return (
        Employee.objects.exists()
        or Department.objects.exists()
        or get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()
    )


def demo_organisation_seed(*, employees: int) -> DemoSeed:
    """Fill an empty database with the demo organisation of exactly `employees` staff."""
    if employees < MINIMUM_EMPLOYEES:
        raise Refused(f"The demo needs at least {MINIMUM_EMPLOYEES} employees; {employees} is too few.")
    with transaction.atomic():
        if demo_database_has_data():
            raise Refused(REFUSAL)
        role_groups_ensure()
        seed = DemoSeed(employees_wanted=employees)
        for step in SEED_STEPS:
            step = import_string(step) if isinstance(step, str) else step
            step(seed, random.Random(f"{RANDOM_SEED}:{step.__name__}"))
    return seed


def sso_demo_accounts() -> list[dict]:
    """The demo sign-ins as accounts of the local OpenID Connect provider (tests/oidc/, `make
    sso-demo`): the user name to type there, and the claims it sends: the staff number as
    `employeeid` and the verified email, so that either way of matching finds the staff record.
    `newstarter` has no staff record, to show the refusal."""
    staff = Employee.objects.select_related("user").filter(user__username__in=DEMO_USERNAMES)
    accounts = [
        {
            "login": person.user.username,
            "claims": {
                "employeeid": person.staff_number,
                "email": person.user.email,
                "email_verified": True,
                "given_name": person.user.first_name,
                "family_name": person.user.last_name,
                "name": person.user.get_full_name(),
            },
        }
        for person in staff.order_by("user__username")
    ]
    stranger = {"employeeid": "99999999", "email": f"new.starter@{EMAIL_DOMAIN}", "email_verified": True}
    return [*accounts, {"login": "newstarter", "claims": {**stranger, "name": "New Starter"}}]
