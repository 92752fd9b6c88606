from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool

from db.migrations.filters import include_name
from db.models import metadata
from db.models.types import UTCDateTime

config = context.config


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes the app's UTCDateTime as the plain type it is in the database: a migration imports
    nothing of the app (tests/test_structure.py)."""
    if type_ == 'type' and isinstance(obj, UTCDateTime):
        return 'sa.DateTime(timezone=True)'
    return False


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option('sqlalchemy.url'), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get('connection')
    if connection is None:
        engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix='sqlalchemy.',
                                    poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True, include_name=include_name, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
