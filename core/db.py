"""Statements the ORM does not write: an UPDATE that says which rows it changed (claiming many
rows at once), and several counts in one round trip.

`QuerySet.update()` answers only how many rows changed. To claim a chunk of rows (pending to
sending) in one statement and know which this process won, the UPDATE must return their ids:
`UPDATE ... WHERE <the queryset's filter> RETURNING ...`, which PostgreSQL and SQLite (3.35 and
later) both run atomically, each row changing for one statement only however many run at once
(on PostgreSQL a second UPDATE waits for the first to commit, then finds the row no longer
matches). The statement is the one Django would write for `update()`, so filters through
relations work as they do there.

`counts(name=queryset, ...)` asks for each count as a subquery of one SELECT: each reads the
index that serves its own filter, where one aggregate with a FILTER per figure would read the
table whole for all of them.
"""

from django.db import connections, router, transaction
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery


def update_returning(queryset: QuerySet, fields: tuple[str, ...], **values) -> list[tuple]:
    """`queryset.update(**values)` in one statement, returning `fields` of each row it changed, as
    the database gives them (new values; plain columns such as ids and counts)."""
    using = queryset._db or router.db_for_write(queryset.model)
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    connection = connections[using]
    sql, params = query.get_compiler(using).as_sql()
    meta = queryset.model._meta
    columns = [meta.pk.column if name == "pk" else meta.get_field(name).column for name in fields]
    returning = ", ".join(connection.ops.quote_name(column) for column in columns)
    with transaction.mark_for_rollback_on_error(using=using), connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {returning}", params)
        return cursor.fetchall()


def can_update_returning(using: str = "default") -> bool:
    """Whether the database runs UPDATE ... RETURNING (PostgreSQL; SQLite from 3.35)."""
    connection = connections[using]
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
    )


def counts(using: str = "default", **querysets: QuerySet) -> dict[str, int]:
    """How many rows each of `querysets` has, by name, in one statement."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, values = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted)")
        params.extend(values)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))
