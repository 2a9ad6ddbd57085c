"""The staff filters every app shares: a part of the organisation, and the staff search."""

import pytest

from people.factories import DepartmentFactory, EmployeeFactory, UserFactory
from people.models import Department, Employee
from people.selectors import in_department_tree, sites_in_use, staff_search

pytestmark = pytest.mark.django_db


def found(q) -> set[Employee]:
    return set(Employee.objects.filter(q))


def test_it_takes_in_a_directorate_its_departments_and_their_teams():
    department = DepartmentFactory()
    team = department.children.create(name="Ward 7", level=Department.Level.TEAM)
    in_department, in_team = EmployeeFactory(department=department), EmployeeFactory(department=team)
    EmployeeFactory()  # another directorate
    assert found(in_department_tree(department.parent)) == {in_department, in_team}
    assert found(in_department_tree(team)) == {in_team}


def test_it_follows_a_path_from_another_model():
    manager = EmployeeFactory()
    report = EmployeeFactory(line_manager=manager)
    EmployeeFactory(line_manager=EmployeeFactory())
    assert found(in_department_tree(manager.department.parent, through="line_manager__")) == {report}
    assert found(staff_search(manager.staff_number, through="line_manager__")) == {report}


def test_it_searches_names_and_job_titles_in_part_and_staff_numbers_whole():
    person = EmployeeFactory(
        user=UserFactory(first_name="Adaeze", last_name="Okonkwo"), job_title="Ward Sister", staff_number="20481234"
    )
    EmployeeFactory(staff_number="20481235")
    for query in ("adae", "KONK", "ward sis", "20481234"):
        assert found(staff_search(query)) == {person}, query
    assert found(staff_search("2048")) == set()


def test_it_drops_nul_characters_from_the_search():
    # PostgreSQL refuses NUL in text: a query holding one would fail the page, not find nobody.
    person = EmployeeFactory(user=UserFactory(last_name="Okonkwo"), staff_number="20481234")
    EmployeeFactory()
    assert found(staff_search("Okon\x00kwo")) == {person}
    assert found(staff_search("2048\x001234")) == {person}


def test_it_finds_a_full_name_in_either_order():
    sarah = EmployeeFactory(user=UserFactory(first_name="Sarah", last_name="Thompson"), job_title="Matron")
    EmployeeFactory(user=UserFactory(first_name="Sarah", last_name="Okafor"))
    EmployeeFactory(user=UserFactory(first_name="James", last_name="Thompson"))
    for query in ("Sarah Thompson", "Thompson Sarah", "thompson, sarah", "  sarah   thom ", "Sarah Matron"):
        assert found(staff_search(query)) == {sarah}, query


def test_it_ignores_accents_on_either_side():
    sinead = EmployeeFactory(user=UserFactory(first_name="Sinéad", last_name="Ó Súilleabháin"))
    zoe = EmployeeFactory(user=UserFactory(first_name="Zoe", last_name="Lewandowska"))
    EmployeeFactory(user=UserFactory(first_name="Sian", last_name="Jones"))
    for query in ("sinead", "SINÉAD o suilleabhain", "Suilleabháin"):
        assert found(staff_search(query)) == {sinead}, query
    assert found(staff_search("Zoë")) == {zoe}


def test_it_lists_each_site_in_use_once_in_order():
    for site in ["St Anne's", "", "Riverside General", "St Anne's", "Castle Hill", "Riverside General"]:
        EmployeeFactory(site=site)
    assert sites_in_use() == ["Castle Hill", "Riverside General", "St Anne's"]


def test_it_lists_no_sites_before_there_are_staff():
    assert sites_in_use() == []
