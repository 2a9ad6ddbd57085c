"""One exception for "no": a move, an edit or a request that the rules refuse, with the reason
in words the person can read. Services raise it; each view style catches it in one place and
shows the message (a message on the next page, or the form again)."""


class Refused(Exception):
    """This person may not do this, or not now; `message` says why, for the person."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)
