"""The error summary shared by every form (templates/_error_summary.html, put in by base.html):
at the top, linking to each field, "Error: " before the title; and messages that say what to do."""

import re

import pytest
from django import forms
from django.urls import reverse

from conversations.factories import ConversationFactory
from core.forms import SpecificErrors, required_message


@pytest.fixture
def requested(cast):
    return ConversationFactory(employee=cast.employee, host=cast.manager)


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_it_sums_up_the_errors_at_the_top_linking_to_each_field(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.post(reverse("conversations:book", args=[requested.pk]), {"duration_minutes": "60"})
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))]
    assert "There is a problem" in summary
    assert '<a href="#id_date">Enter the date</a>' in summary
    assert '<a href="#id_time">Enter the time</a>' in summary
    assert '<a href="#id_venue">Enter the venue</a>' in summary
    assert "choose a private venue and confirm it" in summary  # the field's own message wins
    assert page.index("data-error-summary") < page.index("<h1")
    assert "This field is required." not in page


def test_it_puts_error_before_the_title_and_names_whose_conversation_it_is(client, cast, requested):
    client.force_login(cast.manager.user)
    name = cast.employee.user.get_full_name()
    assert title(client.get(reverse("conversations:book", args=[requested.pk]))).startswith(
        f"Book the talent conversation with {name} ·"
    )
    response = client.post(reverse("conversations:book", args=[requested.pk]), {"venue": ""})
    assert title(response).startswith(f"Error: Book the talent conversation with {name} ·")


def test_it_shows_no_summary_on_a_page_without_errors(client, cast, requested):
    client.force_login(cast.manager.user)
    response = client.get(reverse("conversations:decline", args=[requested.pk]))
    assert "data-error-summary" not in response.content.decode()
    assert not title(response).startswith("Error")
    assert "Decline" in title(response)
    assert cast.employee.user.get_full_name() in title(response)


def test_it_sums_up_a_form_error_that_belongs_to_no_field(client, cast):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})
    page = response.content.decode()
    assert title(response).startswith("Error: ")
    assert "data-error-summary" in page
    assert '<a href="#id_username">' in page


class Questions(SpecificErrors, forms.Form):
    topic = forms.CharField(label="Topic")
    way_forward = forms.CharField()
    band = forms.ChoiceField(choices=[("5", "Band 5")])
    why = forms.CharField(label="Why are you asking?")
    agree = forms.BooleanField(label="I agree to share my answers")
    file = forms.FileField(label="Staff file")
    own = forms.CharField(error_messages={"required": "Give your own words"})


def test_it_says_what_to_do_for_each_kind_of_field():
    form = Questions({})
    assert {name: list(messages) for name, messages in form.errors.items()} == {
        "topic": ["Enter the topic"],
        "way_forward": ["Enter the way forward"],
        "band": ["Select the band"],
        "why": ["Answer the question “Why are you asking?”"],
        "agree": ["Tick the box: I agree to share my answers"],
        "file": ["Choose the staff file"],
        "own": ["Give your own words"],
    }


def test_it_keeps_capitals_of_names_and_acronyms():
    assert required_message(forms.CharField(label="ESR number"), "esr") == "Enter the ESR number"
