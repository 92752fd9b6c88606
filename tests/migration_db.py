"""A database of its own at an old revision, for the tests of a migration: a SQLite file or a fresh PostgreSQL
database on the session's cluster, dropped afterwards."""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from db.migrate import alembic_config, current_revision


@contextmanager
def database_at(request: pytest.FixtureRequest, tmp_path: Path, revision: str, fill: Callable[[Engine], None], *,
                engine_for: Callable[[str], Engine]) -> Iterator[Engine]:
    """`request.param` names the database ('sqlite' or 'postgresql'); `engine_for` builds the engine from its URL
    (the app's `build_engine`, foreign keys on, or a plain one); `fill` writes the rows the revision knows."""
    dropped = None
    if request.param == 'sqlite':
        url = f'sqlite:///{tmp_path / "old.db"}'
    else:
        server = make_url(request.getfixturevalue('postgres_url'))
        name = f'crm_migration_{uuid.uuid4().hex[:12]}'
        dropped = create_engine(server, isolation_level='AUTOCOMMIT')
        with dropped.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = server.set(database=name).render_as_string(hide_password=False)
    engine = engine_for(url)
    try:
        command.upgrade(alembic_config(engine), revision)
        assert current_revision(engine) == revision
        fill(engine)
        yield engine
    finally:
        engine.dispose()
        if dropped is not None:
            with dropped.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{engine.url.database}" WITH (FORCE)'))
            dropped.dispose()
