from django.urls import reverse

from grid.factories import CalibrationSessionFactory, PlacementFactory
from grid.models import CalibrationMove, CalibrationSession, Placement
from grid.views.calibration import BOARD_LIMIT


def test_it_opens_a_session_for_a_scope(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(
        reverse("grid:calibration"),
        {"name": "Ward 7 calibration", "department": cast.employee.department_id, "band": "5"},
    )
    session = CalibrationSession.objects.get()
    assert response["Location"] == reverse("grid:calibration_session", args=[session.pk])
    assert (session.department, session.band, session.opened_by) == (cast.employee.department, "5", cast.hr.user)


def test_it_explains_what_is_missing_to_open_a_session(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(reverse("grid:calibration"), {"name": "", "manager": "nobody"})
    assert response.status_code == 200
    assert "Enter the name of the session" in response.content.decode()
    assert "No one you can choose here matches “nobody”" in response.content.decode()


def test_it_shows_the_board_and_records_a_move_from_the_plain_form(client, cast):
    PlacementFactory(employee=cast.employee, performance=2, potential=2)
    session = CalibrationSessionFactory(opened_by=cast.hr.user, department=cast.employee.department)
    client.force_login(cast.hr.user)
    url = reverse("grid:calibration_session", args=[session.pk])
    content = client.get(url).content.decode()
    assert f'data-person="{cast.employee.pk}"' in content
    response = client.post(url, {"person": cast.employee.pk, "box": "3-2", "reason": "Evidence matches peers."})
    assert response.status_code == 302
    move = CalibrationMove.objects.get()
    assert (move.to_performance, move.to_potential, move.moved_by) == (3, 2, cast.hr.user)
    assert "Evidence matches peers." in client.get(url).content.decode()


def test_it_asks_for_a_reason_without_moving_anyone(client, cast):
    PlacementFactory(employee=cast.employee)
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    client.force_login(cast.hr.user)
    url = reverse("grid:calibration_session", args=[session.pk])
    response = client.post(url, {"person": cast.employee.pk, "box": "1-1", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for the move" in response.content.decode()
    assert not CalibrationMove.objects.exists()


def test_it_refuses_people_and_boxes_that_are_not_on_the_board(client, cast):
    PlacementFactory(employee=cast.employee)
    PlacementFactory(employee=cast.other_employee)
    session = CalibrationSessionFactory(opened_by=cast.hr.user, department=cast.employee.department)
    client.force_login(cast.hr.user)
    url = reverse("grid:calibration_session", args=[session.pk])
    for data in (
        {"person": cast.other_employee.pk, "box": "1-1", "reason": "x"},
        {"person": "not-a-number", "box": "1-1", "reason": "x"},
        {"person": cast.employee.pk, "box": "9-9", "reason": "x"},
    ):
        assert client.post(url, data).status_code == 200
    assert not CalibrationMove.objects.exists()


def test_it_moves_by_staff_number_when_the_scope_is_too_large_to_show(client, cast, monkeypatch):
    monkeypatch.setattr("grid.views.calibration.BOARD_LIMIT", 1)
    PlacementFactory(employee=cast.employee)
    PlacementFactory(employee=cast.other_employee)
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    client.force_login(cast.hr.user)
    url = reverse("grid:calibration_session", args=[session.pk])
    assert "too many to show as cards" in client.get(url).content.decode()
    client.post(url, {"person": cast.other_employee.staff_number, "box": "1-1", "reason": "Agreed."})
    assert Placement.objects.get(employee=cast.other_employee, is_current=True).performance == 1
    assert BOARD_LIMIT == 300


def test_it_closes_and_locks_a_session(client, cast):
    PlacementFactory(employee=cast.employee)
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    client.force_login(cast.hr.user)
    client.post(reverse("grid:calibration_close", args=[session.pk]))
    session.refresh_from_db()
    assert session.closed_by == cast.hr.user
    url = reverse("grid:calibration_session", args=[session.pk])
    assert "Record the move" not in client.get(url).content.decode()
    client.post(url, {"person": cast.employee.pk, "box": "1-1", "reason": "Too late."})
    assert not CalibrationMove.objects.exists()


def test_it_answers_404_for_a_session_that_does_not_exist(client, cast):
    client.force_login(cast.hr.user)
    assert client.get(reverse("grid:calibration_session", args=[999999])).status_code == 404
    assert client.post(reverse("grid:calibration_close", args=[999999])).status_code == 404


def test_it_keeps_calibration_to_hr(client, cast):
    session = CalibrationSessionFactory(opened_by=cast.hr.user)
    PlacementFactory(employee=cast.employee)
    client.force_login(cast.manager.user)
    url = reverse("grid:calibration_session", args=[session.pk])
    assert client.post(url, {"person": cast.employee.pk, "box": "1-1", "reason": "x"}).status_code == 404
    assert client.post(reverse("grid:calibration"), {"name": "Mine"}).status_code == 404
    assert not CalibrationSession.objects.exclude(pk=session.pk).exists()


def test_it_asks_once_before_closing_a_session_and_says_what_will_happen(client, cast):
    session = CalibrationSessionFactory(opened_by=cast.hr.user, name="Surgery, spring")
    client.force_login(cast.hr.user)
    close = reverse("grid:calibration_close", args=[session.pk])

    page = client.get(reverse("grid:calibration_session", args=[session.pk])).content.decode()
    assert f'href="{close}"' in page  # a link to the question, not a button that closes
    response = client.get(close)
    assert response.status_code == 200
    question = response.content.decode()
    assert "Close Surgery, spring?" in question
    assert "no more moves can be made" in question
    assert f'action="{close}"' in question
    session.refresh_from_db()
    assert session.closed_at is None

    client.post(close)
    session.refresh_from_db()
    assert session.closed_at is not None
    response = client.get(close)
    assert response["Location"] == reverse("grid:calibration_session", args=[session.pk])
