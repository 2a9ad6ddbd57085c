from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from .emails import EmailsNotSent, conversation_emails_send


@shared_task(bind=True, acks_late=True, max_retries=6)
def send_conversation_email(
    self, conversation_id: int, event: str, extra: dict, already_sent: list[str] | None = None
) -> None:
    """Send the emails for one step of a conversation (see conversations.notifications).

    An SMTP or connection error is retried with exponential backoff (about 1, 2, 4 ...
    minutes, at most an hour), skipping the recipients who already have theirs.
    """
    try:
        conversation_emails_send(
            conversation_id=conversation_id, event=event, extra=extra, already_sent=already_sent or []
        )
    except EmailsNotSent as error:
        if self.request.is_eager:
            # In-process (no REDIS_URL) a retry would run at once, with no backoff, inside
            # the web request: give up and let the caller log it.
            raise
        countdown = get_exponential_backoff_interval(factor=60, retries=self.request.retries, maximum=3600)
        raise self.retry(args=(conversation_id, event, extra, error.sent), exc=error, countdown=countdown) from error
