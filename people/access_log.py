"""The access log: one entry per page view (or export, or subject-access run) that showed
confidential records about other people, with a row for each record it showed.

- Writing: `entry_write` makes the entry and its record rows in two inserts, whatever their
  number; `entry_extend` adds to it (an export streamed after its page was answered). Who calls
  them, and when, is people.access (`log_reads`) and people.middleware.
- Reading: `entries_page` is HR's log page: newest first, by person (the subject of the
  records), reader and dates, a page at a time by keyset (the last entry shown), so that page
  500 costs what page 1 costs. Each filter is one index range: by date
  (`access_log_at`), by reader (`access_log_reader_at`), by person (`access_log_subject_at`,
  on the record rows, which repeat the entry's time), by person and reader
  (`access_log_subject_reader_at`: the record rows repeat the reader too).
- Words: `record_name` and `entry_summary` say what was read in plain words ("Talent
  conversation record of James Okafor", "Grid placements of 45 people").
- Retention: `entries_expire` removes entries older than ACCESS_LOG_RETENTION_YEARS, in
  batches (talentapp.retention runs it daily).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import AccessLog, AccessLogRecord, Employee

Read = tuple[str, int, int]  # (record type, record id, subject's employee id)

# What each record type is, in words: (one, several). A type not named here is shown as stored.
RECORD_NAMES = {
    "people.employee": ("Staff record", "Staff records"),
    "people.equalityprofile": ("Equality data", "Equality data"),
    "conversations.conversation": ("Conversation record", "Conversation records"),
    "conversations.conversation_summary": (
        "Career conversation (who, when and its state only)",
        "Career conversations (who, when and their state only)",
    ),
    "conversations.preparation": ("Shared preparation", "Shared preparations"),
    "pdp.plan": ("Development plan", "Development plans"),
    "grid.placement": ("Grid placement", "Grid placements"),
    "grid.calibrationmove": ("Calibration move", "Calibration moves"),
    "grid.successor": ("Successor entry", "Successor entries"),
    "opportunities.interest": ("Interest in an opportunity", "Interests in opportunities"),
    "subject_access": ("Everything held (subject-access export)", "Everything held (subject-access exports)"),
}
# A conversation record is named by its kind: "Talent conversation record", "6-month review record".
CONVERSATION = "conversations.conversation"
PER_PAGE = 50
LISTED = 5  # an entry of up to this many records lists them; a larger one is summed up
EXPIRE_BATCH = 5000


# Writing


@dataclass
class Entry:
    """An entry being written: the row, and what it holds so far (for its counts)."""

    row: AccessLog
    subjects: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    seen: set[Read] = field(default_factory=set)


def _new(entry: Entry, reads: Iterable[Read]) -> list[Read]:
    """`reads` not yet in `entry` (a record shown twice on a page is one read), noted in it."""
    fresh = []
    for read in reads:
        if read not in entry.seen:
            entry.seen.add(read)
            entry.subjects.add(read[2])
            entry.kinds.add(read[0])
            fresh.append(read)
    return fresh


def _records(entry: Entry, reads: list[Read]) -> None:
    AccessLogRecord.objects.bulk_create(
        [
            AccessLogRecord(
                entry=entry.row,
                record_type=kind,
                record_id=record_id,
                subject_id=subject_id,
                at=entry.row.at,
                reader_id=entry.row.user_id,
            )
            for kind, record_id, subject_id in reads
        ],
        batch_size=5000,
    )


def entry_write(*, user, path: str, reads: Iterable[Read]) -> Entry | None:
    """One entry: `user` read `reads` at `path` (a page's address, an export, a command). None
    when there is nothing to log."""
    entry = Entry(row=AccessLog(user=user, path=path[:300]))
    fresh = _new(entry, reads)
    if not fresh:
        return None
    entry.row.record_types = ",".join(sorted(entry.kinds))[:200]
    entry.row.subject_count = len(entry.subjects)
    entry.row.record_count = len(fresh)
    with transaction.atomic(savepoint=False):  # the entry and its records, or neither
        entry.row.save()
        _records(entry, fresh)
    return entry


def entry_extend(entry: Entry, reads: Iterable[Read]) -> None:
    """Add `reads` to an entry already written (the rest of a streamed export)."""
    subjects_before = len(entry.subjects)
    fresh = _new(entry, reads)
    if not fresh:
        return
    kinds = ",".join(sorted(entry.kinds))[:200]
    with transaction.atomic(savepoint=False):
        _records(entry, fresh)
        AccessLog.objects.filter(pk=entry.row.pk).update(
            record_types=kinds,
            subject_count=F("subject_count") + len(entry.subjects) - subjects_before,
            record_count=F("record_count") + len(fresh),
        )


# Reading: HR's page


@dataclass(frozen=True)
class Cursor:
    """A place in the log, newest first: the entry's time and id. In a URL: microseconds since
    1970, a dash, the id."""

    at: datetime.datetime
    id: int

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    def __str__(self) -> str:
        return f"{(self.at - self.EPOCH) // datetime.timedelta(microseconds=1)}-{self.id}"

    @classmethod
    def parse(cls, text: str) -> "Cursor | None":
        """The cursor in `text`, or None for anything else (the page then starts at the newest)."""
        micros, _, pk = (text or "").partition("-")
        if not (micros.isascii() and micros.isdigit() and pk.isascii() and pk.isdigit()):
            return None
        if len(micros) > 17 or len(pk) > 18:
            return None
        try:
            return cls(at=cls.EPOCH + datetime.timedelta(microseconds=int(micros)), id=int(pk))
        except OverflowError:
            return None


@dataclass(frozen=True)
class LogFilter:
    person: Employee | None = None
    reader: object | None = None  # a user
    since: datetime.date | None = None
    until: datetime.date | None = None  # inclusive


@dataclass
class Shown:
    """One record an entry showed, in words."""

    name: str  # "Talent conversation record"
    subject: Employee


@dataclass
class LogEntry:
    row: AccessLog
    cursor: Cursor
    records: list[Shown] = field(default_factory=list)  # all of them, for a small entry
    summary: str = ""  # for a large one: "Grid placements of 45 people"
    person_records: list[Shown] = field(default_factory=list)  # the filtered person's, in a large one


@dataclass
class LogPage:
    entries: list[LogEntry]
    older: Cursor | None  # where the next (older) page starts
    newer: Cursor | None  # where the previous (newer) page ends


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _keyset(*, before: Cursor | None, after: Cursor | None, id_field: str) -> Q:
    if before is not None:
        return Q(at__lte=before.at) & (Q(at__lt=before.at) | Q(**{f"{id_field}__lt": before.id}))
    if after is not None:
        return Q(at__gte=after.at) & (Q(at__gt=after.at) | Q(**{f"{id_field}__gt": after.id}))
    return Q()


def _dates(log_filter: LogFilter) -> Q:
    q = Q()
    if log_filter.since:
        q &= Q(at__gte=_day_start(log_filter.since))
    if log_filter.until:
        q &= Q(at__lt=_day_start(log_filter.until + datetime.timedelta(days=1)))
    return q


def _entry_keys(log_filter: LogFilter, *, before: Cursor | None, after: Cursor | None) -> list[tuple]:
    """(at, id) of up to PER_PAGE + 1 entries from the cursor on, in the page's direction."""
    descending = after is None
    if log_filter.person is not None:
        rows = AccessLogRecord.objects.filter(
            _keyset(before=before, after=after, id_field="entry_id"), _dates(log_filter), subject=log_filter.person
        )
        if log_filter.reader is not None:
            rows = rows.filter(reader=log_filter.reader)
        order = ("-at", "-entry_id") if descending else ("at", "entry_id")
        return list(rows.order_by(*order).values_list("at", "entry_id").distinct()[: PER_PAGE + 1])
    rows = AccessLog.objects.filter(_keyset(before=before, after=after, id_field="id"), _dates(log_filter))
    if log_filter.reader is not None:
        rows = rows.filter(user=log_filter.reader)
    order = ("-at", "-id") if descending else ("at", "id")
    return list(rows.order_by(*order).values_list("at", "id")[: PER_PAGE + 1])


def entries_page(log_filter: LogFilter, *, before: Cursor | None = None, after: Cursor | None = None) -> LogPage:
    """A page of the log, newest first: the entries older than `before`, or newer than `after`,
    or the newest; each with what it showed in words. A fixed number of queries."""
    keys = _entry_keys(log_filter, before=before, after=after)
    more = len(keys) > PER_PAGE
    keys = keys[:PER_PAGE]
    if after is not None:
        keys.reverse()
    rows = AccessLog.objects.select_related("user").in_bulk([pk for _, pk in keys])
    entries = [LogEntry(row=rows[pk], cursor=Cursor(at=at, id=pk)) for at, pk in keys if pk in rows]
    _describe(entries, person=log_filter.person)
    if after is None:
        older = entries[-1].cursor if more and entries else None
        newer = entries[0].cursor if before is not None and entries else None
    else:
        older = entries[-1].cursor if entries else None
        newer = entries[0].cursor if more and entries else None
    return LogPage(entries=entries, older=older, newer=newer)


def _describe(entries: list[LogEntry], *, person: Employee | None) -> None:
    """Fill in what each entry showed: every record of a small entry, and in a large one, a
    summary and the filtered person's records. Two queries at most."""
    small = [entry.row.pk for entry in entries if entry.row.record_count <= LISTED]
    large = [entry.row.pk for entry in entries if entry.row.record_count > LISTED]
    wanted = Q(entry_id__in=small)
    if person is not None and large:
        wanted |= Q(entry_id__in=large, subject=person)
    records = list(
        AccessLogRecord.objects.filter(wanted).select_related("subject__user").order_by("entry_id", "id")
        if small or (person is not None and large)
        else []
    )
    names = _conversation_names([record.record_id for record in records if record.record_type == CONVERSATION])
    by_entry: dict[int, list[Shown]] = {}
    for record in records:
        by_entry.setdefault(record.entry_id, []).append(
            Shown(name=names.get(record.record_id) or record_name(record.record_type), subject=record.subject)
        )
    for entry in entries:
        shown = by_entry.get(entry.row.pk, [])
        if entry.row.record_count <= LISTED:
            entry.records = shown
        else:
            entry.summary = entry_summary(entry.row)
            entry.person_records = shown


def _conversation_names(ids: list[int]) -> dict[int, str]:
    """A conversation record's name by its kind ("Talent conversation record"), looked up once
    for the page. The model is looked up by name: `people` is below the apps that build on it."""
    if not ids:
        return {}
    model = apps.get_model("conversations", "Conversation")
    labels = dict(model.Kind.choices)
    return {
        pk: f"{labels.get(kind, 'Conversation')} record"
        for pk, kind in model.objects.filter(pk__in=ids).values_list("pk", "kind")
    }


def record_name(record_type: str, *, several: bool = False) -> str:
    one, many = RECORD_NAMES.get(record_type, (record_type, record_type))
    return many if several else one


def entry_summary(row: AccessLog) -> str:
    """A large entry in words: "Grid placements of 45 people"."""
    kinds = [record_name(kind, several=True) for kind in row.record_types.split(",") if kind]
    if len(kinds) > 1:
        kinds = [", ".join(kinds[:-1]) + " and " + kinds[-1].lower()]
    what = kinds[0] if kinds else "Records"
    people = "1 person" if row.subject_count == 1 else f"{row.subject_count:,} people"
    return f"{what} of {people}"


def entry_records(entry: AccessLog, *, after: int | None = None, size: int = 100) -> tuple[list[Shown], int | None]:
    """The records one entry showed, in the order written, `size` at a time after record id
    `after`; and where the next batch starts (None: no more)."""
    rows = AccessLogRecord.objects.filter(entry=entry).select_related("subject__user").order_by("id")
    if after is not None:
        rows = rows.filter(id__gt=after)
    records = list(rows[: size + 1])
    more = len(records) > size
    records = records[:size]
    names = _conversation_names([record.record_id for record in records if record.record_type == CONVERSATION])
    shown = [
        Shown(name=names.get(record.record_id) or record_name(record.record_type), subject=record.subject)
        for record in records
    ]
    return shown, (records[-1].pk if more else None)


# Retention


def expiry_cutoff(now: datetime.datetime) -> datetime.datetime:
    """Entries from before this moment are past ACCESS_LOG_RETENTION_YEARS."""
    local = timezone.localtime(now)
    try:
        return local.replace(year=local.year - settings.ACCESS_LOG_RETENTION_YEARS)
    except ValueError:  # 29 February
        return local.replace(year=local.year - settings.ACCESS_LOG_RETENTION_YEARS, day=28)


def entries_expire(*, now: datetime.datetime, dry_run: bool = False) -> int:
    """Remove the entries (and their records) older than ACCESS_LOG_RETENTION_YEARS, a batch at a
    time so that no transaction holds millions of rows; how many entries (would be) removed."""
    old = AccessLog.objects.filter(at__lt=expiry_cutoff(now))
    if dry_run:
        return old.count()
    removed = 0
    while ids := list(old.order_by("at", "id").values_list("id", flat=True)[:EXPIRE_BATCH]):
        with transaction.atomic():
            AccessLogRecord.objects.filter(entry_id__in=ids).delete()
            removed += AccessLog.objects.filter(id__in=ids).delete()[1].get(AccessLog._meta.label, 0)
    return removed
