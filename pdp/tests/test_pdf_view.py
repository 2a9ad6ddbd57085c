import io

from django.urls import reverse
from pypdf import PdfReader

from pdp.tests.helpers import typical_plan
from people.models import AccessLogRecord


def test_it_downloads_the_employees_own_pdf_naming_them(client, cast):
    plan = typical_plan(employee=cast.employee)
    client.force_login(cast.employee.user)
    response = client.get(reverse("pdp:pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    slug = cast.employee.full_name.lower().replace(" ", "-").replace("'", "")
    assert response["Content-Disposition"].startswith(f'attachment; filename="development-plan-{slug}-')
    reader = PdfReader(io.BytesIO(response.content))
    assert cast.employee.full_name in reader.pages[0].extract_text()
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_it_answers_404_for_someone_elses_plan(client, cast):
    plan = typical_plan(employee=cast.employee)
    for person in (cast.other_employee, cast.other_manager, cast.supporter):
        client.force_login(person.user)
        assert client.get(reverse("pdp:pdf", args=[plan.pk])).status_code == 404
        assert client.get(reverse("pdp:detail", args=[plan.pk])).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, cast):
    plan = typical_plan(employee=cast.employee)
    response = client.get(reverse("pdp:pdf", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_a_managers_download(client, cast):
    plan = typical_plan(employee=cast.employee)
    client.force_login(cast.senior_manager.user)
    client.get(reverse("pdp:pdf", args=[plan.pk]))
    log = AccessLogRecord.objects.get()
    assert (log.entry.user, log.subject, log.record_type) == (cast.senior_manager.user, cast.employee, "pdp.plan")


def test_it_answers_404_for_a_plan_that_does_not_exist(client, cast):
    client.force_login(cast.hr.user)
    assert client.get(reverse("pdp:pdf", args=[999999])).status_code == 404
