"""Filters on staff that every app shares: where in the organisation someone works, and the
staff search. Each returns a Q on Employee; `through` is the path to the employee from another
model (e.g. "employee__"), so a plan or a placement can be filtered the same way.

This module imports only from `people`: the other apps build on it, not the other way round.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import F, Func, Q, TextField
from django.db.models.lookups import Contains

from .models import Department, Employee

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


def _accent_free(letter: str) -> str:
    """The letter without its accent, where one letter does ('é' -> 'e', 'ł' -> 'l'); else itself."""
    base = unicodedata.normalize("NFKD", letter)[0]
    return {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "ŀ": "l"}.get(
        letter, base if base.isascii() else letter
    )


# Lower-case Latin letters with accents (Latin-1 and Latin Extended-A/B) and their plain letters:
# what PostgreSQL's translate() is given, so that both databases fold names the same way.
_ACCENTED = "".join(
    letter
    for letter in map(chr, range(0xC0, 0x250))
    if letter == letter.lower() and letter.isalpha() and _accent_free(letter) != letter
)
_PLAIN = "".join(_accent_free(letter) for letter in _ACCENTED)
_FOLD = str.maketrans(_ACCENTED, _PLAIN)


def fold(text: str) -> str:
    """Lower case, accents dropped: how names are compared ('Sinéad' and 'SINEAD' are alike)."""
    return without_nul(text).lower().translate(_FOLD)


class Folded(Func):
    """A text column folded as `fold` folds text: SQLite calls `fold` itself (registered on each
    connection by people.apps); PostgreSQL uses translate() with the same letters."""

    function = "talent_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=folded_sql("%(expressions)s"), **extra)


def folded_sql(column: str) -> str:
    """PostgreSQL's fold of `column`: the expression the staff search compares, and the one its
    trigram indexes are built on (people/migrations/0011), so that each serves the other."""
    return f"translate(lower({column}), '{_ACCENTED}', '{_PLAIN}')"


def register_fold(sender, connection, **kwargs) -> None:
    """On SQLite, make `fold` available to SQL as talent_fold (connection_created)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("talent_fold", 1, lambda text: None if text is None else fold(text))


def staff_search(query: str, *, through: str = "") -> Q:
    """Whose staff number is `query` (matched whole, as a few digits would match many people), or
    who has every word of `query` in their first name, last name or job title: "Sarah Thompson",
    "Thompson, Sarah" and "thom sar" all find Sarah Thompson. Case and accents are ignored
    ("sinead" finds Sinéad). NUL characters in `query` are dropped (see `without_nul`)."""
    query = without_nul(query).strip()
    by_number = Q(**{f"{through}staff_number__iexact": query})
    words = [word for word in re.split(r"[\s,]+", fold(query)) if word]
    if not words:
        return by_number
    # Each word is the ids of those with it in any of the three fields: a UNION of three searches
    # that each trigram index serves on PostgreSQL (people/migrations/0011), worked out once. The
    # same test written on each row, across the staff and user tables, read everyone.
    by_words = Q()
    for word in words:
        having = [
            Employee.objects.filter(Contains(Folded(F(field)), word)).order_by().values("pk")
            for field in ("user__first_name", "user__last_name", "job_title")
        ]
        by_words &= Q(**{f"{through}pk__in": having[0].union(*having[1:])})
    return by_number | by_words


# The sites in use, one step of the site index each: from the first site, the least one after it,
# until there is none. Reading them with DISTINCT would read every staff record.
_SITES_SQL = """
WITH RECURSIVE sites(site) AS (
    SELECT MIN(site) FROM {table} WHERE site > ''
    UNION ALL
    SELECT (SELECT MIN(site) FROM {table} WHERE site > sites.site) FROM sites WHERE sites.site IS NOT NULL
)
SELECT site FROM sites WHERE site IS NOT NULL
"""


def sites_in_use() -> list[str]:
    """The sites the organisation's staff work at, in order; a probe of the index per site."""
    with connection.cursor() as cursor:
        cursor.execute(_SITES_SQL.format(table=connection.ops.quote_name(Employee._meta.db_table)))
        return [site for (site,) in cursor.fetchall()]
