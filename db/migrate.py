"""Alembic, driven from code: the app, the CLI and the tests all migrate through here."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / 'migrations'


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_DIR))
    config.set_main_option('sqlalchemy.url', engine.url.render_as_string(hide_password=False).replace('%', '%%'))
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_to_head(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns whether anything ran."""
    if current_revision(engine) == head_revision(engine):
        return False
    config = alembic_config(engine)
    with engine.connect() as connection, _sqlite_foreign_keys_off(connection):
        with connection.begin():
            config.attributes['connection'] = connection
            command.upgrade(config, 'head')
            _check_foreign_keys(connection)
    return True


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite's own recipe for changing a table's shape: a rebuilt table is dropped and replaced, and with foreign
    keys enforced the drop would cascade to the rows referring to it. The pragma only takes effect outside a
    transaction, so it goes to the driver's connection before the migration's transaction begins."""
    if connection.dialect.name != 'sqlite':
        yield
        return
    driver = connection.connection.driver_connection
    enforced = driver.execute('PRAGMA foreign_keys').fetchone()[0]
    driver.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        driver.execute(f'PRAGMA foreign_keys={"ON" if enforced else "OFF"}')


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == 'sqlite':
        broken = connection.exec_driver_sql('PRAGMA foreign_key_check').all()
        if broken:
            raise RuntimeError(f'the migration left rows referring to missing rows: {broken[:5]}')
