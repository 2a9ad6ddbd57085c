"""HR administration: the access log is not in it (HR reads it on its own page, and nobody changes
it); equality data stays there."""

from django.contrib import admin
from django.urls import reverse

from people.models import AccessLog, AccessLogRecord, EqualityProfile


def test_it_links_hr_from_administration_to_the_access_log(client, cast):
    client.force_login(cast.hr.user)
    assert reverse("access_log") in client.get(reverse("admin:index")).content.decode()


def test_it_offers_no_way_to_change_the_access_log_in_administration(client, cast):
    client.force_login(cast.manager.user)
    client.get(reverse("person_detail", args=[cast.employee.pk]))
    client.force_login(cast.hr.user)
    assert AccessLog not in admin.site._registry
    assert AccessLogRecord not in admin.site._registry
    assert AccessLog.objects.count() == 1


def test_it_lets_hr_edit_equality_data_in_administration(client, cast):
    EqualityProfile.objects.create(employee=cast.employee, ethnic_group=EqualityProfile.EthnicGroup.ASIAN)
    client.force_login(cast.hr.user)
    response = client.get(reverse("admin:people_employee_change", args=[cast.employee.pk]))
    assert response.status_code == 200
    assert "Equality monitoring" in response.content.decode()


def test_it_never_shows_equality_data_on_a_staff_page(client, cast):
    EqualityProfile.objects.create(employee=cast.employee, ethnic_group=EqualityProfile.EthnicGroup.ASIAN)
    for viewer in (cast.hr, cast.manager, cast.employee):
        client.force_login(viewer.user)
        content = client.get(reverse("person_detail", args=[cast.employee.pk])).content.decode()
        assert "Asian" not in content
