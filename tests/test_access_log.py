"""The access log is complete and truthful: what was shown is logged as what it was, a refused
read logs nothing, and searched words never reach it. Career conversations show HR only that
they took place."""

from django.urls import reverse
from django.utils import timezone

from conversations.factories import BookedConversationFactory, ConversationFactory, HeldConversationFactory
from conversations.models import Conversation, Preparation
from grid.factories import CalibrationSessionFactory, CriticalRoleFactory, PlacementFactory, SuccessorFactory
from grid.services import calibration_move
from people.models import AccessLog, AccessLogRecord, EqualityProfile


def logged(**filters) -> list[tuple[str, int]]:
    return list(AccessLogRecord.objects.filter(**filters).values_list("record_type", "subject_id"))


def test_it_logs_nothing_for_a_refused_read(client, cast):
    conversation = ConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.senior_manager.user)  # may read the conversation, not write its record
    assert client.get(reverse("conversations:record", args=[conversation.pk])).status_code == 404
    assert client.get(reverse("conversations:book", args=[conversation.pk])).status_code == 404
    assert AccessLog.objects.count() == 0
    assert client.get(reverse("conversations:detail", args=[conversation.pk])).status_code == 200
    assert logged() == [("conversations.conversation", cast.employee.pk)]


def test_it_shows_hr_only_that_a_career_conversation_took_place(client, cast):
    career = BookedConversationFactory(
        employee=cast.employee,
        host=cast.supporter,
        kind=Conversation.Kind.CAREER,
        statement="PLANTED-STATEMENT I want to leave nursing",
        shared_notes="PLANTED-NOTES",
    )
    client.force_login(cast.hr.user)
    response = client.get(reverse("conversations:detail", args=[career.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert cast.employee.full_name in content
    assert "Booked" in content
    assert "PLANTED" not in content
    assert logged() == [("conversations.conversation_summary", cast.employee.pk)]
    assert "PLANTED" not in client.get(reverse("conversations:list")).content.decode()


def test_it_shows_the_career_conversation_to_its_two_people(client, cast):
    career = BookedConversationFactory(
        employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER, statement="PLANTED-STATEMENT"
    )
    for person in (cast.employee, cast.supporter):
        client.force_login(person.user)
        assert "PLANTED-STATEMENT" in client.get(reverse("conversations:detail", args=[career.pk])).content.decode()


def test_it_logs_a_supporter_reading_shared_preparation_as_the_preparation(client, cast):
    career = BookedConversationFactory(employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER)
    Preparation.objects.create(conversation=career, achievements="Led the audit", shared_at=timezone.now())
    client.force_login(cast.supporter.user)
    client.get(reverse("conversations:detail", args=[career.pk]))
    assert sorted(logged()) == [
        ("conversations.conversation", cast.employee.pk),
        ("conversations.preparation", cast.employee.pk),
    ]


def test_it_logs_the_current_placement_shown_on_the_placing_form(client, cast):
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.manager.user)
    assert client.get(reverse("grid:place", args=[cast.employee.pk])).status_code == 200
    assert logged(record_type="grid.placement") == [("grid.placement", cast.employee.pk)]


def test_it_logs_the_moves_shown_in_a_calibration_session(client, cast):
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    PlacementFactory(employee=cast.employee, performance=2, potential=2)
    calibration_move(
        session=session, employee=cast.employee, performance=3, potential=2, reason="Evidence", moved_by=cast.hr.user
    )
    AccessLog.objects.all().delete()
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:calibration_session", args=[session.pk])).status_code == 200
    assert ("grid.calibrationmove", cast.employee.pk) in logged()


def test_it_logs_the_successors_shown_on_a_critical_role(client, cast):
    role = CriticalRoleFactory(incumbent=cast.manager)
    SuccessorFactory(role=role, employee=cast.employee)
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:succession_role", args=[role.pk])).status_code == 200
    assert logged(record_type="grid.successor") == [("grid.successor", cast.employee.pk)]


def test_it_logs_hr_opening_a_persons_equality_data(client, cast):
    EqualityProfile.objects.create(employee=cast.employee, sex=EqualityProfile.Sex.FEMALE)
    client.force_login(cast.hr.user)
    assert client.get(reverse("admin:people_employee_change", args=[cast.employee.pk])).status_code == 200
    assert logged(record_type="people.equalityprofile") == [("people.equalityprofile", cast.employee.pk)]


def test_it_keeps_searched_words_out_of_the_log(client, cast):
    HeldConversationFactory(employee=cast.employee, host=cast.manager)
    client.force_login(cast.hr.user)
    client.get(reverse("person_detail", args=[cast.employee.pk]), {"q": "Okafor", "page": "2"})
    assert list(AccessLog.objects.values_list("path", flat=True)) == [
        reverse("person_detail", args=[cast.employee.pk]) + "?q=…&page=2"
    ]
