"""`manage.py apply_retention [--dry-run]`, also run daily by beat: leavers anonymised
RETENTION_YEARS after leaving, plan exports expired after a week, expired sessions cleared and
old email files removed; idempotent."""

import datetime
import io
import os
import time

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from conversations.factories import HeldConversationFactory, ReviewFactory, SupporterProfileFactory
from conversations.models import Conversation, Notice, Preparation, PrivateNote, ReviewChange, SupporterProfile
from grid.factories import CalibrationSessionFactory, CriticalRoleFactory, PlacementFactory, SuccessorFactory
from grid.models import CalibrationMove, Placement, Successor
from pdp.factories import ActionFactory, ExportJobFactory, ObjectiveFactory, PlanFactory
from pdp.models import Action, ExportJob, Objective, Plan, PlanChange
from people.access_log import entry_write
from people.factories import EmployeeFactory
from people.models import AccessLogRecord, Band, Employee, EqualityProfile
from talentapp.retention import REMOVED

User = get_user_model()
TODAY = "2026-06-15 09:00 +01:00"


def run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def leave(employee, left_on: datetime.date) -> Employee:
    employee.left_on = left_on
    employee.save()
    employee.user.is_active = False
    employee.user.save()
    return employee


@pytest.fixture
def leaver(cast):
    """The employee left on 1/6/2020 (6 years before TODAY), with something of every kind held."""
    employee, manager = cast.employee, cast.manager
    employee.band = Band.BAND_6
    employee.save()
    leave(employee, datetime.date(2020, 6, 1))
    EqualityProfile.objects.create(employee=employee, sex="female")
    SupporterProfileFactory(employee=employee)
    conversation = HeldConversationFactory(employee=employee, host=manager, statement="I want to lead.")
    Preparation.objects.create(conversation=conversation, achievements="Led the audit.")
    PrivateNote.objects.create(conversation=conversation, author=manager.user, text="Ready soon.")
    review = ReviewFactory(follows=conversation)
    ReviewChange.objects.create(
        review=review, changed_by=manager.user, from_date=review.due_on, reason="Her annual leave."
    )
    Notice.objects.create(
        conversation=conversation, kind=Notice.Kind.BOOKED, recipient=manager, next_attempt_at=timezone.now()
    )
    plan = PlanFactory(employee=employee, manager=manager, employee_comments="Looks right.")
    ObjectiveFactory(plan=plan, title="Lead a shift")
    ActionFactory(plan=plan, description="Shadow Jo", status=Action.Status.DONE, progress_notes="Done twice.")
    PlanChange.objects.create(plan=plan, by=manager.user, summary="Action added: Shadow Jo", details="By June.")
    first = PlacementFactory(employee=employee, employee_comment="Fair.", is_current=False)
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    moved = PlacementFactory(employee=employee, performance=3, source="calibration", calibration_session=session)
    CalibrationMove.objects.create(
        session=session,
        employee=employee,
        from_performance=first.performance,
        from_potential=first.potential,
        to_performance=3,
        to_potential=moved.potential,
        reason="Her audit.",
        placement=moved,
        moved_by=cast.hr.user,
    )
    SuccessorFactory(employee=employee, notes="Could act up.")
    CriticalRoleFactory(incumbent=employee)
    entry_write(user=manager.user, path="/", reads=[("pdp.plan", plan.pk, employee.pk)])
    return employee


@time_machine.travel(TODAY, tick=False)
def test_it_anonymises_a_leaver_once_the_retention_period_has_passed(leaver, cast):
    department, staff_number = leaver.department_id, leaver.staff_number

    output = run()

    assert "Anonymised 1 leaver " in output
    assert staff_number not in output
    person = Employee.objects.select_related("user").get(pk=leaver.pk)
    user = person.user
    assert user.username.startswith("anon-")
    assert user.username != "employee"
    assert person.staff_number == user.username
    assert (user.get_full_name(), user.email, person.job_title) == ("Anonymised leaver", "", "")
    assert not user.has_usable_password()
    assert not user.is_active
    assert not user.groups.exists()
    assert person.anonymised_at == timezone.now()
    # The facts stay: band, department, dates, what happened and when.
    assert (person.band, person.department_id, person.left_on) == (Band.BAND_6, department, datetime.date(2020, 6, 1))
    conversation, review = Conversation.objects.filter(employee=person).order_by("pk")
    assert (conversation.kind, conversation.status) == (Conversation.Kind.TALENT, Conversation.Status.HELD)
    assert conversation.held_at is not None
    assert review.follows_id == conversation.pk
    # The words go: written text becomes REMOVED, empty text stays empty.
    assert (conversation.statement, conversation.topic, conversation.reality) == (REMOVED, REMOVED, "")
    assert Preparation.objects.get().achievements == REMOVED
    assert ReviewChange.objects.get().reason == REMOVED
    plan = Plan.objects.get(employee=person)
    assert (plan.way_forward, plan.employee_comments) == (REMOVED, REMOVED)
    assert Objective.objects.get().title == REMOVED
    action = Action.objects.get()
    assert (action.description, action.progress_notes, action.status) == (REMOVED, REMOVED, Action.Status.DONE)
    assert (PlanChange.objects.get().summary, PlanChange.objects.get().details) == (REMOVED, REMOVED)
    placements = Placement.objects.filter(employee=person).order_by("pk")
    assert [(p.performance, p.evidence, p.employee_comment) for p in placements] == [
        (2, REMOVED, REMOVED),
        (3, REMOVED, ""),
    ]
    assert CalibrationMove.objects.get().reason == REMOVED
    assert Successor.objects.get().notes == REMOVED
    # Rows that are nothing but personal data are deleted.
    assert not EqualityProfile.objects.exists()
    assert not SupporterProfile.objects.exists()
    assert not PrivateNote.objects.exists()
    assert not Notice.objects.exists()
    assert not person.critical_roles.exists()
    # The access log stays: it now names an anonymised person.
    assert AccessLogRecord.objects.filter(subject=person).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_it_leaves_what_others_hold_but_removes_the_leavers_private_notes_as_host(cast):
    manager = leave(cast.manager, datetime.date(2019, 1, 31))
    theirs = HeldConversationFactory(employee=cast.other_employee, host=manager, statement="My own words.")
    PrivateNote.objects.create(conversation=theirs, author=manager.user, text="Her note about them.")

    run()

    theirs.refresh_from_db()
    assert theirs.statement == "My own words."
    assert theirs.host_id == manager.pk
    assert not PrivateNote.objects.exists()
    assert Employee.objects.get(pk=cast.employee.pk).user.username == "employee"


@time_machine.travel(TODAY, tick=False)
def test_it_keeps_people_who_are_not_yet_due(cast):
    recent = leave(cast.employee, datetime.date(2020, 6, 16))  # 6 years tomorrow
    still_here = cast.other_employee
    still_here.left_on = datetime.date(2010, 1, 1)  # a date, but the account is still active
    still_here.save()
    inactive = EmployeeFactory(user__is_active=False)  # inactive, but no leaving date

    assert "Anonymised 0 leavers" in run()

    for person in (recent, still_here, inactive):
        person.refresh_from_db()
        assert person.anonymised_at is None
        assert not person.staff_number.startswith("anon-")


@time_machine.travel(TODAY, tick=False)
def test_it_takes_the_retention_period_from_the_setting(cast, settings):
    leave(cast.employee, datetime.date(2024, 6, 15))
    settings.RETENTION_YEARS = 3
    assert "Anonymised 0 leavers" in run()
    settings.RETENTION_YEARS = 2
    assert "Anonymised 1 leaver " in run()


@time_machine.travel(TODAY, tick=False)
def test_it_is_idempotent(leaver):
    run()
    first = Employee.objects.select_related("user").get(pk=leaver.pk)

    output = run()

    assert "Anonymised 0 leavers" in output
    again = Employee.objects.select_related("user").get(pk=leaver.pk)
    assert (again.staff_number, again.user.username, again.anonymised_at) == (
        first.staff_number,
        first.user.username,
        first.anonymised_at,
    )


@time_machine.travel(TODAY, tick=False)
def test_it_changes_nothing_in_a_dry_run_and_says_what_it_would_do(leaver, cast, tmp_path, settings):
    settings.PDP_EXPORT_DIR = tmp_path
    old_export(cast, tmp_path, "old.zip")
    staff_number = leaver.staff_number
    expired_session()

    output = run("--dry-run")

    assert f"Would anonymise 1 leaver ({staff_number})" in output
    assert "Would remove 1 plan exports older than a week" in output
    assert "Would clear 1 expired sessions" in output
    assert "Dry run: nothing was changed." in output
    leaver.refresh_from_db()
    assert leaver.staff_number == staff_number
    assert leaver.anonymised_at is None
    assert PrivateNote.objects.exists()
    assert Notice.objects.exists()
    assert Conversation.objects.filter(statement="I want to lead.").exists()
    assert ExportJob.objects.count() == 1
    assert (tmp_path / "old.zip").exists()
    assert Session.objects.count() == 1


def old_export(cast, folder, name: str, *, days: int = 8) -> ExportJob:
    job = ExportJobFactory(requested_by=cast.hr.user, department=cast.employee.department, file_name=name)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    (folder / name).write_bytes(b"zip")
    return job


def age(path, days: float) -> None:
    moment = time.time() - days * 24 * 60 * 60
    os.utime(path, (moment, moment))


def test_it_expires_plan_exports_after_a_week_whoever_asked(cast, tmp_path, settings):
    settings.PDP_EXPORT_DIR = tmp_path
    from people.factories import make_hr

    old_export(cast, tmp_path, "hr-old.zip")
    other_hr = make_hr()
    job = ExportJobFactory(requested_by=other_hr.user, department=cast.employee.department, file_name="other.zip")
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    (tmp_path / "other.zip").write_bytes(b"zip")
    recent = old_export(cast, tmp_path, "recent.zip", days=6)
    (tmp_path / "stray.zip").write_bytes(b"zip")  # an export whose job has gone
    age(tmp_path / "stray.zip", 8)
    (tmp_path / "fresh-stray.zip").write_bytes(b"zip")

    output = run()

    assert "Removed 2 plan exports older than a week, and 1 stray export files." in output
    assert list(ExportJob.objects.all()) == [recent]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fresh-stray.zip", "recent.zip"]


def test_it_removes_the_pdfs_an_export_left_unless_it_is_still_under_way(cast, tmp_path, settings):
    """A stopped export's folder of PDFs (job-<id>.plans) is kept while the export may carry on,
    and removed with the export, or once no unfinished export owns it."""
    settings.PDP_EXPORT_DIR = tmp_path
    expired = old_export(cast, tmp_path, "expired.zip")
    under_way = ExportJobFactory(requested_by=cast.hr.user, department=cast.employee.department, status="running")
    folders = {name: tmp_path / f"job-{name}.plans" for name in (expired.pk, under_way.pk, 999999)}
    for folder in folders.values():
        folder.mkdir()
        (folder / "1.pdf").write_bytes(b"%PDF")
        age(folder, 8)

    output = run()

    assert "Removed 1 plan exports older than a week, and 1 stray export files." in output
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"job-{under_way.pk}.plans"]


def expired_session() -> None:
    store = SessionStore()
    store["typed"] = "Text typed after the session ended"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - datetime.timedelta(1))


def test_it_clears_expired_sessions_only(db):
    expired_session()
    live = SessionStore()
    live["x"] = 1
    live.create()

    assert "Cleared 1 expired sessions." in run()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_it_removes_email_files_older_than_the_setting(db, tmp_path, settings):
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.EMAIL_FILE_RETENTION_DAYS = 30
    for name, days in [("old.log", 31), ("recent.log", 29), ("notes.txt", 400)]:
        (tmp_path / name).write_text("Subject: Your talent conversation")
        age(tmp_path / name, days)

    assert f"Removed 1 email files older than 30 days in {tmp_path}." in run()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt", "recent.log"]


def test_it_removes_access_log_entries_older_than_the_setting(cast, settings, monkeypatch):
    from people import access_log
    from people.models import AccessLog

    settings.ACCESS_LOG_RETENTION_YEARS = 2
    monkeypatch.setattr(access_log, "EXPIRE_BATCH", 2)  # three old entries: two batches
    reads = [("grid.placement", 1, cast.employee.pk), ("grid.placement", 2, cast.other_employee.pk)]
    for moment in ["2024-06-15 07:59 +00:00", "2024-06-01 12:00 +00:00", "2023-01-01 12:00 +00:00"]:
        with time_machine.travel(moment, tick=False):
            entry_write(user=cast.hr.user, path="/grid/", reads=reads)
    with time_machine.travel("2024-06-15 08:01 +00:00", tick=False):
        kept = entry_write(user=cast.hr.user, path="/grid/", reads=reads).row
    with time_machine.travel(TODAY, tick=False):
        assert "Would remove 3 access log entries from before 15/06/2024 09:00" in run("--dry-run")
        assert AccessLog.objects.count() == 4
        assert "Removed 3 access log entries from before 15/06/2024 09:00 (ACCESS_LOG_RETENTION_YEARS=2)." in run()
        assert "Removed 0 access log entries" in run()
    assert list(AccessLog.objects.all()) == [kept]
    assert set(AccessLogRecord.objects.values_list("entry_id", flat=True)) == {kept.pk}


def test_it_is_scheduled_daily_by_beat_through_a_thin_task(db):
    from celery.schedules import crontab

    from talentapp.celery import app
    from talentapp.tasks import retention_apply_task

    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "talentapp.tasks.retention_apply_task"
    assert entry["schedule"] == crontab(hour=3, minute=15)
    assert "talentapp.tasks.retention_apply_task" in app.tasks
    retention_apply_task.delay()  # in-process here: it runs the service


@time_machine.travel(TODAY, tick=False)
def test_it_leaves_pages_that_still_open_for_hr(client, leaver, cast):
    from django.urls import reverse

    run()
    conversation = Conversation.objects.filter(employee=leaver).first()
    plan = Plan.objects.get(employee=leaver)
    client.force_login(cast.hr.user)
    for url in (
        reverse("person_detail", args=[leaver.pk]),
        reverse("conversations:detail", args=[conversation.pk]),
        reverse("pdp:detail", args=[plan.pk]),
        reverse("pdp:history", args=[plan.pk]),
        reverse("people_list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Anonymised leaver" in response.content.decode(), url
