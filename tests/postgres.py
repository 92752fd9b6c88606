"""A throwaway PostgreSQL cluster for the test session (or the server CRM_TEST_POSTGRES_URL names)."""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get('CRM_TEST_POSTGRES_BIN', '/usr/lib/postgresql/15/bin'))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> list[str]:
    if os.geteuid() == 0:
        return ['runuser', '-u', 'postgres', '--', *command]
    return list(command)


def available() -> bool:
    return bool(os.environ.get('CRM_TEST_POSTGRES_URL')) or (PG_BIN / 'initdb').exists()


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster in a temporary directory, yield its SQLAlchemy URL, and always stop it."""
    if url := os.environ.get('CRM_TEST_POSTGRES_URL'):
        yield url
        return
    root = Path(tempfile.mkdtemp(prefix='crm-pg-'))
    data, port = root / 'data', _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, 'postgres', 'postgres')
    started = False
    try:
        subprocess.run(_as_postgres(str(PG_BIN / 'initdb'), '-D', str(data), '-U', 'postgres', '-A', 'trust',
                                    '-E', 'UTF8', '--locale=C.UTF-8'), check=True, capture_output=True)
        options = f'-c fsync=off -c synchronous_commit=off -c full_page_writes=off -p {port} ' \
                  f"-c listen_addresses=127.0.0.1 -c unix_socket_directories='{root}'"
        subprocess.run(_as_postgres(str(PG_BIN / 'pg_ctl'), '-D', str(data), '-o', options, '-w',
                                    '-l', str(root / 'server.log'), 'start'), check=True, capture_output=True)
        started = True
        subprocess.run(_as_postgres(str(PG_BIN / 'createdb'), '-h', '127.0.0.1', '-p', str(port), '-U', 'postgres',
                                    'crm_test'), check=True, capture_output=True)
        yield f'postgresql+psycopg://postgres@127.0.0.1:{port}/crm_test'
    finally:
        if started:
            subprocess.run(_as_postgres(str(PG_BIN / 'pg_ctl'), '-D', str(data), '-m', 'immediate', 'stop'),
                           capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
