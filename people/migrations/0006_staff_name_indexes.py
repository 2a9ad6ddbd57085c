"""Indexes for the staff lists: the sort by name (last name, first name) on both databases, so a
page of 100,000 staff reads one page of an index rather than sorting everyone; and, on
PostgreSQL only, trigram indexes (pg_trgm) that serve the staff search's "name contains",
which Django writes as UPPER(column) LIKE UPPER('%text%')."""

from django.db import migrations

TRIGRAM_COLUMNS = [
    ("auth_user", "first_name", "people_user_first_name_trgm"),
    ("auth_user", "last_name", "people_user_last_name_trgm"),
    ("people_employee", "job_title", "people_employee_job_title_trgm"),
]


def indexes_create(apps, schema_editor):
    user_table = schema_editor.quote_name(apps.get_model("auth", "User")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS people_user_name_sort ON {user_table} (last_name, first_name, id)"
    )
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {schema_editor.quote_name(table)} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def indexes_drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS people_user_name_sort")
    if schema_editor.connection.vendor == "postgresql":
        for _, _, name in TRIGRAM_COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_line_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
