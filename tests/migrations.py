"""For tests of a data migration: the database moved to a point in the migration history."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to `targets` ([(app, migration name)]); the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Leave the test database as the other tests expect it: every migration applied."""
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
