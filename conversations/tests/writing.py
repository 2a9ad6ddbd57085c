"""Helpers for the tests of the writing pages: preparation, record, private notes, comments."""

from django.test import Client
from django.urls import reverse

from conversations.forms_record import RecordForm
from conversations.models import Preparation


def url(name: str, conversation) -> str:
    return reverse(f"conversations:{name}", args=[conversation.pk])


def record_post(conversation, *, version=None, **changes) -> dict:
    """The record form as the page would post it for `conversation`, with `changes`."""
    data = {}
    for name in RecordForm._meta.fields:
        value = changes.get(name, getattr(conversation, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else str(value)
    data["version"] = str(version if version is not None else conversation.record_version)
    return data


def preparation_post(*, version=1, **answers) -> dict:
    return {**{name: answers.get(name, "") for name in Preparation.QUESTIONS}, "version": str(version)}


def signed_in(employee) -> Client:
    client = Client()
    client.force_login(employee.user)
    return client


def page_text(response) -> str:
    return response.content.decode()
