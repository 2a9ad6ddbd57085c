import pytest
from django.urls import reverse

from grid.factories import PlacementFactory
from grid.tests.bulk import staff_with_placements
from people.models import AccessLogRecord


def url(performance=3, potential=3, **params):
    return reverse("grid:box", args=[performance, potential])


def test_it_lists_everyone_in_a_box_by_name(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    PlacementFactory(employee=cast.other_employee, performance=3, potential=3)
    PlacementFactory(employee=cast.manager, performance=2, potential=3)
    client.force_login(cast.hr.user)
    response = client.get(url())
    people = [placement.employee for placement in response.context["page"].object_list]
    assert set(people) == {cast.employee, cast.other_employee}
    assert "Ready for promotion now" in response.content.decode()


def test_it_keeps_a_manager_to_their_line(client, cast):
    PlacementFactory(employee=cast.employee, performance=3, potential=3)
    PlacementFactory(employee=cast.other_employee, performance=3, potential=3)
    client.force_login(cast.manager.user)
    # A department outside the line is not one a manager may choose: the line stays the limit.
    response = client.get(url(), {"department": cast.other_employee.department_id})
    assert [placement.employee for placement in response.context["page"].object_list] == [cast.employee]
    response = client.get(url())
    assert [placement.employee for placement in response.context["page"].object_list] == [cast.employee]


def test_it_pages_a_large_box(client, cast):
    staff_with_placements(200, department=cast.employee.department, line_manager=cast.manager)
    client.force_login(cast.hr.user)
    response = client.get(url(1, 1))
    page = response.context["page"]
    assert page.paginator.count == 20  # every ninth of the 180 placed
    response = client.get(url(2, 2), {"page": "999"})
    assert response.status_code == 200


@pytest.mark.parametrize("box", ["/grid/box/4/1/", "/grid/box/0/2/", "/grid/box/a/b/"])
def test_it_answers_404_for_a_box_that_does_not_exist(client, cast, box):
    client.force_login(cast.hr.user)
    assert client.get(box).status_code == 404


def test_it_logs_each_placement_listed(client, cast):
    placement = PlacementFactory(employee=cast.employee, performance=1, potential=1)
    client.force_login(cast.manager.user)
    client.get(url(1, 1))
    assert list(AccessLogRecord.objects.values_list("subject", "record_id")) == [(cast.employee.pk, placement.pk)]


def test_it_lists_the_people_not_yet_placed(client, cast):
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.senior_manager.user)
    response = client.get(reverse("grid:unplaced"))
    assert list(response.context["page"].object_list) == [cast.manager]


def test_it_lists_in_the_same_number_of_queries_at_any_size(client, cast, django_assert_max_num_queries):
    client.force_login(cast.hr.user)
    for size, prefix in [(30, "a"), (600, "b")]:
        staff_with_placements(size, department=cast.employee.department, line_manager=cast.manager, prefix=prefix)
        with django_assert_max_num_queries(15):  # the access log: the entry and its records
            client.get(url(2, 2))
