"""Each placement's validity interval: `replaced_at`, the moment the next placement replaced it
(None while current), so that movement reads "the box on a day" as a range lookup.

The placements already there get it in one UPDATE: in each person's history in time order, a
placement ends when the next one starts. A placement made later than the current one (dates
set by hand) ends as it starts, and so never covers a day, so that only one placement covers
any moment; one without a later one but no longer current ends as it starts too."""

from django.db import migrations, models

FILL = """
WITH ordered AS (
    SELECT id, employee_id, is_current, placed_at,
           ROW_NUMBER() OVER history AS position,
           LEAD(placed_at) OVER history AS next_placed_at
    FROM {table}
    WINDOW history AS (PARTITION BY employee_id ORDER BY placed_at, id)
),
intervals AS (
    SELECT id, is_current, placed_at, position, next_placed_at,
           MAX(CASE WHEN is_current THEN position END) OVER (PARTITION BY employee_id) AS current_position
    FROM ordered
)
UPDATE {table}
SET replaced_at = CASE
    WHEN intervals.position > intervals.current_position THEN intervals.placed_at
    ELSE COALESCE(intervals.next_placed_at, intervals.placed_at)
END
FROM intervals
WHERE {table}.id = intervals.id AND NOT intervals.is_current
"""


def intervals_fill(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model("grid", "Placement")._meta.db_table)
    schema_editor.execute(FILL.format(table=table))


class Migration(migrations.Migration):
    dependencies = [
        ("grid", "0004_placement_latest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="replaced_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(intervals_fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="placement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("is_current", True), ("replaced_at__isnull", True)),
                    models.Q(("is_current", False), ("replaced_at__isnull", False)),
                    _connector="OR",
                ),
                name="placement_replaced_unless_current",
            ),
        ),
        migrations.RemoveIndex(
            model_name="placement",
            name="placement_employee_time_idx",
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                fields=["employee", "placed_at", "replaced_at", "performance", "potential"],
                name="placement_interval_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("is_current", True)),
                fields=["placed_at", "performance", "potential", "employee"],
                name="placement_current_time_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("is_current", False)),
                fields=["replaced_at", "placed_at", "performance", "potential", "employee"],
                name="placement_replaced_time_idx",
            ),
        ),
    ]
