"""HR administration: the access log is readable and read-only; equality data stays there."""

from django.urls import reverse

from people.models import AccessLog, EqualityProfile


def test_it_shows_hr_the_access_log(client, cast):
    client.force_login(cast.manager.user)
    client.get(reverse("person_detail", args=[cast.employee.pk]))
    client.force_login(cast.hr.user)
    response = client.get(reverse("admin:people_accesslog_changelist"))
    assert response.status_code == 200
    assert cast.employee.full_name in response.content.decode()


def test_it_keeps_the_access_log_read_only(client, cast):
    client.force_login(cast.manager.user)
    client.get(reverse("person_detail", args=[cast.employee.pk]))
    log = AccessLog.objects.get()
    client.force_login(cast.hr.user)
    assert client.get(reverse("admin:people_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:people_accesslog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=log.pk).exists()


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
