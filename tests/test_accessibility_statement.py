"""The accessibility statement: public, linked from every page's footer, with the standard, the
compliance status, the known limits and how to report a problem."""

from django.urls import reverse


def test_it_is_open_to_everyone_signed_out(client, settings):
    settings.ACCESSIBILITY_CONTACT = "access@trust.example.nhs.uk"
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "WCAG" in page
    assert "2.2" in page
    assert "partially compliant" in page
    assert "Administration" in page  # a known limit
    assert 'href="mailto:access@trust.example.nhs.uk"' in page
    assert "Reporting a problem" in page


def test_it_is_linked_from_the_footer_signed_out_and_in(client, cast):
    link = f'href="{reverse("accessibility")}"'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(cast.employee.user)
    assert link in client.get(reverse("home")).content.decode()
