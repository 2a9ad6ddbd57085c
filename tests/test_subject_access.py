"""`manage.py subject_access STAFF_NUMBER --output FILE.zip --by USERNAME`: everything held about
one person, with hosts' private notes apart for review, and the run in the access log."""

import json
import stat
import zipfile

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from conversations.factories import HeldConversationFactory, ReviewFactory, SupporterProfileFactory
from conversations.models import Notice, Preparation, PrivateNote, ReviewChange
from grid.factories import CalibrationSessionFactory, PlacementFactory, SuccessorFactory
from grid.models import CalibrationMove
from pdp.factories import ActionFactory, ObjectiveFactory, PlanFactory
from pdp.models import PlanChange
from people.access_log import entry_write
from people.models import AccessLog, AccessLogRecord, EqualityProfile


@pytest.fixture
def held(cast):
    """Everything the site can hold about the employee, and a little about someone else."""
    employee, manager = cast.employee, cast.manager
    EqualityProfile.objects.create(employee=employee, sex="female", age_band="25_34")
    SupporterProfileFactory(employee=employee, help_with="Returning to practice after a break.")
    conversation = HeldConversationFactory(
        employee=employee, host=manager, statement="I would like to lead shifts.", shared_notes="Agreed: shadowing."
    )
    Preparation.objects.create(conversation=conversation, achievements="Led the sepsis audit.")
    PrivateNote.objects.create(conversation=conversation, author=manager.user, text="Ready for band 6 in a year.")
    review = ReviewFactory(follows=conversation)
    ReviewChange.objects.create(
        review=review, changed_by=manager.user, from_date=review.due_on, to_date=review.due_on, reason="Annual leave."
    )
    Notice.objects.create(
        conversation=conversation, kind=Notice.Kind.BOOKED, recipient=employee, next_attempt_at=timezone.now()
    )
    Notice.objects.create(
        conversation=conversation, kind=Notice.Kind.BOOKED, recipient=manager, next_attempt_at=timezone.now()
    )
    plan = PlanFactory(employee=employee, manager=manager, way_forward="Shadow the charge nurse.")
    ObjectiveFactory(plan=plan, title="Be ready to lead a shift")
    ActionFactory(plan=plan, description="Lead a handover", progress_notes="Did two handovers.")
    PlanChange.objects.create(plan=plan, by=manager.user, summary="Action added: Lead a handover")
    placement = PlacementFactory(employee=employee, employee_comment="I agree with this.", is_current=False)
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    moved = PlacementFactory(employee=employee, performance=3, source="calibration", calibration_session=session)
    CalibrationMove.objects.create(
        session=session,
        employee=employee,
        from_performance=placement.performance,
        from_potential=placement.potential,
        to_performance=3,
        to_potential=moved.potential,
        reason="Strong audit work.",
        placement=moved,
        moved_by=cast.hr.user,
    )
    SuccessorFactory(employee=employee, notes="Could act up next winter.")
    entry_write(user=manager.user, path=f"/plans/{plan.pk}/", reads=[("pdp.plan", plan.pk, employee.pk)])
    # Someone else's records, which must not appear.
    HeldConversationFactory(employee=cast.other_employee, host=cast.other_manager, statement="Not theirs.")
    return cast


def export(tmp_path, staff_number, by="hr") -> zipfile.ZipFile:
    output = tmp_path / "subject-access.zip"
    call_command("subject_access", staff_number, output=output, by=by)
    return zipfile.ZipFile(output)


def read_json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def test_it_gathers_everything_held_about_the_person(tmp_path, held):
    archive = export(tmp_path, held.employee.staff_number)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "staff-record.json",
        "conversations.json",
        "plans.json",
        "grid.json",
        "notices.json",
        "access-log.json",
        "review-before-disclosure/README.txt",
        "review-before-disclosure/private-notes.json",
    } <= names

    record = read_json(archive, "staff-record.json")
    assert record["employee"]["staff_number"] == held.employee.staff_number
    assert record["user_account"]["email"] == held.employee.user.email
    assert "password" not in json.dumps(record)
    assert record["equality_data"]["age_band_display"] == "25 to 34"
    assert record["career_supporter_entry"]["help_with"] == "Returning to practice after a break."

    conversations = read_json(archive, "conversations.json")
    assert len(conversations) == 2  # the conversation and its review
    talk, review = conversations
    assert talk["statement"] == "I would like to lead shifts."
    assert talk["shared_notes"] == "Agreed: shadowing."
    assert talk["preparation"]["achievements"] == "Led the sepsis audit."
    assert review["follows_id"] == talk["id"]
    assert review["review_changes"][0]["reason"] == "Annual leave."

    (plan,) = read_json(archive, "plans.json")
    assert plan["way_forward"] == "Shadow the charge nurse."
    assert plan["objectives"][0]["title"] == "Be ready to lead a shift"
    assert plan["actions"][0]["progress_notes"] == "Did two handovers."
    assert plan["history"][0]["summary"] == "Action added: Lead a handover"
    pdfs = [name for name in names if name.startswith("plans/")]
    assert len(pdfs) == 1
    assert archive.read(pdfs[0]).startswith(b"%PDF")

    grid = read_json(archive, "grid.json")
    assert [p["employee_comment"] for p in grid["placements"]] == ["I agree with this.", ""]
    assert grid["calibration_moves"][0]["reason"] == "Strong audit work."
    assert grid["successor_entries"][0]["notes"] == "Could act up next winter."

    notices = read_json(archive, "notices.json")
    assert [(n["kind"], n["conversation_id"]) for n in notices] == [("booked", talk["id"])]  # not the manager's

    (read,) = [row for row in read_json(archive, "access-log.json") if row["record_type"] == "pdp.plan"]
    assert read["read_by"] == held.manager.user.username

    content = b"".join(archive.read(name) for name in names if name.endswith(".json")).decode()
    assert "Not theirs." not in content


def test_it_puts_private_notes_apart_for_review_before_disclosure(tmp_path, held):
    archive = export(tmp_path, held.employee.staff_number)
    (note,) = read_json(archive, "review-before-disclosure/private-notes.json")
    assert note["text"] == "Ready for band 6 in a year."
    assert note["author_name"] == held.manager.user.get_full_name()
    readme = archive.read("review-before-disclosure/README.txt").decode()
    assert "REVIEW BEFORE DISCLOSURE: EXEMPTIONS MAY APPLY" in readme
    everything_else = b"".join(
        archive.read(name) for name in archive.namelist() if not name.startswith("review-before-disclosure/")
    )
    assert b"Ready for band 6 in a year." not in everything_else


def test_it_logs_the_run_naming_who_ran_it_and_when(tmp_path, cast):
    with time_machine.travel("2026-03-02 10:30 +00:00", tick=False):
        export(tmp_path, cast.employee.staff_number, by=cast.hr.user.username)
    row = AccessLogRecord.objects.get(record_type="subject_access")
    assert (row.entry.user, row.subject, row.record_id) == (cast.hr.user, cast.employee, cast.employee.pk)
    assert cast.employee.staff_number in row.entry.path
    assert "by hr" in row.entry.path
    assert row.entry.at.isoformat() == "2026-03-02T10:30:00+00:00"


def test_it_writes_a_file_only_its_owner_can_read(tmp_path, cast):
    export(tmp_path, cast.employee.staff_number)
    mode = stat.S_IMODE((tmp_path / "subject-access.zip").stat().st_mode)
    assert mode == 0o600


def test_it_refuses_an_unknown_staff_number_clearly(tmp_path, cast):
    with pytest.raises(CommandError, match="No one has the staff number 'X999'"):
        call_command("subject_access", "X999", output=tmp_path / "out.zip", by="hr")
    assert not (tmp_path / "out.zip").exists()
    assert not AccessLog.objects.exists()


def test_it_refuses_an_unknown_requester(tmp_path, cast):
    with pytest.raises(CommandError, match="no active user"):
        call_command("subject_access", cast.employee.staff_number, output=tmp_path / "out.zip", by="nobody")


def test_it_never_overwrites_a_file(tmp_path, cast):
    output = tmp_path / "out.zip"
    output.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="exists already"):
        call_command("subject_access", cast.employee.staff_number, output=output, by="hr")
    assert output.read_bytes() == b"keep me"


def test_it_records_the_administrator_when_no_one_is_named(tmp_path, cast):
    from people.factories import UserFactory

    with pytest.raises(CommandError, match="--by USERNAME"):
        call_command("subject_access", cast.employee.staff_number, output=tmp_path / "none.zip")
    administrator = UserFactory(username="admin", is_superuser=True)
    call_command("subject_access", cast.employee.staff_number, output=tmp_path / "out.zip")
    assert AccessLogRecord.objects.get(record_type="subject_access").entry.user == administrator
