import datetime

from django.urls import reverse
from django.utils import timezone

from conversations.models import Notice
from opportunities.factories import InterestFactory, OpportunityFactory
from opportunities.models import Interest


def _interest_url(opportunity):
    return reverse("opportunities:interest", args=[opportunity.pk])


def test_it_registers_and_withdraws_interest(client, cast):
    opportunity = OpportunityFactory(contact=cast.supporter)
    client.force_login(cast.employee.user)
    response = client.post(_interest_url(opportunity), {"action": "register", "note": "I want to see flow"})
    assert response.status_code == 302
    interest = Interest.objects.get(opportunity=opportunity, employee=cast.employee)
    assert interest.note == "I want to see flow"
    client.post(_interest_url(opportunity), {"action": "register"})
    assert Interest.objects.filter(employee=cast.employee).count() == 1
    client.post(_interest_url(opportunity), {"action": "withdraw"})
    assert not Interest.objects.filter(employee=cast.employee).exists()


def test_it_refuses_interest_once_closed(client, cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    opportunity = OpportunityFactory(contact=cast.employee, closes_on=yesterday)
    client.force_login(cast.employee.user)
    response = client.post(_interest_url(opportunity), {"action": "register"}, follow=True)
    assert "has closed" in response.content.decode()
    assert not Interest.objects.exists()


def test_it_keeps_a_taken_place_from_being_withdrawn(client, cast):
    interest = InterestFactory(employee=cast.employee, took_place_at=timezone.now())
    client.force_login(cast.employee.user)
    response = client.post(_interest_url(interest.opportunity), {"action": "withdraw"}, follow=True)
    assert "You have a place" in response.content.decode()
    assert Interest.objects.filter(pk=interest.pk).exists()


def test_it_shows_the_contact_who_is_interested(client, cast):
    opportunity = OpportunityFactory(contact=cast.supporter, title="Cardiology shadowing")
    InterestFactory(opportunity=opportunity, employee=cast.employee, note="Keen on cardiology")
    client.force_login(cast.supporter.user)
    offers = client.get(reverse("opportunities:offers")).content.decode()
    assert cast.employee.full_name in offers
    assert "Keen on cardiology" in offers
    detail = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert cast.employee.full_name in detail


def test_it_hides_who_is_interested_from_other_staff(client, cast):
    opportunity = OpportunityFactory(contact=cast.supporter)
    InterestFactory(opportunity=opportunity, employee=cast.employee)
    client.force_login(cast.other_employee.user)
    detail = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert cast.employee.full_name not in detail
    offers = client.get(reverse("opportunities:offers")).content.decode()
    assert cast.employee.full_name not in offers


def test_it_lets_hr_record_a_place_within_the_places(client, cast):
    opportunity = OpportunityFactory(places=1)
    first = InterestFactory(opportunity=opportunity, employee=cast.employee)
    second = InterestFactory(opportunity=opportunity, employee=cast.other_employee)
    client.force_login(cast.hr.user)
    client.post(reverse("opportunities:place_taken", args=[first.pk]), {"taken": "yes"})
    first.refresh_from_db()
    assert first.took_place_at is not None
    assert first.took_place_marked_by == cast.hr.user
    response = client.post(reverse("opportunities:place_taken", args=[second.pk]), {"taken": "yes"}, follow=True)
    assert "All 1 places are taken" in response.content.decode()
    second.refresh_from_db()
    assert second.took_place_at is None
    client.post(reverse("opportunities:place_taken", args=[first.pk]), {"taken": "no"})
    first.refresh_from_db()
    assert first.took_place_at is None


def test_it_emails_the_contact_once_through_the_outbox(client, cast, mailoutbox, django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory(contact=cast.supporter, title="Cardiology shadowing")
    client.force_login(cast.employee.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_interest_url(opportunity), {"action": "register", "note": "Keen on cardiology"})
        client.post(_interest_url(opportunity), {"action": "register"})
    notice = Notice.objects.get(kind=Notice.Kind.OPPORTUNITY_INTEREST)
    assert notice.recipient == cast.supporter
    assert notice.status == Notice.Status.SENT
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [cast.supporter.user.email]
    assert email.reply_to == [cast.employee.user.email]
    assert email.subject == f"{cast.employee.full_name} is interested in Cardiology shadowing"
    assert "Keen on cardiology" in email.body
    assert reverse("opportunities:detail", args=[opportunity.pk]) in email.body
