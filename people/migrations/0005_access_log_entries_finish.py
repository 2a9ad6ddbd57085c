"""The access log's old one-read columns go, and the indexes HR's reads use are added."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0005_access_log_entries_copy")]

    operations = [
        migrations.RemoveIndex("accesslog", "people_acce_subject_9b2de8_idx"),
        migrations.RemoveField("accesslog", "subject"),
        migrations.RemoveField("accesslog", "record_type"),
        migrations.RemoveField("accesslog", "record_id"),
        migrations.AlterField("accesslog", "at", models.DateTimeField(auto_now_add=True)),
        migrations.AlterModelOptions("accesslog", options={"ordering": ["-at", "-id"]}),
        migrations.AddIndex("accesslog", models.Index(fields=["-at", "-id"], name="access_log_at")),
        migrations.AddIndex("accesslog", models.Index(fields=["user", "-at", "-id"], name="access_log_reader_at")),
        migrations.AddIndex(
            "accesslogrecord",
            models.Index(fields=["subject", "-at", "-entry"], name="access_log_subject_at"),
        ),
        migrations.AddIndex(
            "accesslogrecord",
            models.Index(fields=["subject", "reader", "-at", "-entry"], name="access_log_subject_reader_at"),
        ),
    ]
