"""`python -m bench.sales_volume`: the sales analytics at the volume of the speed targets.

Targets (issue 6), with 100,000 clients and about 1,000,000 sales on PostgreSQL: RFM and profiles recomputed for
the whole tenant in under 2 s, dashboard aggregates under 300 ms, recommendations for all clients under 30 s, the
audit under 60 s. The tenant is filled by the demo generator (`bench.sales_fill`: N clients with their usual demo
records, ≈ 10 × N sales, 2.5 lines a sale) on a throwaway PostgreSQL 15 cluster, a cluster kept in `--keep DIR`
(filled on the first run, reused by the next ones), or with `--sqlite` a SQLite file (temporary, or in `--keep`).

Each measure runs once untimed (warm-up), then `--repeat` times, each in its own unit of work committed as the app
does (`session_scope`); the table gives p50 and p95 in milliseconds, and the target when there is one:

- rfm_profiles: `rfm.compute_profiles` (profiles, scores, segments, segment history) over the default 24 months;
- popularity: `popularity.compute_popularity`;
- dashboard_<preset>: `dashboard.dashboard` for the preset's period (12m, 30d, month, quarter, ytd);
- recommendations: `recommendations.generate_recommendations` for every client (after RFM and popularity);
- audit: `data_audit.run_audit`;
- python_rows_fetch / python_rows_rfm, for comparison with «loading the rows into pandas and grouping there»
  (pandas is not a dependency of the project, so it is not measured): the window's (client_id, sold_on,
  total_cents) rows of the sales fetched through SQLAlchemy, then grouped per client in Python dicts with the
  quintile scores computed by sorting — no families, no budget, nothing written, so less work than rfm_profiles.

Before the table: the fill (or reuse), the sales generator alone in memory, and `sale_days.rebuild`.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bench.postgres_cluster import PG_BIN, available
from bench.sales_fill import TENANT, Filled, fill, postgres_cluster, sqlite_database, time_generation, time_rebuild
from db.engine import configure_engine
from db.models import Sale
from db.session import session_scope
from services.analytics import dashboard, data_audit, popularity, recommendations, rfm
from services.clock import today

TARGET_CLIENTS = 100_000
TARGETS_MS = {'rfm_profiles': 2_000, 'dashboard_12m': 300, 'dashboard_30d': 300, 'dashboard_month': 300,
              'dashboard_quarter': 300, 'dashboard_ytd': 300, 'recommendations': 30_000, 'audit': 60_000}
PRESETS = ('12m', '30d', 'month', 'quarter', 'ytd')


@dataclass(frozen=True)
class Measure:
    name: str
    samples: list[float]  # milliseconds

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        if len(ordered) == 1:
            return ordered[0]
        return statistics.quantiles(ordered, n=100, method='inclusive')[94]


def timed(name: str, run: Callable[[], object], repeat: int, log) -> Measure:
    log(f'sales_volume: {name} × {repeat} (+1 warm-up)')
    run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return Measure(name, samples)


def in_unit(work: Callable) -> Callable[[], object]:
    """`work(session)` in its own committed unit of work."""
    def run() -> object:
        with session_scope() as session:
            return work(session)
    return run


def python_rows(tenant_id: int, group: bool) -> Callable[[], object]:
    """The comparison: fetch the window's sale rows, and (when `group`) make R, F, M and their quintile scores per
    client in Python."""
    def run() -> int:
        end = today()
        start = rfm.window_start(end, rfm.DEFAULT_WINDOW)
        with session_scope() as session:
            rows = session.execute(select(Sale.client_id, Sale.sold_on, Sale.total_cents)
                                   .where(Sale.tenant_id == tenant_id, Sale.sold_on > start,
                                          Sale.sold_on <= end)).all()
        if not group:
            return len(rows)
        per_client: dict[int, list] = {}
        for client_id, sold_on, cents in rows:
            entry = per_client.get(client_id)
            if entry is None:
                per_client[client_id] = [sold_on, 1, cents]
            else:
                if sold_on > entry[0]:
                    entry[0] = sold_on
                entry[1] += 1
                entry[2] += cents
        clients = list(per_client)
        scores = {client_id: [0, 0, 0] for client_id in clients}
        n = len(clients)
        for metric in range(3):
            ordered = sorted(clients, key=lambda client_id, m=metric: per_client[client_id][m])
            rank, previous = 0, None
            for position, client_id in enumerate(ordered):
                value = per_client[client_id][metric]
                if value != previous:
                    rank, previous = position, value
                scores[client_id][metric] = 1 + min(4, 5 * rank // max(n - 1, 1))
        return n
    return run


def measure_all(filled: Filled, repeat: int, log) -> list[Measure]:
    tenant_id, actor = filled.tenant.id, filled.actor
    measures = [timed('rfm_profiles', in_unit(lambda s: rfm.compute_profiles(s, tenant_id)), repeat, log),
                timed('popularity', in_unit(lambda s: popularity.compute_popularity(s, tenant_id)), repeat, log)]
    for preset in PRESETS:
        period = dashboard.resolve_period(preset)
        measures.append(timed(f'dashboard_{preset}', in_unit(lambda s, p=period: dashboard.dashboard(s, actor, p)),
                              max(repeat, 10), log))
    measures.append(timed('recommendations',
                          in_unit(lambda s: recommendations.generate_recommendations(s, tenant_id)), repeat, log))
    measures.append(timed('audit', in_unit(lambda s: data_audit.run_audit(s, actor)), repeat, log))
    measures.append(timed('python_rows_fetch', python_rows(tenant_id, group=False), repeat, log))
    measures.append(timed('python_rows_rfm', python_rows(tenant_id, group=True), repeat, log))
    return measures


def format_table(measures: Sequence[Measure]) -> str:
    headers = ('measure', 'n', 'p50 (ms)', 'p95 (ms)', 'target (ms)', '')
    rows = [headers]
    for measure in measures:
        target = TARGETS_MS.get(measure.name)
        verdict = '' if target is None else ('OK' if measure.p95 < target else 'MISSED')
        rows.append((measure.name, str(len(measure.samples)), f'{measure.p50:.1f}', f'{measure.p95:.1f}',
                     f'< {target:,}' if target else '', verdict))
    widths = [max(len(row[column]) for row in rows) for column in range(len(headers))]
    lines = ['  '.join(cell.ljust(width) if column in (0, 5) else cell.rjust(width)
                       for column, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    lines.insert(1, '  '.join('-' * width for width in widths))
    return '\n'.join(lines)


def describe(engine: Engine) -> str:
    with engine.connect() as connection:
        version = '.'.join(str(part) for part in connection.dialect.server_version_info or ())
    return f'{engine.dialect.name} {version}'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.sales_volume', description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=TARGET_CLIENTS,
                        help=f'demo clients of the bench tenant (default {TARGET_CLIENTS:,}; ≈ 10 sales each)')
    parser.add_argument('--sqlite', action='store_true', help='a SQLite file instead of PostgreSQL')
    parser.add_argument('--keep', type=Path, metavar='DIR',
                        help='keep the database in DIR and reuse it on the next run (filled once)')
    parser.add_argument('--repeat', type=int, default=5, help='timed runs of each measure (default 5)')
    parser.add_argument('--seed', type=int, default=2026)
    args = parser.parse_args(argv)
    if args.clients < 1 or args.repeat < 1:
        parser.error('--clients and --repeat must be at least 1')
    if not args.sqlite and not available():
        print(f'bench.sales_volume: no PostgreSQL server binaries in {PG_BIN} (install postgresql-15, set '
              'CRM_TEST_POSTGRES_URL to a disposable database, or use --sqlite)', file=sys.stderr)
        return 1

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    database = sqlite_database(args.keep) if args.sqlite else postgres_cluster(args.keep)
    with database as url:
        engine = configure_engine(url)
        try:
            filled = fill(engine, args.clients, args.seed, log)
            generation, generated_sales, generated_lines = time_generation(filled.clients, args.seed)
            rebuild = time_rebuild(filled.tenant.id)
            load_before = os.getloadavg()[0]
            measures = measure_all(filled, args.repeat, log)
            load_after = os.getloadavg()[0]
            print(f'database: {describe(engine)} · tenant «{TENANT}»: {filled.clients:,} clients, '
                  f'{filled.products} products, {filled.sales:,} sales, {filled.lines:,} sale lines')
            print('fill: ' + (f'{filled.fill_seconds:.1f} s (all demo records, sales included), then planner '
                              f'statistics {filled.statistics_seconds:.1f} s' if filled.fill_seconds is not None
                              else 'reused (already filled)'))
            print(f'sales generator alone, in memory: {generated_sales:,} sales and {generated_lines:,} lines for '
                  f'{filled.clients:,} clients in {generation:.1f} s · sale_days.rebuild: {rebuild:.1f} s')
            print(format_table(measures))
            print(f'machine: {os.cpu_count()} CPUs, load average (1 min) {load_before:.1f} before the measures, '
                  f'{load_after:.1f} after')
        finally:
            engine.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
