"""Ids typed into a query string (?employee=12): a plain whole number a row could have, or None.

`str.isdigit()` is not enough: it accepts '²' and other digits that `int()` refuses or reads
differently, and a long run of digits overflows the database's integer.
"""

MAX_ID = 2**63 - 1  # the largest BigAutoField (and PostgreSQL bigint)


def id_from_query(raw: str | None) -> int | None:
    """`raw` as an id when it is ASCII digits only (no sign, space or other digits) from 1 to MAX_ID."""
    if not raw or not raw.isascii() or not raw.isdecimal() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None
