"""Who is interested in an opportunity is a confidential read: each page that shows another
person's interest writes it to the access log, as any other record."""

from django.urls import reverse

from conversations.factories import BookedConversationFactory
from opportunities.factories import InterestFactory, OpportunityFactory
from people.models import AccessLogRecord


def _interest_reads():
    return set(
        AccessLogRecord.objects.filter(record_type="opportunities.interest").values_list(
            "entry__user__username", "record_id", "subject_id"
        )
    )


def test_the_contact_reading_who_is_interested_is_logged(client, cast):
    opportunity = OpportunityFactory(contact=cast.supporter)
    interest = InterestFactory(opportunity=opportunity, employee=cast.employee)
    client.force_login(cast.supporter.user)
    client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    client.get(reverse("opportunities:offers"))
    reads = _interest_reads()
    assert reads == {(cast.supporter.user.username, interest.pk, cast.employee.pk)}
    assert AccessLogRecord.objects.filter(record_type="opportunities.interest").count() == 2  # one per page


def test_the_host_reading_the_persons_interests_on_the_conversation_is_logged(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    interest = InterestFactory(employee=cast.employee)
    client.force_login(cast.manager.user)
    client.get(reverse("conversations:detail", args=[conversation.pk]))
    assert (cast.manager.user.username, interest.pk, cast.employee.pk) in _interest_reads()


def test_reading_ones_own_interests_and_an_offer_without_interest_logs_nothing(client, cast):
    conversation = BookedConversationFactory(employee=cast.employee, host=cast.manager)
    InterestFactory(employee=cast.employee)
    client.force_login(cast.employee.user)
    client.get(reverse("conversations:prepare", args=[conversation.pk]))
    opportunity = OpportunityFactory(contact=cast.supporter)
    client.force_login(cast.supporter.user)
    client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert _interest_reads() == set()


def test_the_log_page_names_the_interest_in_words(client, cast):
    opportunity = OpportunityFactory(contact=cast.supporter)
    InterestFactory(opportunity=opportunity, employee=cast.employee)
    client.force_login(cast.supporter.user)
    client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    client.force_login(cast.hr.user)
    page = client.get(reverse("access_log")).content.decode()
    assert "Interest in an opportunity" in page
