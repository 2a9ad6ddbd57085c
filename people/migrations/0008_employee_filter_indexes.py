"""The site and band indexes carry the id, so that the grid's site and band filters are read from
the index alone when they are joined to placements."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_merge_line_links_and_access_log"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="employee",
            name="people_empl_site_4446ea_idx",
        ),
        migrations.RemoveIndex(
            model_name="employee",
            name="people_empl_band_6e94de_idx",
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["site", "id"], name="employee_site_idx"),
        ),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["band", "id"], name="employee_band_idx"),
        ),
    ]
