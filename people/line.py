"""Who is in whose line, kept as a closure table (people.models.LineLink: manager, report,
depth) derived from Employee.line_manager, so that the access rules read a line with one
indexed lookup instead of walking the management chain on every page.

One service keeps it: `line_links_refresh(employee_ids)`, given the people whose line
manager changed (or who are new), rewrites their links and those of everyone below them;
given None, it rebuilds the whole table. It is called

- by a signal for writes of one record through `Employee.save()` and `delete()`
  (administration, the factories, any service): `employee_saved` and `employee_deleted`
  below, connected in people.apps;
- explicitly by the writes that bypass signals: the staff import (people.importer, for the
  people it created or moved) and the demo seed (people.demo, a rebuild);
- by the migration that added the table, and `python manage.py line_links_rebuild` (a repair).

A change that would make someone their own manager, directly or round a chain, is refused
(people.models.Employee.clean for forms, `Refused` here for everything else).

`line_places(manager)` is what a line spans (its sites, and the directorates and departments
among each person's unit and the two above it), for the filters a manager is offered. Reading
it walks the whole line (a director's 20,000 people: about 35 ms on PostgreSQL), so it is
kept in the cache per manager, under a staff version that every write of staff records or
units moves on (`staff_records_changed`: the same signals and explicit calls as the links,
for every field). Offering a stale choice for a while would be harmless, as the line bounds
every query a filter narrows, so the entry also lapses after PLACES_KEPT_FOR.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from core.cache import from_cache
from core.refusal import Refused

from .access import line_of
from .models import CYCLE_REFUSAL, Department, Employee, LineLink

CHUNK = 500  # ids per IN (...): well under SQLite's limit on parameters
REBUILD_FROM = 2_000  # from this many people to rewrite, rebuilding the whole table takes fewer queries
NO_MANAGER_LOADED = object()
PLACES_KEPT_FOR = 600  # seconds
STAFF_VERSION_KEY = "people:staff-version"
FILTER_LEVELS = (Department.Level.DIRECTORATE, Department.Level.DEPARTMENT)  # the units a filter offers


def line_links_refresh(employee_ids: Iterable[int] | None = None) -> None:
    """Bring the line links up to date for `employee_ids` (people whose line manager changed, or
    who are new) and everyone below them; None rebuilds the whole table. Refused if the line
    managers now make a cycle (nothing is written then)."""
    staff_records_changed()
    with transaction.atomic():
        moved = None if employee_ids is None else set(employee_ids)
        if moved is None or len(moved) >= REBUILD_FROM:
            affected = None
            _cycle_check(dict(Employee.objects.values_list("pk", "line_manager_id")), roots_outside=False)
        else:
            affected = _people_below(moved)
        if affected is None or len(affected) >= REBUILD_FROM:
            LineLink.objects.all().delete()
            _links_insert(None)
            return
        chunks = _chunks(sorted(affected))
        for chunk in chunks:
            LineLink.objects.filter(report_id__in=chunk).delete()
        for chunk in chunks:
            _links_insert(chunk)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _people_below(moved: set[int]) -> set[int]:
    """`moved` and everyone below them as the line managers now stand, one query per level;
    Refused if a moved person now sits below themselves."""
    parent_of = {}
    for chunk in _chunks(sorted(moved)):
        parent_of.update(Employee.objects.filter(pk__in=chunk).values_list("pk", "line_manager_id"))
    frontier = set(parent_of)
    while frontier:
        found = []
        for chunk in _chunks(sorted(frontier)):
            found += Employee.objects.filter(line_manager_id__in=chunk).values_list("pk", "line_manager_id")
        frontier = {pk for pk, _ in found if pk not in parent_of}
        parent_of.update(found)
    _cycle_check(parent_of, roots_outside=True)
    return set(parent_of)


def _cycle_check(parent_of: dict[int, int | None], *, roots_outside: bool) -> None:
    """Refused unless every person in `parent_of` is reached going down from a root: someone with
    no manager or (roots_outside) a manager outside `parent_of`, whose chain is unchanged."""
    children: dict[int | None, list[int]] = {}
    roots = []
    for pk, parent in parent_of.items():
        if parent is None or (roots_outside and parent not in parent_of):
            roots.append(pk)
        else:
            children.setdefault(parent, []).append(pk)
    reached, stack = 0, roots
    while stack:
        pk = stack.pop()
        reached += 1
        stack.extend(children.get(pk, ()))
    if reached != len(parent_of):
        raise Refused(CYCLE_REFUSAL)


def _links_insert(report_ids: list[int] | None) -> None:
    """Insert the links of `report_ids` (None: everyone) by walking up each one's chain in the
    database; the depth bound only stops a runaway walk, cycles having been refused already."""
    employee = connection.ops.quote_name(Employee._meta.db_table)
    link = connection.ops.quote_name(LineLink._meta.db_table)
    only = f" AND id IN ({', '.join(['%s'] * len(report_ids))})" if report_ids is not None else ""
    sql = (
        "WITH RECURSIVE up(report_id, manager_id, depth) AS ("
        f" SELECT id, line_manager_id, 1 FROM {employee} WHERE line_manager_id IS NOT NULL{only}"
        f" UNION ALL SELECT up.report_id, e.line_manager_id, up.depth + 1 FROM up"
        f" JOIN {employee} e ON e.id = up.manager_id WHERE e.line_manager_id IS NOT NULL AND up.depth < 1000"
        f") INSERT INTO {link} (manager_id, report_id, depth) SELECT manager_id, report_id, depth FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, report_ids or [])


# Single records written through the ORM ---------------------------------------------------------


def employee_saved(sender, instance: Employee, created: bool, update_fields=None, **kwargs) -> None:
    """After Employee.save(): refresh the links if the line manager was set or changed."""
    staff_records_changed()  # any field: a site or a unit changes what the line spans
    if update_fields is not None and not {"line_manager", "line_manager_id"} & set(update_fields):
        return
    saved = getattr(instance, "_line_manager_id_saved", NO_MANAGER_LOADED)
    if not created and saved == instance.line_manager_id:
        return
    if not created:
        line_links_refresh([instance.pk])
    elif instance.line_manager_id is not None:  # someone new has nobody below them yet
        _links_insert([instance.pk])
    instance._line_manager_id_saved = instance.line_manager_id


def employee_deleting(sender, instance: Employee, **kwargs) -> None:
    """Before a delete: note the direct reports, whose manager the delete clears (in SQL, unseen)."""
    instance._reports_before_delete = list(Employee.objects.filter(line_manager=instance).values_list("pk", flat=True))


def employee_deleted(sender, instance: Employee, **kwargs) -> None:
    """After a delete: the person's own links went with them; their reports' chains now stop."""
    staff_records_changed()
    if reports := getattr(instance, "_reports_before_delete", None):
        line_links_refresh(reports)


def signals_connect() -> None:
    post_save.connect(employee_saved, sender=Employee, dispatch_uid="line_links_saved")
    pre_delete.connect(employee_deleting, sender=Employee, dispatch_uid="line_links_deleting")
    post_delete.connect(employee_deleted, sender=Employee, dispatch_uid="line_links_deleted")
    post_save.connect(_unit_changed, sender=Department, dispatch_uid="line_places_unit_saved")
    post_delete.connect(_unit_changed, sender=Department, dispatch_uid="line_places_unit_deleted")


def _unit_changed(sender, **kwargs) -> None:
    staff_records_changed()


# What a line spans, for filter choices ---------------------------------------------------------


@dataclass(frozen=True)
class LinePlaces:
    sites: list[str]  # in order, without the empty site
    units: frozenset[int]  # the directorates and departments among each person's unit and the two above it


def _version_bump() -> None:
    if not cache.add(STAFF_VERSION_KEY, 1, timeout=None):
        try:
            cache.incr(STAFF_VERSION_KEY)
        except ValueError:  # gone between the two calls
            cache.add(STAFF_VERSION_KEY, 1, timeout=None)


def staff_records_changed() -> None:
    """Move the staff version on, now and again once the write commits (a reader in between may
    have cached what it read before the commit): every cached `line_places` is then read
    afresh. Called for each staff record or unit written, and by the staff import. If the cache
    does not answer, what it holds lapses with its time (PLACES_KEPT_FOR)."""

    def bump() -> None:
        from_cache(_version_bump, None)

    bump()
    transaction.on_commit(bump)


def line_places(manager: Employee) -> LinePlaces:
    """The sites and units of the people in `manager`'s line, from the cache while the staff
    records are unchanged (at most PLACES_KEPT_FOR), else in one pass over the line."""
    version = from_cache(lambda: cache.get(STAFF_VERSION_KEY, 0), None)
    key = None if version is None else f"people:line-places:{version}:{manager.pk}"
    places = None if key is None else from_cache(lambda: cache.get(key), None)
    if places is None:
        found = (
            line_of(manager)
            .order_by()
            .values_list(
                "site",
                "department",
                "department__level",
                "department__parent",
                "department__parent__level",
                "department__parent__parent",
                "department__parent__parent__level",
            )
            .distinct()
        )
        sites, units = set(), set()
        for site, *chain in found:
            sites.add(site)
            units.update(unit for unit, level in zip(chain[::2], chain[1::2], strict=True) if level in FILTER_LEVELS)
        places = LinePlaces(sites=sorted(sites - {""}), units=frozenset(units))
        if key is not None:
            from_cache(lambda: cache.set(key, places, PLACES_KEPT_FOR), None)
    return places
