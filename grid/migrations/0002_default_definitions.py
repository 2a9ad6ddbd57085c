from django.db import migrations


def create_defaults(apps, schema_editor):
    from grid.defaults import grid_defaults_create

    grid_defaults_create(
        apps.get_model("grid", "GridDefinition"),
        apps.get_model("grid", "BoxDefinition"),
        apps.get_model("grid", "GridSettings"),
    )


class Migration(migrations.Migration):
    dependencies = [("grid", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
