"""The staff filters every app shares: a part of the organisation."""

import pytest

from people.factories import DepartmentFactory, EmployeeFactory
from people.models import Department, Employee
from people.selectors import in_department_tree

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
