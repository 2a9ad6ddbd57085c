"""The access log becomes one entry per page view, with a row for each record it showed: first
the new columns and the record table (the rows are copied in 0005_access_log_entries_copy, and
the old columns go in 0005_access_log_entries_finish). Schema changes and the copy are separate
migrations, as PostgreSQL will not alter a table with row changes pending in the same transaction."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_staff_import_jobs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField("accesslog", "record_types", models.CharField(default="", max_length=200)),
        migrations.AddField("accesslog", "subject_count", models.PositiveIntegerField(default=0)),
        migrations.AddField("accesslog", "record_count", models.PositiveIntegerField(default=0)),
        # The old rows' subject link gets another name while the rows are copied, so that the record rows
        # can take `access_logs` (a person's reads) from it.
        migrations.AlterField(
            "accesslog",
            "subject",
            models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="people.employee"
            ),
        ),
        migrations.CreateModel(
            name="AccessLogRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_type", models.CharField(max_length=50)),
                ("record_id", models.PositiveBigIntegerField()),
                ("at", models.DateTimeField()),
                (
                    "reader",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="records", to="people.accesslog"
                    ),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="access_logs",
                        to="people.employee",
                    ),
                ),
            ],
        ),
        migrations.AlterField("accesslog", "record_type", models.CharField(max_length=50, null=True)),
        migrations.AlterField("accesslog", "record_id", models.PositiveBigIntegerField(null=True)),
    ]
