"""The staff filters every app shares: a part of the organisation, and the staff search."""

import pytest

from people.factories import DepartmentFactory, EmployeeFactory, UserFactory
from people.models import Department, Employee
from people.selectors import in_department_tree, staff_search

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
