"""The emails for each step of a conversation (see conversations.events.Event).

Each recipient gets their own message, rendered from a subject/text/HTML triplet under
conversations/templates/conversations/email/. Bookings carry the calendar invite;
cancelling a booked conversation carries the cancellation for calendars.

Emails say who, when, where and what to do next, with a link to the conversation
page. They never carry the employee's statement, their reflective answers, the record
or anyone's private notes: email leaves the organisation's control, the page does not.
"""

import logging
import re
import smtplib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .calendar import invite_ics
from .events import ONLY_WHILE_BOOKED, Event
from .models import Conversation, Notice
from .states import HOST, OPEN

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Email:
    role: str
    to: str
    reply_to: str
    subject: str
    text: str
    html: str
    ics: bytes | None
    ics_method: str


def format_when(moment) -> str:
    """'Tuesday 8 December 2026 at 14:00', in the site's time zone."""
    return dateformat.format(timezone.localtime(moment), r"l j F Y \a\t H:i")


def tidy_text(text: str) -> str:
    """The plain-text part without the blank lines that template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def _email(name: str, conversation: Conversation, recipient, context: dict, ics=None, method="") -> Email:
    """Render the subject/text/HTML triplet `conversations/email/<name>` for one recipient."""
    role = conversation.role_of(recipient)
    other = conversation.employee if role == HOST else conversation.host
    context = {
        "conversation": conversation,
        "recipient": recipient,
        "recipient_is_host": role == HOST,
        "employee": conversation.employee,
        "host": conversation.host,
        "other": other,
        "kind": conversation.get_kind_display(),
        "url": absolute_url(reverse("conversations:detail", args=[conversation.pk])),
        "organisation_name": settings.ORGANISATION_NAME,
        **context,
    }
    prefix = f"conversations/email/{name}"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    return Email(
        role=role,
        to=recipient.user.email,
        reply_to=other.user.email,
        subject=subject,
        text=tidy_text(render_to_string(f"{prefix}.txt", context)),
        html=render_to_string(f"{prefix}.html", {**context, "subject": subject}),
        ics=ics,
        ics_method=method,
    )


def step_email_build(conversation: Conversation, event: Event, extra: dict, recipient) -> Email:
    """The email telling `recipient` about one step of the conversation."""
    people = (conversation.employee, conversation.host)
    cancelled_by = next((person for person in people if person.pk == extra.get("cancelled_by")), None)
    was_booked = conversation.starts_at is not None
    ics, method = None, ""
    if event in (Event.BOOKED, Event.REBOOKED):
        ics, method = invite_ics(conversation), "REQUEST"
    elif event == Event.CANCELLED and was_booked:
        ics, method = invite_ics(conversation, cancel=True), "CANCEL"
    context = {
        "is_supporter_request": conversation.origin == Conversation.Origin.SUPPORTER_REQUEST,
        "when": format_when(conversation.starts_at) if was_booked else "",
        "ends_at": timezone.localtime(conversation.ends_at) if was_booked else None,
        "was_booked": was_booked,
        "cancelled_by": cancelled_by,
        "cancelled_by_recipient": cancelled_by is not None and cancelled_by.pk == recipient.pk,
        "has_invite": ics is not None,
        "supporters_url": absolute_url(reverse("conversations:supporters")),
        "due_on": dateformat.format(conversation.due_on, "l j F Y") if conversation.due_on else "",
    }
    return _email(event.value, conversation, recipient, context, ics, method)


def email_message(email: Email, *, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        connection=connection,
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # A reply goes to the other person in the conversation, not to an unread mailbox.
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.ics is not None:
        # As Google Calendar sends them: the text/calendar alternative with its METHOD is
        # what mail programs offer to apply (accept, update, remove); the invite.ics file
        # is for everything else and is application/ics so that nothing applies it twice.
        message.attach_alternative(email.ics.decode(), f"text/calendar; method={email.ics_method}")
        message.attach("invite.ics", email.ics, "application/ics")
    return message


def notice_email_build(notice: Notice, *, now, shared: set[str] | None = None) -> Email | None:
    """The email for a notice, or None when it is no longer needed (the conversation moved on).
    `shared`: the addresses (in lower case) that several active accounts have, from
    `shared_emails`, when the caller worked them out for many notices at once."""
    conversation = notice.conversation
    if not notice.recipient.user.email:
        logger.warning("No email address for %s; notice %s is not sent", notice.recipient, notice.pk)
        return None
    if not notice.recipient.user.is_active:
        return None  # a leaver: no reminders, no steps, no password reset
    if notice.recipient.user.email.lower() in shared if shared is not None else shares_email(notice.recipient.user):
        logger.warning(
            "%s shares an email address with another account; notice %s is not sent", notice.recipient, notice.pk
        )
        return None
    if notice.kind == Notice.Kind.PASSWORD_RESET:
        return password_reset_email_build(notice)
    if notice.kind == Notice.Kind.OPPORTUNITY_INTEREST:
        return opportunity_interest_email_build(notice)
    if notice.kind in REMINDER_KINDS:
        return reminder_email_build(notice, now=now)
    event = Event(notice.kind)
    if event in ONLY_WHILE_BOOKED and conversation.status != Conversation.Status.BOOKED:
        return None
    return step_email_build(conversation, event, notice.extra, notice.recipient)


def shares_email(user) -> bool:
    """Whether another active account has the same email: the staff import lets that happen (an HR
    system's typo), and then neither gets email or a password reset until it is fixed."""
    return type(user)._default_manager.filter(email__iexact=user.email, is_active=True).exclude(pk=user.pk).exists()


def shared_emails(users) -> set[str]:
    """Of these users' addresses, those (in lower case) that more than one active account has: one
    query for a whole chunk of notices, rather than `shares_email` for each."""
    addresses = {user.email.lower() for user in users if user.email}
    if not addresses:
        return set()
    User = get_user_model()
    return set(
        User._default_manager.annotate(address=Lower("email"))
        .filter(address__in=addresses, is_active=True)
        .values("address")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values_list("address", flat=True)
    )


REMINDER_KINDS = {
    Notice.Kind.REVIEW_AHEAD,
    Notice.Kind.REVIEW_DUE,
    Notice.Kind.REVIEW_OVERDUE,
    Notice.Kind.NOMINATION_CHASE,
}


def reminder_email_build(notice: Notice, *, now) -> Email | None:
    """A reminder about a review that is coming up, due or late, or a request left unanswered."""
    conversation = notice.conversation
    if conversation.status not in OPEN:
        return None
    if notice.kind == Notice.Kind.NOMINATION_CHASE and conversation.status != Conversation.Status.REQUESTED:
        return None
    today = timezone.localdate(now)
    days = (conversation.due_on - today).days if conversation.due_on else 0
    context = {
        "notice": notice,
        "days_to_go": days,
        "days_late": -days,
        "due_on": dateformat.format(conversation.due_on, "l j F Y") if conversation.due_on else "",
        "booked_for": format_when(conversation.starts_at) if conversation.status == Conversation.Status.BOOKED else "",
        "requested_on": dateformat.format(timezone.localtime(conversation.created_at), "l j F Y"),
    }
    name = "nomination_chase" if notice.kind == Notice.Kind.NOMINATION_CHASE else "review_reminder"
    return _email(name, conversation, notice.recipient, context)


def opportunity_interest_email_build(notice: Notice) -> Email:
    """Someone registered interest in an opportunity the recipient is the contact for; the
    notice's `extra` says who and in what (opportunities.services.interest_register)."""
    context = {
        **notice.extra,
        "recipient": notice.recipient,
        "url": absolute_url(notice.extra["path"]),
        "organisation_name": settings.ORGANISATION_NAME,
    }
    prefix = "opportunities/email/interest"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    return Email(
        role="",
        to=notice.recipient.user.email,
        reply_to=notice.extra.get("email", ""),
        subject=subject,
        text=tidy_text(render_to_string(f"{prefix}.txt", context)),
        html=render_to_string(f"{prefix}.html", {**context, "subject": subject}),
        ics=None,
        ics_method="",
    )


def password_reset_email_build(notice: Notice) -> Email | None:
    """The password reset link, made now (a token is valid for PASSWORD_RESET_TIMEOUT from when it
    is made, and is never stored); None for an account that may no longer sign in."""
    user = notice.recipient.user
    if not user.is_active:
        return None
    origin = urlsplit(settings.SITE_URL)
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": origin.scheme,
        "domain": origin.netloc,
    }
    subject = " ".join(render_to_string("registration/password_reset_subject.txt", context).split())
    return Email(
        role="",
        to=user.email,
        reply_to="",
        subject=subject,
        text=tidy_text(render_to_string("registration/password_reset_email.html", context)),
        html="",
        ics=None,
        ics_method="",
    )
