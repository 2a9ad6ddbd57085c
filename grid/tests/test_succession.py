from django.urls import reverse

from grid.factories import CriticalRoleFactory, SuccessorFactory
from grid.models import CriticalRole, Successor

LIST = reverse("grid:succession")


def test_it_lets_hr_mark_a_critical_role(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(
        LIST,
        {
            "title": "Ward Manager, Ward 7",
            "department": cast.manager.department_id,
            "incumbent": cast.manager.staff_number,
            "why_critical": "Only nurse-in-charge cover.",
        },
    )
    role = CriticalRole.objects.get()
    assert response["Location"] == reverse("grid:succession_role", args=[role.pk])
    assert (role.incumbent, role.why_critical) == (cast.manager, "Only nurse-in-charge cover.")


def test_it_explains_an_unknown_incumbent_and_a_duplicate_role(client, cast):
    CriticalRoleFactory(title="Matron", department=cast.manager.department, incumbent=None)
    client.force_login(cast.hr.user)
    response = client.post(LIST, {"title": "matron", "department": cast.manager.department_id, "incumbent": "999"})
    assert "No one you can choose here matches “999”" in response.content.decode()
    response = client.post(LIST, {"title": "matron", "department": cast.manager.department_id})
    assert "already has a critical role called matron" in response.content.decode()
    assert CriticalRole.objects.count() == 1


def test_it_names_updates_and_removes_successors(client, cast):
    role = CriticalRoleFactory(incumbent=cast.manager)
    client.force_login(cast.hr.user)
    url = reverse("grid:succession_role", args=[role.pk])
    client.post(url, {"staff_number": cast.employee.staff_number, "readiness": "2", "notes": "Shadowing."})
    client.post(url, {"staff_number": cast.employee.staff_number, "readiness": "1"})
    successor = Successor.objects.get()
    assert successor.readiness == Successor.Readiness.READY_NOW
    response = client.post(url, {"staff_number": cast.manager.staff_number, "readiness": "1"})
    assert "holds this role now" in response.content.decode()
    client.post(reverse("grid:successor_remove", args=[role.pk, successor.pk]))
    assert not Successor.objects.exists()


def test_it_shows_which_roles_have_no_one_ready_now(client, cast):
    covered = CriticalRoleFactory(title="Chief Nurse", incumbent=cast.senior_manager)
    SuccessorFactory(role=covered, employee=cast.manager)
    uncovered = CriticalRoleFactory(title="Ward Manager", incumbent=cast.manager)
    SuccessorFactory(role=uncovered, employee=cast.employee, readiness=Successor.Readiness.THREE_PLUS_YEARS)
    client.force_login(cast.hr.user)
    response = client.get(LIST)
    roles = {role.title: role for role in response.context["critical_roles"]}
    assert (roles["Chief Nurse"].ready_now, roles["Ward Manager"].ready_now) == (1, 0)
    assert roles["Ward Manager"].ready_later == 1
    assert response.context["uncovered"] == 1


def test_it_shows_a_manager_the_roles_in_their_line_without_naming_outsiders(client, cast):
    in_line = CriticalRoleFactory(title="Ward Manager", incumbent=cast.manager)
    SuccessorFactory(role=in_line, employee=cast.employee)
    SuccessorFactory(role=in_line, employee=cast.other_employee, notes="Private note")
    CriticalRoleFactory(title="Other Ward Manager", incumbent=cast.other_manager)
    client.force_login(cast.senior_manager.user)
    response = client.get(LIST)
    assert [role.title for role in response.context["critical_roles"]] == ["Ward Manager"]
    content = client.get(reverse("grid:succession_role", args=[in_line.pk])).content.decode()
    assert cast.employee.full_name in content
    assert cast.other_employee.full_name not in content
    assert "Private note" not in content
    assert "Someone outside your line" in content
    assert "Name a successor" not in content


def test_it_keeps_succession_changes_to_hr(client, cast):
    role = CriticalRoleFactory(incumbent=cast.employee)
    successor = SuccessorFactory(role=role, employee=cast.manager)
    client.force_login(cast.senior_manager.user)
    url = reverse("grid:succession_role", args=[role.pk])
    assert client.post(url, {"staff_number": cast.employee.staff_number, "readiness": "1"}).status_code == 404
    assert client.post(LIST, {"title": "x", "department": cast.employee.department_id}).status_code == 404
    assert client.post(reverse("grid:successor_remove", args=[role.pk, successor.pk])).status_code == 404
    client.force_login(cast.other_manager.user)
    assert client.get(url).status_code == 404
    client.force_login(cast.hr.user)
    assert client.post(reverse("grid:successor_remove", args=[role.pk + 1, successor.pk])).status_code == 404
    assert Successor.objects.exists()


def test_it_asks_once_before_removing_a_successor(client, cast):
    successor = SuccessorFactory(role__incumbent=cast.manager, employee=cast.employee)
    remove = reverse("grid:successor_remove", args=[successor.role_id, successor.pk])
    client.force_login(cast.hr.user)

    page = client.get(reverse("grid:succession_role", args=[successor.role_id])).content.decode()
    assert f'href="{remove}"' in page
    question = client.get(remove).content.decode()
    assert f"Remove {cast.employee.full_name} as a successor for {successor.role.title}?" in question
    assert "cannot be undone" in question
    assert Successor.objects.exists()

    response = client.post(remove)
    assert response["Location"] == reverse("grid:succession_role", args=[successor.role_id])
    assert not Successor.objects.exists()
