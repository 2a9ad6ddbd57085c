from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _opportunities_ready(sender, apps=None, **kwargs):
    """After migrate (and after a test flushes the database): HR's permissions, the default framework."""
    from .services import framework_defaults_create, opportunity_permissions_grant

    if apps is None:  # sent by flush, which passes no migration state
        from django.apps import apps
    try:
        framework = apps.get_model("opportunities", "Framework")
    except LookupError:  # migrated back to before the opportunities existed
        return
    opportunity_permissions_grant()
    framework_defaults_create(framework)


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Opportunities and frameworks"

    def ready(self):
        post_migrate.connect(_opportunities_ready, sender=self)
