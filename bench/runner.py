"""Command line of the bench: prepare the bench database, run the scenarios, print one table."""

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

import bench.ai_scenarios  # registers the AI analysis scenarios (as the lines below)
import bench.sales_scenarios
import bench.scenarios  # noqa: F401  (registers the scenarios)
from bench.registry import SCENARIOS, BenchContext, Scenario
from db.engine import configure_engine
from db.migrate import upgrade_to_head
from db.models import Client
from db.session import session_scope
from services.demo import fill_tenant, refresh_statistics
from services.tenants import TenantRead, create_tenant, find_tenant
from settings import Settings

DEFAULT_DATABASE_URL = 'sqlite:///./data/bench.db'
BENCH_TENANT = 'Bench'
BENCH_EMAIL = 'bench@bench.dz'
BENCH_PASSWORD = 'bench-password'
HEADERS = ('scenario', 'n', 'p50 (ms)', 'p95 (ms)')


@dataclass(frozen=True)
class Result:
    name: str
    n: int
    p50: float
    p95: float


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
    parser.add_argument('--database-url', default=os.environ.get('CRM_DATABASE_URL') or DEFAULT_DATABASE_URL,
                        help=f'database to bench (default: $CRM_DATABASE_URL, else {DEFAULT_DATABASE_URL})')
    parser.add_argument('--clients', type=int, default=10_000,
                        help=f'demo clients to fill the «{BENCH_TENANT}» tenant with, when it is created')
    parser.add_argument('--scenario', action='append', choices=list(SCENARIOS), metavar='NAME',
                        help=f'run only this scenario (repeatable): {", ".join(SCENARIOS)}')
    parser.add_argument('--iterations-scale', type=float, default=1.0,
                        help='multiply every scenario\'s iteration count (at least 1 iteration each)')
    return parser


def percentile(sorted_samples: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (statistics.quantiles 'inclusive'); fine with one sample."""
    if len(sorted_samples) == 1:
        return sorted_samples[0]
    cuts = statistics.quantiles(sorted_samples, n=100, method='inclusive')
    return cuts[round(fraction * 100) - 1]


def iterations(scenario: Scenario, scale: float) -> int:
    return max(1, round(scenario.iterations * scale))


def prepare(engine: Engine, clients: int) -> tuple[TenantRead, int]:
    """Migrate, create and fill the bench tenant if missing; its tenant and client count."""
    upgrade_to_head(engine)
    with session_scope() as session:
        tenant = find_tenant(session, BENCH_TENANT)
    if tenant is None:
        started = time.perf_counter()
        with session_scope() as session:
            tenant, _ = create_tenant(session, name=BENCH_TENANT, admin_email=BENCH_EMAIL,
                                      admin_password=BENCH_PASSWORD, admin_name='Bench Admin')
            filled = fill_tenant(session, tenant, clients=clients)
        print(f'Created tenant «{BENCH_TENANT}» with {filled.clients} demo clients, {filled.contacts} contacts, '
              f'{filled.cases} cases, {filled.notes} notes ({filled.search_entries} search entries), '
              f'{filled.interactions} interactions ({filled.participants} participants), {filled.stage_changes} '
              f'stage changes, {filled.kpis} KPI rows, {filled.products} products and {filled.sales} sales '
              f'({filled.sale_lines} lines) in {time.perf_counter() - started:.1f} s.', flush=True)
        started = time.perf_counter()
        refresh_statistics(engine)
        print(f'Planner statistics refreshed in {time.perf_counter() - started:.1f} s.', flush=True)
    with session_scope() as session:
        count = session.exec(select(func.count()).select_from(Client)
                             .where(Client.tenant_id == tenant.id)).one()
    if count != clients:
        print(f'Tenant «{BENCH_TENANT}» already exists with {count} clients: --clients {clients} ignored '
              '(use another database to bench another scale).')
    return tenant, count


def run_scenario(scenario: Scenario, ctx: BenchContext, n: int) -> Result:
    print(f'bench: {scenario.name} × {n}', file=sys.stderr, flush=True)
    if scenario.setup is not None:
        scenario.setup(ctx)
    for _ in range(scenario.warmup):
        scenario.run(ctx)
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        scenario.run(ctx)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return Result(scenario.name, n, percentile(samples, 0.50), percentile(samples, 0.95))


def format_table(results: Sequence[Result]) -> str:
    rows = [HEADERS] + [(r.name, str(r.n), f'{r.p50:.2f}', f'{r.p95:.2f}') for r in results]
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        return '  '.join(cell.ljust(width) if column == 0 else cell.rjust(width)
                         for column, (cell, width) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return '\n'.join([line(rows[0]), line(['-' * width for width in widths]), *map(line, rows[1:])])


def describe_database(engine: Engine) -> str:
    with engine.connect() as connection:
        version = '.'.join(str(part) for part in connection.dialect.server_version_info or ())
    where = engine.url.database if engine.dialect.name == 'sqlite' else engine.url.render_as_string(
        hide_password=True)
    return f'{engine.dialect.name} {version} ({where})'


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.clients < 0:
        parser.error('--clients must be zero or more')
    if not (args.iterations_scale > 0 and math.isfinite(args.iterations_scale)):
        parser.error('--iterations-scale must be a positive number')
    url = Settings(database_url=args.database_url).database_url  # same postgres:// normalisation as the app
    engine = configure_engine(url)
    try:
        tenant, count = prepare(engine, args.clients)
    except OperationalError as error:
        print(f'bench: cannot use the database {engine.url.render_as_string(hide_password=True)}: '
              f'{" ".join(str(error.orig or error).split())[:300]}', file=sys.stderr)
        return 1
    selected = [SCENARIOS[name] for name in dict.fromkeys(args.scenario or SCENARIOS)]
    ctx = BenchContext(engine=engine, tenant=tenant, clients=count, admin_email=BENCH_EMAIL,
                       admin_password=BENCH_PASSWORD)
    try:
        results = [run_scenario(scenario, ctx, iterations(scenario, args.iterations_scale))
                   for scenario in selected]
        server = f' · HTTP: uvicorn at {ctx.server_url}' if 'server_url' in vars(ctx) else ''
    finally:
        ctx.close()
    print(f'database: {describe_database(engine)} · tenant «{tenant.name}»: {count} clients{server}')
    print(format_table(results))
    return 0
