"""The staff search compares names folded (lower case, accents dropped: people.selectors.Folded),
but the trigram indexes of 0006 were built on UPPER(column), which it no longer uses: every
search read all the staff. On PostgreSQL, they are rebuilt on the folded expression itself, so
that "name contains" is a trigram index lookup again (the access log's "typed name" filter at
20,000 staff: 276 ms of SQL before)."""

from django.db import migrations

from people.selectors import folded_sql

TRIGRAM_COLUMNS = [
    ("auth_user", "first_name", "people_user_first_name_trgm"),
    ("auth_user", "last_name", "people_user_last_name_trgm"),
    ("people_employee", "job_title", "people_employee_job_title_trgm"),
]


def _rebuild(schema_editor, expression) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in TRIGRAM_COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON {schema_editor.quote_name(table)} USING gin (({expression(column)}) gin_trgm_ops)"
        )


def folded_indexes(apps, schema_editor):
    _rebuild(schema_editor, lambda column: folded_sql(schema_editor.quote_name(column)))


def upper_indexes(apps, schema_editor):
    _rebuild(schema_editor, lambda column: f"UPPER({column}::text)")


class Migration(migrations.Migration):
    dependencies = [("people", "0010_workspace_figure_indexes")]

    operations = [migrations.RunPython(folded_indexes, upper_indexes)]
