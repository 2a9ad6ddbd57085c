"""Every URL of the site, for every role: the status each one gets.

The table must name every URL pattern in the URL configuration; a new URL that is
not added here fails `test_it_covers_every_url_pattern`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "employee", "other_employee", "manager", "senior_manager", "other_manager", "supporter", "hr"]
LOGIN = "login"  # redirected to the sign-in page
MOVED = "moved"  # redirected elsewhere: done, or refused with a message on the conversation page


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


def signed_in(status) -> dict:
    return {**everyone(status), "anonymous": LOGIN}


def only(status_for: dict) -> dict:
    """404 for every signed-in role not named, sign-in for anonymous."""
    return {**signed_in(404), **status_for}


@dataclass
class Case:
    name: str
    expected: dict
    kwargs: Callable = lambda cast: {}
    method: str = "get"
    query: str = ""
    settings: dict = field(default_factory=dict)  # overrides for this URL, e.g. OIDC set up


SUBJECT = lambda cast: {"pk": cast.employee.pk}  # noqa: E731


def requested_conversation(cast) -> dict:
    from conversations.factories import ConversationFactory

    return {"pk": ConversationFactory(employee=cast.employee, host=cast.manager).pk}


def booked_conversation(cast) -> dict:
    from conversations.factories import BookedConversationFactory

    return {"pk": BookedConversationFactory(employee=cast.employee, host=cast.manager).pk}


def started_conversation(cast) -> dict:
    import datetime

    from django.utils import timezone

    from conversations.factories import BookedConversationFactory

    starts_at = timezone.now() - datetime.timedelta(hours=1)
    return {"pk": BookedConversationFactory(employee=cast.employee, host=cast.manager, starts_at=starts_at).pk}


def held_conversation(cast) -> dict:
    from conversations.factories import HeldConversationFactory

    return {"pk": HeldConversationFactory(employee=cast.employee, host=cast.manager).pk}


def held_signed_by_host(cast) -> dict:
    from django.utils import timezone

    from conversations.factories import HeldConversationFactory

    held = HeldConversationFactory(employee=cast.employee, host=cast.manager, host_signed_off_at=timezone.now())
    return {"pk": held.pk}


def calibration_session(cast) -> dict:
    from grid.factories import CalibrationSessionFactory

    return {"pk": CalibrationSessionFactory(opened_by=cast.hr.user).pk}


def critical_role(cast) -> dict:
    from grid.factories import CriticalRoleFactory

    return {"pk": CriticalRoleFactory(incumbent=cast.employee).pk}


def plan_of_employee(cast) -> dict:
    from pdp.factories import PlanFactory

    return {"pk": PlanFactory(employee=cast.employee, manager=cast.manager).pk}


def plan_objective(cast) -> dict:
    from pdp.factories import ObjectiveFactory

    objective = ObjectiveFactory(plan__employee=cast.employee, plan__manager=cast.manager)
    return {"pk": objective.plan_id, "objective_pk": objective.pk}


def plan_action(cast) -> dict:
    from pdp.factories import ActionFactory

    action = ActionFactory(plan__employee=cast.employee, plan__manager=cast.manager)
    return {"pk": action.plan_id, "action_pk": action.pk}


def signed_off_conversation(cast) -> dict:
    from conversations.factories import HeldConversationFactory

    conversation = HeldConversationFactory(employee=cast.employee, host=cast.manager, status="signed_off")
    return {"conversation_pk": conversation.pk}


def export_job(cast) -> dict:
    from pdp.factories import ExportJobFactory

    return {"pk": ExportJobFactory(requested_by=cast.hr.user, department=cast.employee.department).pk}


def staff_import_job(cast) -> dict:
    from people.factories import StaffImportJobFactory

    return {"pk": StaffImportJobFactory(requested_by=cast.hr.user).pk}


def access_log_entry(cast) -> dict:
    from people.access_log import entry_write

    entry = entry_write(
        user=cast.manager.user, path="/people/", reads=[("people.employee", cast.employee.pk, cast.employee.pk)]
    )
    return {"pk": entry.row.pk}


def successor(cast) -> dict:
    from grid.factories import SuccessorFactory

    named = SuccessorFactory(role__incumbent=cast.manager, employee=cast.employee)
    return {"pk": named.role_id, "successor_pk": named.pk}


def review(cast) -> dict:
    import datetime

    from conversations.factories import ReviewFactory

    due_on = datetime.date.today() + datetime.timedelta(days=30)
    return {"pk": ReviewFactory(follows__employee=cast.employee, follows__host=cast.manager, due_on=due_on).pk}


def opportunity(cast) -> dict:
    from opportunities.factories import OpportunityFactory

    return {"pk": OpportunityFactory(contact=cast.supporter, published_by=cast.supporter).pk}


def past_opportunity(cast) -> dict:
    import datetime

    from opportunities.factories import OpportunityFactory

    long_ago = datetime.date.today() - datetime.timedelta(days=100)
    past = OpportunityFactory(contact=cast.supporter, starts_on=long_ago, ends_on=long_ago, closes_on=long_ago)
    return {"pk": past.pk}


def opportunity_for_plan(cast) -> dict:
    from opportunities.factories import OpportunityFactory
    from pdp.factories import PlanFactory

    PlanFactory(employee=cast.employee, manager=cast.manager)
    return {"pk": OpportunityFactory().pk, "employee_pk": cast.employee.pk}


def opportunity_interest(cast) -> dict:
    from opportunities.factories import InterestFactory

    return {"interest_pk": InterestFactory(employee=cast.employee).pk}


# Sign-in with the organisation's account set up, with the provider's metadata already known
# (so no request leaves the test); without OIDC_ISSUER both pages answer 404 (tests/test_oidc.py).
OIDC = {
    "OIDC_ISSUER": "https://login.example.nhs.uk",
    "OIDC_CLIENT_ID": "talent-conversations",
    "OIDC_CLIENT_SECRET": "not-a-real-secret",
}


def known_provider(cast) -> dict:
    from talentapp.oidc.discovery import ProviderMetadata, remember

    issuer = OIDC["OIDC_ISSUER"]
    endpoints = {name: f"{issuer}/{name}" for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")}
    remember(ProviderMetadata(issuer=issuer, **endpoints))
    return {}


MANAGERS = {"manager": 200, "senior_manager": 200, "other_manager": 200}
GRID_VIEWERS = {**MANAGERS, "hr": 200}
READERS_OF_EMPLOYEE = {"manager": 200, "senior_manager": 200, "hr": 200}
LINE_OF_EMPLOYEE = {"manager": 200, "senior_manager": 200}
PARTICIPANTS = {"employee": 200, "manager": 200}
READERS = {**PARTICIPANTS, "senior_manager": 200, "hr": 200}

CASES = [
    Case("home", signed_in(200)),
    Case("people_list", only({"manager": 200, "senior_manager": 200, "other_manager": 200, "hr": 200})),
    Case("people_pick", only({**MANAGERS, "hr": 200}), query="q=a"),
    Case("people_pick", only({**MANAGERS, "hr": 200}), query="q=a&format=json"),
    Case(
        "person_detail",
        only({"employee": 200, "manager": 200, "senior_manager": 200, "hr": 200}),
        kwargs=SUBJECT,
    ),
    Case("access_log", only({"hr": 200})),
    Case("access_log", only({"hr": 200}), query="person_id=1&reader=a&since=2026-01-01"),
    Case("access_log_entry", only({"hr": 200}), kwargs=access_log_entry),
    Case("staff_import", only({"hr": 200})),
    Case("staff_import_job", only({"hr": 200}), kwargs=staff_import_job),
    Case("staff_import_confirm", only({"hr": MOVED}), kwargs=staff_import_job, method="post"),
    Case("healthz", everyone(200)),
    Case("accessibility", everyone(200)),
    Case("keep_alive", signed_in(204)),
    Case("login", everyone(200)),
    Case("logout", everyone(LOGIN), method="post"),
    # Anyone may start a sign-in (it goes to the provider); a reply without code or state is refused.
    Case("oidc:start", everyone(MOVED), kwargs=known_provider, settings=OIDC),
    Case("oidc:callback", everyone(400), kwargs=known_provider, settings=OIDC),
    Case("password_change", signed_in(200)),
    Case("password_change_done", signed_in(200)),
    Case("password_reset", everyone(200)),
    Case("password_reset_done", everyone(200)),
    Case(
        "password_reset_confirm",
        everyone(200),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "set-password"},
    ),
    Case("password_reset_complete", everyone(200)),
    Case("conversations:list", signed_in(200)),
    Case("conversations:start", only(MANAGERS)),
    Case("conversations:nominate", signed_in(200)),
    Case("conversations:supporters", signed_in(200)),
    Case("conversations:reviews", only({**MANAGERS, "hr": 200})),
    Case("conversations:reschedule", only({"manager": 200}), kwargs=review),
    Case("conversations:close_review", only({"manager": 200}), kwargs=review),
    Case("conversations:supporter_profile", only({"supporter": 200})),
    Case("conversations:detail", only(READERS), kwargs=booked_conversation),
    Case("conversations:book", only({"manager": 200, "employee": MOVED}), kwargs=requested_conversation),
    Case("conversations:decline", only({"manager": 200, "employee": MOVED}), kwargs=requested_conversation),
    Case("conversations:cancel", only(PARTICIPANTS), kwargs=requested_conversation),
    Case("conversations:invite", only(PARTICIPANTS), kwargs=booked_conversation),
    Case("conversations:checklist", only({"manager": MOVED}), kwargs=booked_conversation, method="post"),
    Case("conversations:hold", only({"manager": MOVED, "employee": MOVED}), kwargs=booked_conversation, method="post"),
    # Marking held and signing off ask first (GET), when the move is open to the person now.
    Case("conversations:hold", only({"manager": 200, "employee": MOVED}), kwargs=started_conversation),
    Case("conversations:hold", only({"manager": MOVED, "employee": MOVED}), kwargs=booked_conversation),
    Case(
        "conversations:sign_off",
        only({"manager": MOVED, "employee": MOVED}),
        kwargs=booked_conversation,
        method="post",
    ),
    Case("conversations:sign_off", only({"manager": 200, "employee": MOVED}), kwargs=held_conversation),
    Case("conversations:sign_off", only({"manager": MOVED, "employee": 200}), kwargs=held_signed_by_host),
    # The writing pages are for one person each; readers see the record on the detail page.
    Case("conversations:prepare", only({"employee": 200}), kwargs=booked_conversation),
    Case("conversations:record", only({"manager": 200}), kwargs=booked_conversation),
    Case("conversations:private_notes", only({"manager": 200}), kwargs=booked_conversation),
    Case("conversations:comments", only({"employee": 200}), kwargs=booked_conversation),
    # Talent grid: HR sees everyone, managers their own line; employees and supporters nothing but their own.
    Case("grid:dashboard", only(GRID_VIEWERS)),
    Case("grid:box", only(GRID_VIEWERS), kwargs=lambda cast: {"performance": 3, "potential": 3}),
    Case("grid:unplaced", only(GRID_VIEWERS)),
    Case("grid:export_csv", only(GRID_VIEWERS)),
    Case("grid:export_xlsx", only(GRID_VIEWERS)),
    Case("grid:inclusion", only(GRID_VIEWERS)),
    Case("grid:inclusion_export_csv", only(GRID_VIEWERS)),
    Case("grid:inclusion_export_xlsx", only(GRID_VIEWERS)),
    Case("grid:inclusion_people", only({"hr": 200}), query="dimension=sex&group=female"),
    Case("grid:movement", only(GRID_VIEWERS)),
    Case("grid:movement_people", only(GRID_VIEWERS)),
    Case("grid:mine", signed_in(200)),
    Case("grid:person", only({"employee": MOVED, "manager": 200, "senior_manager": 200, "hr": 200}), kwargs=SUBJECT),
    Case("grid:place", only({"manager": 200, "senior_manager": 200}), kwargs=SUBJECT),
    Case("grid:calibration", only({"hr": 200})),
    Case("grid:calibration_session", only({"hr": 200}), kwargs=calibration_session),
    Case("grid:calibration_close", only({"hr": 200}), kwargs=calibration_session),  # the question
    Case("grid:calibration_close", only({"hr": MOVED}), kwargs=calibration_session, method="post"),
    Case("grid:succession", only(GRID_VIEWERS)),
    Case("grid:succession_role", only(READERS_OF_EMPLOYEE), kwargs=critical_role),
    Case("grid:successor_remove", only({"hr": 200}), kwargs=successor),  # the question
    Case("grid:successor_remove", only({"hr": MOVED}), kwargs=successor, method="post"),
    # Development plans: the employee reads and comments, managers up the line write, HR reads and exports.
    Case("pdp:mine", signed_in(200)),
    Case("pdp:list", only(GRID_VIEWERS)),
    Case("pdp:person", only({"employee": 200, **READERS_OF_EMPLOYEE}), kwargs=SUBJECT),
    Case("pdp:start", only(LINE_OF_EMPLOYEE), kwargs=lambda cast: {"employee_pk": cast.employee.pk}),
    Case("pdp:start_from_conversation", only(LINE_OF_EMPLOYEE), kwargs=signed_off_conversation),
    Case("pdp:detail", only({"employee": 200, **READERS_OF_EMPLOYEE}), kwargs=plan_of_employee),
    Case("pdp:pdf", only({"employee": 200, **READERS_OF_EMPLOYEE}), kwargs=plan_of_employee),
    Case("pdp:history", only({"employee": 200, **READERS_OF_EMPLOYEE}), kwargs=plan_of_employee),
    Case("pdp:way_forward", only(LINE_OF_EMPLOYEE), kwargs=plan_of_employee),
    Case("pdp:comments", only({"employee": 200}), kwargs=plan_of_employee),
    Case(
        "pdp:sign_off",
        only({"employee": MOVED, "manager": MOVED, "senior_manager": MOVED}),
        kwargs=plan_of_employee,
        method="post",
    ),
    # The question; a plan with no actions yet goes back to the plan with the reason.
    Case(
        "pdp:sign_off", only({"employee": 200, **LINE_OF_EMPLOYEE}), kwargs=lambda cast: {"pk": plan_action(cast)["pk"]}
    ),
    Case(
        "pdp:sign_off",
        only({"employee": MOVED, "manager": MOVED, "senior_manager": MOVED}),
        kwargs=plan_of_employee,
    ),
    Case("pdp:objective_add", only(LINE_OF_EMPLOYEE), kwargs=plan_of_employee),
    Case("pdp:objective_edit", only(LINE_OF_EMPLOYEE), kwargs=plan_objective),
    Case("pdp:action_add", only(LINE_OF_EMPLOYEE), kwargs=plan_of_employee),
    Case("pdp:action_edit", only(LINE_OF_EMPLOYEE), kwargs=plan_action),
    Case("pdp:action_progress", only({"employee": 200, **LINE_OF_EMPLOYEE}), kwargs=plan_action),
    Case("pdp:exports", only({"hr": 200})),
    Case("pdp:export_detail", only({"hr": 200}), kwargs=export_job),
    Case("pdp:export_download", only({"hr": MOVED}), kwargs=export_job),
    # Opportunities: every member of staff finds current ones; publishers and contacts see their
    # offers' interest; HR records places; managers in the line make plan actions from them.
    Case("opportunities:list", signed_in(200)),
    Case("opportunities:offers", signed_in(200)),
    Case("opportunities:new", only({"supporter": 200, "hr": 200})),
    Case("opportunities:uptake", only({"hr": 200})),
    Case("opportunities:detail", signed_in(200), kwargs=opportunity),
    Case("opportunities:detail", only({"supporter": 200, "hr": 200}), kwargs=past_opportunity),
    Case("opportunities:edit", only({"supporter": 200, "hr": 200}), kwargs=opportunity),
    Case("opportunities:interest", signed_in(MOVED), kwargs=opportunity, method="post"),
    Case("opportunities:interest", only({"supporter": MOVED, "hr": MOVED}), kwargs=past_opportunity, method="post"),
    Case("opportunities:plan_action", only(LINE_OF_EMPLOYEE), kwargs=opportunity_for_plan),
    Case("opportunities:place_taken", only({"hr": MOVED}), kwargs=opportunity_interest, method="post"),
]

# The admin is HR administration: its patterns are checked by the admin cases below.
ADMIN_PREFIX = "admin/"


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, name) for every pattern in the URL configuration, includes followed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (namespace + pattern.name) if pattern.name else None


def test_it_covers_every_url_pattern():
    named = {case.name for case in CASES}
    missing = [
        (route, name)
        for route, name in url_patterns()
        if not route.startswith(ADMIN_PREFIX) and (name is None or name not in named)
    ]
    assert missing == [], f"URL patterns missing from the access matrix: {missing}"


def test_it_names_only_real_urls():
    real = {name for _, name in url_patterns()}
    assert {case.name for case in CASES} <= real


def sign_in_as(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role).user)


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif expected == MOVED:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_it_gives_each_role_its_status(client, cast, case, role, settings):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    sign_in_as(client, cast, role)
    url = reverse(case.name, kwargs=case.kwargs(cast)) + (f"?{case.query}" if case.query else "")
    response = getattr(client, case.method)(url)
    assert_status(response, case.expected[role])


def admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_it_keeps_the_admin_to_hr(client, cast, role):
    sign_in_as(client, cast, role)
    for url in admin_urls():
        response = client.get(url)
        if role == "hr":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(("/admin/login/", reverse("login"))), url


def admin_refusals(cast) -> list[tuple[str, str, set[int]]]:
    """Administration that is no way round the rules: (method, address, statuses HR gets)."""
    employee_account = cast.employee.user.pk
    return [
        ("get", reverse("admin:auth_user_add"), {403}),
        ("post", reverse("admin:auth_user_delete", args=[employee_account]), {403}),
        ("get", reverse("admin:auth_user_change", args=[employee_account]) + "password/", {302, 404}),
        ("post", reverse("admin:auth_user_change", args=[cast.hr.user.pk]), {403}),
        ("post", reverse("admin:people_accountchange_add"), {403}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_it_refuses_the_administration_that_would_get_round_the_rules(client, cast, role):
    sign_in_as(client, cast, role)
    for method, url, refused_to_hr in admin_refusals(cast):
        response = getattr(client, method)(url)
        if role == "hr":
            assert response.status_code in refused_to_hr, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(("/admin/login/", reverse("login"))), url
