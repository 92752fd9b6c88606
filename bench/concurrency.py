"""`python -m bench.concurrency`: many users at once against the REST API, counting every answer that is not one.

Readers (`GET /api/v1/me` and a page of clients, in turn) and writers (`POST /api/v1/clients`) run together for a
while against a real uvicorn server in a child process (its own interpreter, as in production), on SQLite by
default (a fresh file) or on the database `--database-url` names. It prints, for readers and writers, the number of
requests, of errors (any status but 200/201, or a failed connection) by status, and the p50/p95 latency. The goal
of the hardening issue: zero errors with 50 readers and 10 writers on SQLite.
"""

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx

BENCH_TENANT, BENCH_EMAIL, BENCH_PASSWORD = 'Concurrence', 'concurrence@bench.dz', 'Banc-d-essai-2026'


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    def line(self, name: str) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p95 = statistics.quantiles(ordered, n=20, method='inclusive')[18] if len(ordered) > 1 else ordered[0]
        errors = ', '.join(f'{status}×{count}' for status, count in sorted(self.errors.items(), key=str)) or '0'
        return (f'{name:8} {len(self.latencies):7d} requests   errors: {errors:14}   '
                f'p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms')


def _prepare(url: str) -> None:
    from db.engine import configure_engine
    from db.migrate import upgrade_to_head
    from db.session import session_scope
    from services.tenants import create_tenant, find_tenant

    upgrade_to_head(configure_engine(url))
    with session_scope() as session:
        if find_tenant(session, BENCH_TENANT) is None:
            create_tenant(session, name=BENCH_TENANT, admin_email=BENCH_EMAIL, admin_password=BENCH_PASSWORD,
                          admin_name='Banc Concurrence')


def _serve(url: str, sock: socket.socket) -> None:
    """The child process: the API alone, on uvicorn, as `crm serve` runs it."""
    import os

    os.environ['CRM_DATABASE_URL'] = url
    import uvicorn

    from bench.server import build_app
    from db.engine import configure_engine
    from settings import reload_settings

    reload_settings()
    configure_engine(url)
    uvicorn.Server(uvicorn.Config(build_app(), log_config=None, log_level='error', access_log=False,
                                  lifespan='off')).run(sockets=[sock])


async def _wait_until_up(client: httpx.AsyncClient) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if (await client.get('/healthz')).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError('the API server did not start')


async def _timed(tally: Tally, request, expected: int) -> None:
    started = time.perf_counter()
    try:
        response = await request()
        if response.status_code != expected:
            tally.errors[response.status_code] += 1
    except httpx.HTTPError as error:
        tally.errors[type(error).__name__] += 1
    tally.latencies.append(time.perf_counter() - started)


async def _reader(client: httpx.AsyncClient, headers: dict, until: float, tally: Tally) -> None:
    turn = 0
    while time.monotonic() < until:
        path = '/api/v1/me' if turn % 2 == 0 else '/api/v1/clients?limit=25'
        await _timed(tally, partial(client.get, path, headers=headers), 200)
        turn += 1


async def _writer(client: httpx.AsyncClient, headers: dict, until: float, tally: Tally, number: int) -> None:
    turn = 0
    while time.monotonic() < until:
        body = {'name': f'Concurrence {number}-{turn}', 'email': f'w{number}-{turn}@bench.dz'}
        await _timed(tally, partial(client.post, '/api/v1/clients', json=body, headers=headers), 201)
        turn += 1


async def _load(base_url: str, readers: int, writers: int, seconds: float) -> tuple[Tally, Tally]:
    limits = httpx.Limits(max_connections=readers + writers + 5, max_keepalive_connections=readers + writers + 5)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        await _wait_until_up(client)
        token = (await client.post('/api/v1/auth/token', data={'username': BENCH_EMAIL,
                                                               'password': BENCH_PASSWORD})).json()['access_token']
        headers = {'Authorization': f'Bearer {token}'}
        until = time.monotonic() + seconds
        read, written = Tally(), Tally()
        await asyncio.gather(*(_reader(client, headers, until, read) for _ in range(readers)),
                             *(_writer(client, headers, until, written, n) for n in range(writers)))
        return read, written


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m bench.concurrency', description=__doc__.splitlines()[0])
    parser.add_argument('--database-url', help='database to use (default: a fresh SQLite file)')
    parser.add_argument('--readers', type=int, default=50)
    parser.add_argument('--writers', type=int, default=10)
    parser.add_argument('--seconds', type=float, default=20.0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='crm-concurrency-') as scratch:
        url = args.database_url or f'sqlite:///{Path(scratch) / "crm.db"}'
        _prepare(url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        server = multiprocessing.get_context('spawn').Process(target=_serve, args=(url, sock), daemon=True)
        server.start()
        try:
            read, written = asyncio.run(_load(f'http://127.0.0.1:{port}', args.readers, args.writers,
                                              args.seconds))
        finally:
            server.terminate()
            server.join(10)
            sock.close()
    database = 'SQLite' if url.startswith('sqlite') else url.split(':', 1)[0]
    print(f'{database}, {args.readers} readers and {args.writers} writers for {args.seconds:.0f} s')
    print(read.line('readers'))
    print(written.line('writers'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
