"""The process-wide SQLAlchemy engine, built from the configured database URL."""

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

_engine: Engine | None = None


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ':memory:':
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's `begin` event below opens the transactions
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.close()


READ_ONLY = 'crm_read_only'


def _begin_immediate(connection) -> None:
    """Take SQLite's write lock when a unit of work starts: a transaction that reads then writes can then
    never fail with "database is locked" because another writer slipped in between; it waits instead.
    A read-only unit of work (db.session.read_scope) takes no lock: WAL gives it a snapshot, writers go on."""
    connection.exec_driver_sql('BEGIN' if connection.get_execution_options().get(READ_ONLY) else 'BEGIN IMMEDIATE')


def build_engine(url: str) -> Engine:
    if url.startswith('sqlite'):
        _ensure_sqlite_directory(url)
        engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': 15})
        event.listen(engine, 'connect', _enable_sqlite_pragmas)
        event.listen(engine, 'begin', _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def configure_engine(url: str) -> Engine:
    """Replace the process engine (the app does it once at start; tests do it per database)."""
    global _engine
    if _engine is not None:
        _engine.dispose()
    _engine = build_engine(url)
    return _engine


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        from settings import get_settings

        _engine = build_engine(get_settings().database_url)
    return _engine
