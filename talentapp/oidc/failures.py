"""Why a sign-in with the organisation's account failed, and what the person is told: what
happened and what to do. Every failure is also logged (logger `talentapp.oidc`)."""

from dataclasses import dataclass
from enum import StrEnum


class Failure(StrEnum):
    UNREACHABLE = "unreachable"  # the provider did not answer, or answered nonsense
    DENIED = "denied"  # the person (or the provider's policy) refused: error=access_denied
    PROVIDER_ERROR = "provider_error"  # any other error the provider sent back, or refused the code
    STATE = "state"  # the reply is not for a sign-in started in this browser, or came too late
    TOKEN = "token"  # the ID token is not valid for this site: signature, issuer, audience, expiry, nonce
    NO_RECORD = "no_record"  # no staff record for this person (or no claim to find it by)
    LEAVER = "leaver"  # the staff record's account is inactive


@dataclass(frozen=True)
class Page:
    title: str
    happened: str
    to_do: str
    status: int
    try_again: bool = True


PAGES = {
    Failure.UNREACHABLE: Page(
        "Your organisation's sign-in service is not answering",
        "We could not reach your organisation's sign-in service, so you have not been signed in.",
        "Try again in a few minutes. If it keeps happening, tell your IT service desk.",
        503,
    ),
    Failure.DENIED: Page(
        "You did not allow the sign-in",
        "Your organisation's sign-in service says that permission to sign in to this site was not given, "
        "so you have not been signed in.",
        "To use talent conversations, start again and allow the sign-in when you are asked. If you were not "
        "asked, your organisation may not allow this site yet: tell your IT service desk.",
        403,
    ),
    Failure.PROVIDER_ERROR: Page(
        "Your organisation's sign-in service refused the sign-in",
        "Your organisation's sign-in service sent back an error instead of signing you in.",
        "Start again. If it happens again, tell your IT service desk, and say when it happened.",
        502,
    ),
    Failure.STATE: Page(
        "Your sign-in could not be checked",
        "The reply from your organisation's sign-in service does not match a sign-in started in this browser, "
        "or it came back too late. This can happen after using the back button, opening an old link, or "
        "leaving the sign-in page open for a long time.",
        "Start again from the sign-in page.",
        400,
    ),
    Failure.TOKEN: Page(
        "Your sign-in could not be checked",
        "Your organisation's sign-in service sent a reply that is not valid for this site, so you have not "
        "been signed in.",
        "Start again. If it happens again, tell your IT service desk: the site's sign-in settings may be wrong.",
        400,
    ),
    Failure.NO_RECORD: Page(
        "We could not find your staff record",
        "You signed in with your organisation account, but talent conversations has no staff record that "
        "matches it. Only people in the HR system's staff records can use this site.",
        "If you have just joined, your record may not be here yet. Ask your HR team to check your staff "
        "record, your staff number and your work email address.",
        403,
        try_again=False,
    ),
    Failure.LEAVER: Page(
        "Your account is closed",
        "Your staff record shows that you have left the organisation, so you cannot sign in.",
        "If you have not left, ask your HR team to check your staff record.",
        403,
        try_again=False,
    ),
}


class SignInFailed(Exception):
    """A sign-in that must not go ahead: `failure` chooses the page, `detail` goes to the log."""

    def __init__(self, failure: Failure, detail: str):
        super().__init__(f"{failure}: {detail}")
        self.failure = failure
        self.detail = detail
