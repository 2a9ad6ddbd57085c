from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs):
    from .services import role_groups_ensure

    role_groups_ensure()


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organisation"

    def ready(self):
        from .selectors import register_fold

        post_migrate.connect(_ensure_groups, sender=self)
        from .line import signals_connect  # needs the models, which are ready only now

        signals_connect()
        connection_created.connect(register_fold, dispatch_uid="people.register_fold")
