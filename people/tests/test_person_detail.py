import pytest
from django.urls import reverse

from people.factories import EmployeeFactory
from people.models import AccessLog, AccessLogRecord


def url(employee):
    return reverse("person_detail", args=[employee.pk])


def test_it_shows_a_manager_their_reports_record_and_logs_the_read(client, cast):
    client.force_login(cast.senior_manager.user)
    response = client.get(url(cast.employee))
    assert response.status_code == 200
    log = AccessLogRecord.objects.get()
    assert (log.entry.user, log.subject, log.record_type, log.record_id) == (
        cast.senior_manager.user,
        cast.employee,
        "people.employee",
        cast.employee.pk,
    )
    assert log.entry.path == url(cast.employee)


def test_it_does_not_log_reading_your_own_record(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(url(cast.employee)).status_code == 200
    assert not AccessLog.objects.exists()


def test_it_logs_hr_reads(client, cast):
    client.force_login(cast.hr.user)
    client.get(url(cast.other_employee))
    assert AccessLogRecord.objects.filter(entry__user=cast.hr.user, subject=cast.other_employee).count() == 1


def test_it_answers_404_outside_the_line_and_logs_nothing(client, cast):
    client.force_login(cast.manager.user)
    assert client.get(url(cast.other_employee)).status_code == 404
    assert client.get(reverse("person_detail", args=[999999])).status_code == 404
    assert not AccessLog.objects.exists()


def test_it_answers_404_to_a_report_looking_up_their_manager(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(url(cast.manager)).status_code == 404


@pytest.mark.parametrize("reports", [2, 40])
def test_it_shows_a_person_in_constant_queries(client, cast, django_assert_max_num_queries, reports):
    EmployeeFactory.create_batch(reports, line_manager=cast.employee)
    client.force_login(cast.hr.user)
    with django_assert_max_num_queries(13):  # the access log: the entry and its records
        response = client.get(url(cast.employee))
    assert len(response.context["reports"]) == reports


def test_it_logs_reads_not_writes(client, cast):
    client.force_login(cast.manager.user)
    client.post(url(cast.employee))
    assert not AccessLog.objects.exists()
