"""The access log's rows of one read each become entries: the rows one page view wrote (same
reader, same address, within a second) become one entry with a record row for each read."""

import datetime

import pytest

from tests.migrations import migrate, migrate_to_latest

BEFORE = [("people", "0004_staff_import_jobs")]
AFTER = [("people", "0005_access_log_entries_finish")]


@pytest.mark.django_db(transaction=True)
def test_it_groups_each_page_views_rows_into_one_entry():
    old = migrate(BEFORE)
    User, Department, Employee = (
        old.get_model("auth", "User"),
        old.get_model("people", "Department"),
        old.get_model("people", "Employee"),
    )
    AccessLog = old.get_model("people", "AccessLog")
    organisation = Department.objects.create(name="Trust", level=0)
    reader = User.objects.create(username="reader")
    people = [
        Employee.objects.create(
            user=User.objects.create(username=f"p{n}"), staff_number=f"{n}", band="5", department=organisation,
            start_date=datetime.date(2020, 1, 1),
        )
        for n in range(3)
    ]  # fmt: skip
    at = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    rows = [
        # one grid view: three placements, within a second
        *[(people[n], "grid.placement", 10 + n, "/grid/", at + datetime.timedelta(milliseconds=n)) for n in range(3)],
        # the same page an hour later: another view
        (people[0], "grid.placement", 10, "/grid/", at + datetime.timedelta(hours=1)),
        # another page at the same moment
        (people[1], "people.employee", people[1].pk, "/people/2/", at),
    ]
    for subject, kind, record_id, path, when in rows:
        row = AccessLog.objects.create(user=reader, subject=subject, record_type=kind, record_id=record_id, path=path)
        AccessLog.objects.filter(pk=row.pk).update(at=when)

    new = migrate(AFTER)
    Entry, Record = new.get_model("people", "AccessLog"), new.get_model("people", "AccessLogRecord")
    entries = list(
        Entry.objects.order_by("at", "path").values_list("path", "record_types", "subject_count", "record_count")
    )
    assert entries == [
        ("/grid/", "grid.placement", 3, 3),
        ("/people/2/", "people.employee", 1, 1),
        ("/grid/", "grid.placement", 1, 1),
    ]
    first = Entry.objects.get(path="/grid/", record_count=3)
    records = Record.objects.filter(entry=first)
    assert set(records.values_list("subject_id", "record_id")) == {(people[n].pk, 10 + n) for n in range(3)}
    assert set(records.values_list("at", "reader_id")) == {(first.at, reader.pk)}
    assert Record.objects.count() == 5

    migrate([("people", "0004_staff_import_jobs")])  # and back: a row per read again
    assert old.get_model("people", "AccessLog").objects.count() == 5
    migrate_to_latest()  # leave the database as found
