"""The access log becomes one entry per page view, with a row for each record it showed.

Each old row (one read) becomes a record row. Rows that one page view wrote (the same reader
and address, written within a second of each other) become one entry; the first row of the
group is kept as the entry, the others go once their record rows point at it."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SAME_VIEW = datetime.timedelta(seconds=1)
BATCH = 5000


def _flush(AccessLog, AccessLogRecord, group):
    first = group[0]
    AccessLogRecord.objects.bulk_create(
        [
            AccessLogRecord(
                entry_id=first.pk,
                subject_id=row.subject_id,
                record_type=row.record_type,
                record_id=row.record_id,
                at=first.at,
                reader_id=first.user_id,
            )
            for row in group
        ],
        batch_size=BATCH,
    )
    AccessLog.objects.filter(pk=first.pk).update(
        record_types=",".join(sorted({row.record_type for row in group}))[:200],
        subject_count=len({row.subject_id for row in group}),
        record_count=len(group),
    )
    others = [row.pk for row in group[1:]]
    for start in range(0, len(others), BATCH):
        AccessLog.objects.filter(pk__in=others[start : start + BATCH]).delete()


def rows_into_entries(apps, schema_editor):
    AccessLog = apps.get_model("people", "AccessLog")
    AccessLogRecord = apps.get_model("people", "AccessLogRecord")
    rows = AccessLog.objects.order_by("user_id", "path", "at", "pk").only(
        "pk", "user_id", "path", "at", "subject_id", "record_type", "record_id"
    )
    group = []
    for row in rows.iterator(chunk_size=BATCH):
        if group and (
            row.user_id != group[-1].user_id or row.path != group[-1].path or row.at - group[-1].at > SAME_VIEW
        ):
            _flush(AccessLog, AccessLogRecord, group)
            group = []
        group.append(row)
    if group:
        _flush(AccessLog, AccessLogRecord, group)


def entries_into_rows(apps, schema_editor):
    """Back again: a row for each record, the entry's reader, address and time on each."""
    AccessLog = apps.get_model("people", "AccessLog")
    AccessLogRecord = apps.get_model("people", "AccessLogRecord")
    for entry in AccessLog.objects.order_by("pk").iterator(chunk_size=BATCH):
        records = list(AccessLogRecord.objects.filter(entry_id=entry.pk).order_by("pk"))
        if not records:
            continue
        first, rest = records[0], records[1:]
        AccessLog.objects.filter(pk=entry.pk).update(
            subject_id=first.subject_id, record_type=first.record_type, record_id=first.record_id
        )
        AccessLog.objects.bulk_create(
            [
                AccessLog(
                    user_id=entry.user_id,
                    path=entry.path,
                    at=entry.at,
                    subject_id=record.subject_id,
                    record_type=record.record_type,
                    record_id=record.record_id,
                )
                for record in rest
            ],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0005_access_log_entries")]

    operations = [
        migrations.RunPython(rows_into_entries, entries_into_rows, elidable=True),
    ]
