"""The line links (people.line): who is in whose line, kept right through every way a line
manager changes, and read by the access rules."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from core.refusal import Refused
from people.access import is_in_line, line_of
from people.factories import DepartmentFactory, EmployeeFactory
from people.line import line_links_refresh, line_places
from people.models import Department, Employee, LineLink
from people.tests.test_import_staff import csv_text, person, write

pytestmark = pytest.mark.django_db


def links() -> set[tuple[int, int, int]]:
    return set(LineLink.objects.values_list("manager_id", "report_id", "depth"))


def links_from_the_line_managers() -> set[tuple[int, int, int]]:
    """What the links should be: each person's chain walked up from the staff records."""
    manager_of = dict(Employee.objects.values_list("pk", "line_manager_id"))
    expected = set()
    for pk in manager_of:
        manager, depth = manager_of[pk], 1
        while manager is not None:
            expected.add((manager, pk, depth))
            manager, depth = manager_of[manager], depth + 1
    return expected


def import_file(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("import_staff", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def chain():
    """director > head > manager > two reports, and a second head with nobody below."""
    director = EmployeeFactory()
    head = EmployeeFactory(line_manager=director)
    manager = EmployeeFactory(line_manager=head)
    reports = [EmployeeFactory(line_manager=manager) for _ in range(2)]
    other_head = EmployeeFactory(line_manager=director)
    return director, head, manager, reports, other_head


def test_it_links_everyone_to_each_manager_above_them(chain):
    director, head, manager, reports, _ = chain

    assert links() == links_from_the_line_managers()
    assert (director.pk, reports[0].pk, 3) in links()
    assert set(line_of(head)) == {manager, *reports}
    assert is_in_line(director, reports[1])
    assert not is_in_line(reports[1], director)


def test_it_moves_a_whole_line_when_its_manager_moves(chain):
    director, head, manager, reports, other_head = chain

    manager.line_manager = other_head
    manager.save()

    assert links() == links_from_the_line_managers()
    assert set(line_of(head)) == set()
    assert set(line_of(other_head)) == {manager, *reports}
    assert (director.pk, reports[0].pk, 3) in links()


def test_it_ends_a_chain_when_someone_loses_their_manager(chain):
    director, _head, manager, reports, _ = chain

    manager.line_manager = None
    manager.save(update_fields=["line_manager"])

    assert links() == links_from_the_line_managers()
    assert not is_in_line(director, reports[0])
    assert is_in_line(manager, reports[0])


def test_it_ignores_saves_that_leave_the_line_manager_alone(chain, django_assert_num_queries):
    _, _, manager, _, _ = chain
    manager = Employee.objects.get(pk=manager.pk)
    manager.job_title = "Matron"

    with django_assert_num_queries(1):
        manager.save()


def test_it_cuts_the_reports_of_someone_deleted_from_the_line_above(chain):
    director, head, manager, reports, _ = chain

    manager.delete()

    assert links() == links_from_the_line_managers()
    assert not is_in_line(director, reports[0])
    assert not is_in_line(head, reports[1])


def test_it_refuses_a_line_manager_from_within_the_persons_own_line(chain):
    _, head, _manager, reports, _ = chain
    head.line_manager = reports[0]

    with pytest.raises(ValidationError) as refused:
        head.full_clean()
    assert "line_manager" in refused.value.message_dict

    before = links()
    with pytest.raises(Refused), transaction.atomic():
        head.save()
    assert links() == before == links_from_the_line_managers()


def test_it_keeps_the_links_of_leavers_and_their_reports(tmp_path):
    rows = [person("S1"), person("S2", "S1"), person("S3", "S2"), person("S4", "S3")]
    import_file(write(tmp_path, csv_text(rows)))

    leaving = [person("S1"), person("S2", "S1", leaving_date="01/01/2026"), person("S3", "S2"), person("S4", "S3")]
    header = [*csv_text([]).strip().split(","), "leaving_date"]
    import_file(write(tmp_path, csv_text(leaving, header=header), name="leavers.csv"))

    assert Employee.objects.get(staff_number="S2").left_on is not None
    assert links() == links_from_the_line_managers()
    assert len(links()) == 3 + 2 + 1


def test_it_follows_the_staff_import_adding_and_moving_people(tmp_path):
    rows = [person("S1"), person("S2", "S1"), person("S3", "S2"), person("S4", "S3"), person("S5", "S1")]
    import_file(write(tmp_path, csv_text(rows)))
    assert links() == links_from_the_line_managers()
    assert len(links()) == 1 + 2 + 3 + 1

    moved = [person("S1"), person("S2", "S1"), person("S3", "S5"), person("S4", "S3"), person("S5", "S1")]
    moved.append(person("S6", "S4"))
    import_file(write(tmp_path, csv_text(moved), name="moved.csv"))

    assert links() == links_from_the_line_managers()
    by_number = dict(Employee.objects.values_list("staff_number", "pk"))
    assert (by_number["S5"], by_number["S6"], 3) in links()
    assert not LineLink.objects.filter(manager_id=by_number["S2"], report_id=by_number["S4"]).exists()


def test_it_refuses_an_import_that_makes_a_cycle_and_keeps_the_links(tmp_path):
    import_file(write(tmp_path, csv_text([person("S1"), person("S2", "S1"), person("S3", "S2")])))
    before = links()

    with pytest.raises(CommandError, match="nothing was imported"):
        import_file(write(tmp_path, csv_text([person("S1", "S3"), person("S2", "S1"), person("S3", "S2")]), "c.csv"))

    assert links() == before == links_from_the_line_managers()


def test_it_rebuilds_the_links_from_the_line_managers(chain):
    LineLink.objects.all().delete()
    Employee.objects.filter(pk=chain[2].pk).update(line_manager=chain[4])  # behind the site's back

    out = io.StringIO()
    call_command("line_links_rebuild", stdout=out)

    assert links() == links_from_the_line_managers()
    assert "Rebuilt the line links: 10" in out.getvalue()


def test_it_rewrites_the_whole_table_for_a_large_move(chain, monkeypatch):
    monkeypatch.setattr("people.line.REBUILD_FROM", 2)
    _director, _head, _manager, reports, other_head = chain
    Employee.objects.filter(pk__in=[r.pk for r in reports]).update(line_manager=other_head)

    line_links_refresh([r.pk for r in reports])

    assert links() == links_from_the_line_managers()
    assert set(line_of(other_head)) == set(reports)


def test_what_a_line_spans_follows_each_staff_record_and_unit_saved(chain):
    _, head, _, reports, _ = chain
    assert line_places(head).sites == sorted({report.site for report in reports} - {""})

    reports[0].site = "Castle Hill"
    reports[0].save()
    assert "Castle Hill" in line_places(head).sites
    assert reports[0].department_id in line_places(head).units

    directorate = DepartmentFactory(name="Surgery")
    unit = reports[1].department
    unit.parent = directorate
    unit.save()
    assert directorate.pk in line_places(head).units


def test_what_a_line_spans_is_the_directorates_and_departments_a_filter_offers_not_the_teams(chain):
    _, head, _, reports, _ = chain
    department = reports[0].department
    team = DepartmentFactory(name="Night team", level=Department.Level.TEAM, parent=department)
    reports[0].department = team
    reports[0].save()

    units = line_places(head).units
    assert {department.pk, department.parent_id} <= units
    assert team.pk not in units


def test_what_a_line_spans_follows_the_staff_import(tmp_path):
    import_file(write(tmp_path, csv_text([person("S1"), person("S2", "S1")])))
    manager = Employee.objects.get(staff_number="S1")
    assert line_places(manager).sites == ["Riverside General"]

    moved = [person("S1"), person("S2", "S1", site="Moorside", department="Renal")]
    import_file(write(tmp_path, csv_text(moved), name="moved.csv"))

    places = line_places(manager)
    assert places.sites == ["Moorside"]
    assert Employee.objects.get(staff_number="S2").department_id in places.units
