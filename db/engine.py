"""The process-wide SQLAlchemy engine, built from the configured database URL.

On SQLite (the default database) many users share one file. WAL lets readers go on while one writer writes, so:
a unit of work that starts by reading (`READ_FIRST`) opens a deferred transaction and takes no lock; a unit of work
that writes waits its turn for the process's write gate, then takes SQLite's write lock at once (`BEGIN IMMEDIATE`),
so that it never fails half-way because another writer slipped in between its reads and its writes. Waiting too
long gives `DatabaseBusy` (answered 503 with Retry-After), never a bare «database is locked».
"""

import re
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import create_engine

_engine: Engine | None = None

READ_FIRST = 'crm_read_first'  # execution option: a deferred transaction, no write lock taken up front
WRITE_WAIT_SECONDS = 30.0  # how long a writer waits for its turn (gate, then SQLite's busy handler)
_GATE_HELD = 'crm_write_gate_held'
_write_gate = threading.Lock()  # released by whichever thread ends the transaction (FastAPI may change threads)


class DatabaseBusy(Exception):
    """The database could not serve this unit of work in time: try again shortly."""

    retry_after_seconds = 2


def is_busy_error(error: BaseException) -> bool:
    """Whether `error` means «the database is busy, try again» rather than a bug."""
    if isinstance(error, DatabaseBusy | PoolTimeout):
        return True
    if isinstance(error, OperationalError):
        message = str(error.orig).lower()
        return 'database is locked' in message or 'database is busy' in message or 'lock timeout' in message
    return False


class NulCharacter(ValueError):
    """A text value holds U+0000, which PostgreSQL refuses and no user types: refused on both databases alike.
    `field` is the column or parameter it was bound to (the faces turn it into a message next to the field)."""

    def __init__(self, field: str) -> None:
        super().__init__(f'NUL character in {field}')
        self.field = field


def _field_name(bind_name: str) -> str:
    return re.sub(r'_\d+$', '', bind_name)  # `name_1`, a query's copy of column `name`


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return '\x00' in value
    return isinstance(value, list | tuple) and any(isinstance(item, str) and '\x00' in item for item in value)


def _refuse_nul(_connection, _cursor, _statement, parameters, context, _executemany) -> None:
    """Every statement of every face (forms, API, imports, searches) passes here before the database sees it."""
    named = getattr(context, 'compiled_parameters', None) if context is not None else None
    for row in named or ():
        for name, value in row.items():
            if _holds_nul(value):
                raise NulCharacter(_field_name(name))
    if not named:
        rows = parameters if isinstance(parameters, list) else [parameters]
        for row in rows:
            values = row.values() if isinstance(row, dict) else row or ()
            if any(_holds_nul(value) for value in values):
                raise NulCharacter('value')


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
    cursor.execute(f'PRAGMA busy_timeout={int(WRITE_WAIT_SECONDS * 1000)}')  # other processes (the CLI)
    cursor.close()


def _begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READ_FIRST):
        connection.exec_driver_sql('BEGIN')
        return
    if not _write_gate.acquire(timeout=WRITE_WAIT_SECONDS):
        raise DatabaseBusy('no turn to write within the wait')
    connection.info[_GATE_HELD] = True
    try:
        connection.exec_driver_sql('BEGIN IMMEDIATE')
    except BaseException:
        _end(connection)
        raise


def _end(connection: Connection) -> None:
    if connection.info.pop(_GATE_HELD, False):
        _write_gate.release()


def _release_in_pool(record) -> None:
    """A connection reset or invalidated by the pool (after an error) ends its transaction without the events
    above: the gate must not stay taken."""
    if record is not None and record.info.pop(_GATE_HELD, False):
        _write_gate.release()


def _on_reset(_dbapi_connection, record, _reset_state) -> None:
    _release_in_pool(record)


def _on_invalidate(_dbapi_connection, record, _exception) -> None:
    _release_in_pool(record)


def _build_sqlite_engine(url: str) -> Engine:
    _ensure_sqlite_directory(url)
    # Connections to a file are cheap: enough for every worker thread, so nobody waits for the pool.
    engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': WRITE_WAIT_SECONDS},
                           pool_size=20, max_overflow=80, pool_timeout=WRITE_WAIT_SECONDS)
    event.listen(engine, 'before_cursor_execute', _refuse_nul)
    event.listen(engine, 'connect', _enable_sqlite_pragmas)
    event.listen(engine, 'begin', _begin)
    event.listen(engine, 'commit', _end)
    event.listen(engine, 'rollback', _end)
    event.listen(engine, 'reset', _on_reset)
    event.listen(engine, 'invalidate', _on_invalidate)
    return engine


def build_engine(url: str) -> Engine:
    if url.startswith('sqlite'):
        return _build_sqlite_engine(url)
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=30, pool_timeout=WRITE_WAIT_SECONDS)
    event.listen(engine, 'before_cursor_execute', _refuse_nul)
    return engine


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
