"""One access log entry per page view, export or list, naming whose records it showed; and
nothing logged for a page that was not shown."""

import pytest
from django.urls import reverse

from grid.factories import PlacementFactory
from grid.views import dashboard as dashboard_views
from people.models import AccessLog, AccessLogRecord


def only_entry() -> AccessLog:
    (entry,) = AccessLog.objects.all()
    return entry


def subjects(entry: AccessLog) -> set[int]:
    return set(AccessLogRecord.objects.filter(entry=entry).values_list("subject_id", flat=True))


@pytest.fixture
def placed(cast):
    return [PlacementFactory(employee=person) for person in (cast.employee, cast.other_employee, cast.manager)]


def test_it_writes_one_entry_for_a_grid_view_naming_everyone_shown(client, cast, placed):
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:dashboard")).status_code == 200
    entry = only_entry()
    assert (entry.user, entry.path, entry.record_types) == (cast.hr.user, reverse("grid:dashboard"), "grid.placement")
    assert (entry.subject_count, entry.record_count) == (3, 3)
    assert subjects(entry) == {placement.employee_id for placement in placed}
    records = set(AccessLogRecord.objects.values_list("record_type", "record_id"))
    assert records == {("grid.placement", placement.pk) for placement in placed}
    assert set(AccessLogRecord.objects.values_list("at", flat=True)) == {entry.at}


def test_it_writes_one_entry_for_a_box_list(client, cast, placed):
    client.force_login(cast.hr.user)
    first = placed[0]
    client.get(reverse("grid:box", args=[first.performance, first.potential]))
    entry = only_entry()
    assert first.employee_id in subjects(entry)


def test_it_writes_one_entry_for_a_streamed_export_however_many_batches(client, cast, placed, monkeypatch):
    monkeypatch.setattr(dashboard_views._Logged, "BATCH", 2)  # three people: two writes
    client.force_login(cast.hr.user)
    response = client.get(reverse("grid:export_csv"))
    b"".join(response.streaming_content)
    entry = only_entry()
    assert (entry.subject_count, entry.record_count, entry.record_types) == (3, 3, "grid.placement")
    assert subjects(entry) == {placement.employee_id for placement in placed}


def test_it_writes_one_entry_for_an_excel_export(client, cast, placed):
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:export_xlsx")).status_code == 200
    assert only_entry().record_count == 3


def test_it_writes_one_entry_for_a_conversation_page_with_both_records(client, cast):
    from conversations.factories import BookedConversationFactory
    from conversations.models import Conversation, Preparation

    career = BookedConversationFactory(employee=cast.employee, host=cast.supporter, kind=Conversation.Kind.CAREER)
    Preparation.objects.create(conversation=career, achievements="Led the audit", shared_at=career.created_at)
    client.force_login(cast.supporter.user)
    client.get(reverse("conversations:detail", args=[career.pk]))
    entry = only_entry()
    assert entry.record_types == "conversations.conversation,conversations.preparation"
    assert (entry.subject_count, entry.record_count) == (1, 2)


def test_it_logs_nothing_for_a_page_that_was_not_shown(client, cast):
    client.force_login(cast.other_manager.user)
    assert client.get(reverse("person_detail", args=[cast.employee.pk])).status_code == 404
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:export_csv"), {"band": "99"}).status_code == 404
    assert not AccessLog.objects.exists()
    assert not AccessLogRecord.objects.exists()
