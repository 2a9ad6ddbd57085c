"""Filters on staff that every app shares: where in the organisation someone works, and the
staff search. Each returns a Q on Employee; `through` is the path to the employee from another
model (e.g. "employee__"), so a plan or a placement can be filtered the same way.

This module imports only from `people`: the other apps build on it, not the other way round.
"""

from django.db.models import Q

from .models import Department

# The filters offer directorates and departments; below a directorate there are at most two
# levels (department, team), so its whole subtree is within this many steps of it.
LEVELS_BELOW = 2


def in_department_tree(department: Department, *, through: str = "") -> Q:
    """In `department` or any unit below it. Also serves any model with a `department` field
    (e.g. a critical role) with `through` left empty."""
    q = Q()
    path = f"{through}department"
    for _ in range(LEVELS_BELOW + 1):
        q |= Q(**{path: department})
        path += "__parent"
    return q


def without_nul(text: str) -> str:
    """`text` without NUL characters. PostgreSQL refuses NUL in any text, so a search holding one
    would fail instead of finding; no stored text holds one, so dropping it loses nothing."""
    return text.replace("\x00", "")


def staff_search(query: str, *, through: str = "") -> Q:
    """Whose first name, last name or job title contains `query` (any case), or whose staff
    number is `query`: staff numbers are matched whole, as a few digits would match many people.
    NUL characters in `query` are dropped (see `without_nul`)."""
    query = without_nul(query)
    return (
        Q(**{f"{through}user__first_name__icontains": query})
        | Q(**{f"{through}user__last_name__icontains": query})
        | Q(**{f"{through}staff_number__iexact": query})
        | Q(**{f"{through}job_title__icontains": query})
    )
