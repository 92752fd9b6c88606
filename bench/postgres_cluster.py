"""PostgreSQL 15 clusters for the tests and the benches: a throwaway one in a temporary directory, or one kept in a
directory so that the next run reuses its data (a 100,000-client fill is made once).

Both listen on 127.0.0.1 only, with durability off (fsync, synchronous_commit, full_page_writes): fast, and fine
for data that can be made again. The server binaries are those of Debian's `postgresql-15` (CRM_TEST_POSTGRES_BIN
to look elsewhere); as root, they run as the `postgres` user. CRM_TEST_POSTGRES_URL replaces the throwaway cluster
by a disposable database of your own. This module lives in `bench` (an installed package) so that the benches
work without the tests; `tests.postgres` re-exports it.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get('CRM_TEST_POSTGRES_BIN', '/usr/lib/postgresql/15/bin'))
SERVER_OPTIONS = '-c fsync=off -c synchronous_commit=off -c full_page_writes=off'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> list[str]:
    """The command as the `postgres` user when run as root (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        return ['runuser', '-u', 'postgres', '--', *command]
    return list(command)


def available() -> bool:
    return bool(os.environ.get('CRM_TEST_POSTGRES_URL')) or (PG_BIN / 'initdb').exists()


def _run(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(as_postgres(*command), check=check, capture_output=True)


def _own(root: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(root, 'postgres', 'postgres')


def _initdb(data: Path) -> None:
    _run(str(PG_BIN / 'initdb'), '-D', str(data), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8')


def _start(root: Path, data: Path, port: int) -> None:
    options = f"{SERVER_OPTIONS} -p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{root}'"
    _run(str(PG_BIN / 'pg_ctl'), '-D', str(data), '-o', options, '-w', '-l', str(root / 'server.log'), 'start')


def _stop(data: Path, mode: str) -> None:
    _run(str(PG_BIN / 'pg_ctl'), '-D', str(data), '-m', mode, 'stop', check=False)


def _createdb(port: int, name: str, check: bool = True) -> None:
    _run(str(PG_BIN / 'createdb'), '-h', '127.0.0.1', '-p', str(port), '-U', 'postgres', name, check=check)


def _url(port: int, name: str) -> str:
    return f'postgresql+psycopg://postgres@127.0.0.1:{port}/{name}'


@contextmanager
def throwaway_cluster(port: int | None = None) -> Iterator[str]:
    """Start a cluster in a temporary directory (on `port`, else a free one), yield its SQLAlchemy URL, and always
    stop it and remove its files."""
    if url := os.environ.get('CRM_TEST_POSTGRES_URL'):
        yield url
        return
    root = Path(tempfile.mkdtemp(prefix='crm-pg-'))
    data, port = root / 'data', port or free_port()
    _own(root)
    started = False
    try:
        _initdb(data)
        _start(root, data, port)
        started = True
        _createdb(port, 'crm_test')
        yield _url(port, 'crm_test')
    finally:
        if started:
            _stop(data, 'immediate')
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def kept_cluster(directory: Path, port: int | None = None, database: str = 'crm_bench') -> Iterator[str]:
    """A cluster whose data stays in `directory`/pgdata: made on first use, started (on `port`, else a free one),
    yielded as the URL of `database` (created when missing), then stopped; the next call finds the same data.
    A server left running in that directory by an interrupted run is stopped first."""
    root = directory.resolve()
    root.mkdir(parents=True, exist_ok=True)
    data, port = root / 'pgdata', port or free_port()
    _own(root)
    if not (data / 'PG_VERSION').exists():
        _initdb(data)
    elif (data / 'postmaster.pid').exists():
        _stop(data, 'fast')
    _start(root, data, port)
    try:
        _createdb(port, database, check=False)  # already there on a reuse
        yield _url(port, database)
    finally:
        _stop(data, 'fast')
