"""Dates in working days: booking notice and the chasing of unanswered requests count them."""

from datetime import date, timedelta


def working_days_between(start: date, end: date) -> int:
    """Weekdays after `start` up to and including `end`."""
    days = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days += 1
    return days
