from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _grid_ready(sender, apps=None, **kwargs):
    """After migrate (and after a test flushes the database): HR's permissions, default wording."""
    from .defaults import grid_defaults_create
    from .services import grid_permissions_grant

    if apps is None:  # sent by flush, which passes no migration state
        from django.apps import apps
    try:
        models = [apps.get_model("grid", name) for name in ("GridDefinition", "BoxDefinition", "GridSettings")]
    except LookupError:  # migrated back to before the grid existed
        return
    grid_permissions_grant()
    grid_defaults_create(*models)


class GridConfig(AppConfig):
    name = "grid"
    verbose_name = "Talent grid"

    def ready(self):
        post_migrate.connect(_grid_ready, sender=self)
