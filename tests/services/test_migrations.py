from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.migrate import current_revision, head_revision, upgrade_to_head
from db.migrations.filters import include_name
from db.models import metadata


def test_models_and_migrations_agree(db):
    """The migrated schema is exactly what the models describe, on SQLite and on PostgreSQL."""
    assert current_revision(db) == head_revision(db)
    with db.connect() as connection:
        context = MigrationContext.configure(connection, opts={'compare_type': True, 'render_as_batch': True,
                                                                  'include_name': include_name})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_upgrade_is_idempotent(db):
    assert upgrade_to_head(db) is False
