"""Who is in whose line as a closure table (people.models.LineLink, kept by people.line), built
here for the staff already in the database."""

import django.db.models.deletion
from django.db import migrations, models


def line_links_build(apps, schema_editor):
    employee = schema_editor.quote_name(apps.get_model("people", "Employee")._meta.db_table)
    link = schema_editor.quote_name(apps.get_model("people", "LineLink")._meta.db_table)
    schema_editor.execute(
        "WITH RECURSIVE up(report_id, manager_id, depth) AS ("
        f" SELECT id, line_manager_id, 1 FROM {employee} WHERE line_manager_id IS NOT NULL"
        f" UNION ALL SELECT up.report_id, e.line_manager_id, up.depth + 1 FROM up"
        f" JOIN {employee} e ON e.id = up.manager_id WHERE e.line_manager_id IS NOT NULL AND up.depth < 1000"
        f") INSERT INTO {link} (manager_id, report_id, depth) SELECT manager_id, report_id, depth FROM up"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_staff_import_jobs'),
    ]

    operations = [
        migrations.CreateModel(
            name='LineLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('depth', models.PositiveSmallIntegerField()),
                ('manager', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.employee')),
                ('report', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.employee')),
            ],
            options={
                'indexes': [models.Index(fields=['report', 'manager'], name='line_link_report_manager')],
                'constraints': [models.UniqueConstraint(fields=('manager', 'report'), name='line_link_unique'), models.CheckConstraint(condition=models.Q(('depth__gte', 1)), name='line_link_depth_at_least_1')],
            },
        ),
        migrations.RunPython(line_links_build, migrations.RunPython.noop),
    ]
