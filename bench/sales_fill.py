"""The data of `bench.sales_volume`: a tenant filled by the demo generator (`services.demo.fill_tenant`) with N clients
and their usual demo records, the demo catalogue and about 10 × N sales over 30 months (services.demo.sales), on a
throwaway PostgreSQL 15 cluster (as `bench.volume`), or one kept in a directory to be reused, or on SQLite.

A kept directory holds the cluster's data (`pgdata/`) or the SQLite file (`sales.db`): the next run with the same
`--keep` finds the tenant and skips the fill (the data stays as generated on its day: sales end that day).
"""

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from bench.postgres_cluster import kept_cluster, throwaway_cluster
from db.migrate import upgrade_to_head
from db.models import Client, Product, Sale, SaleLine, User
from db.session import session_scope
from services import sale_days
from services.actor import Actor
from services.auth import trusted_actor
from services.demo import fill_tenant, refresh_statistics
from services.demo.products import catalogue, price_cents
from services.demo.sales import SalesGenerator
from services.tenants import TenantRead, create_tenant, find_tenant
from settings import get_settings

TENANT = 'Bench ventes'
ADMIN_EMAIL = 'bench-ventes@bench.dz'
ADMIN_PASSWORD = 'bench-password'


@contextmanager
def postgres_cluster(keep: Path | None) -> Iterator[str]:
    """A PostgreSQL URL: CRM_TEST_POSTGRES_URL, a cluster kept in `keep`/pgdata (made on first use, stopped after),
    or a throwaway one."""
    if os.environ.get('CRM_TEST_POSTGRES_URL') or keep is None:
        with throwaway_cluster() as url:
            yield url
        return
    with kept_cluster(keep) as url:
        yield url


@contextmanager
def sqlite_database(keep: Path | None) -> Iterator[str]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield f'sqlite:///{keep.resolve()}/sales.db'
        return
    with tempfile.TemporaryDirectory(prefix='crm-sales-volume-') as directory:
        yield f'sqlite:///{directory}/sales.db'


@dataclass
class Filled:
    tenant: TenantRead
    actor: Actor
    clients: int
    products: int
    sales: int
    lines: int
    fill_seconds: float | None = None  # None: found already filled
    statistics_seconds: float | None = None


def fill(engine: Engine, clients: int, seed: int, log=print) -> Filled:
    """Migrate, then make and fill the bench tenant unless it exists; what it holds."""
    upgrade_to_head(engine)
    with session_scope() as session:
        tenant = find_tenant(session, TENANT)
    fill_seconds = statistics_seconds = None
    if tenant is None:
        with session_scope() as session:
            tenant, _ = create_tenant(session, name=TENANT, admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD,
                                      admin_name='Bench Ventes')
        log(f'sales_fill: filling «{TENANT}» with {clients:,} demo clients and their sales…')
        started = time.perf_counter()
        with session_scope() as session:
            result = fill_tenant(session, tenant, clients=clients, seed=seed)
        fill_seconds = time.perf_counter() - started
        log(f'sales_fill: {result.clients:,} clients, {result.contacts:,} contacts, {result.cases:,} cases, '
            f'{result.notes:,} notes, {result.interactions:,} interactions, {result.products} products, '
            f'{result.sales:,} sales and {result.sale_lines:,} lines in {fill_seconds:.1f} s')
        started = time.perf_counter()
        refresh_statistics(engine)
        statistics_seconds = time.perf_counter() - started
        log(f'sales_fill: planner statistics refreshed in {statistics_seconds:.1f} s')
    with session_scope() as session:
        def count(model) -> int:
            return session.exec(select(func.count()).select_from(model).where(model.tenant_id == tenant.id)).one()

        counts = count(Client), count(Product), count(Sale), count(SaleLine)
        admin = session.exec(select(User.id).where(User.email == ADMIN_EMAIL)).one()
        actor = trusted_actor(session, user_id=admin, tenant_id=tenant.id)
    return Filled(tenant, actor, *counts, fill_seconds=fill_seconds, statistics_seconds=statistics_seconds)


def time_rebuild(tenant_id: int) -> float:
    """Seconds to recount the tenant's daily totals (`sale_days.rebuild`, as the fill ends), committed."""
    started = time.perf_counter()
    with session_scope() as session:
        sale_days.rebuild(session, tenant_id)
    return time.perf_counter() - started


def time_generation(clients: int, seed: int) -> tuple[float, int, int]:
    """The sales generator alone, in memory (no database): seconds, sales and lines for `clients` made-up clients
    created over the last two years (fill_tenant's chunks of 5,000)."""
    now = datetime.now(UTC)
    products = {entry.sku: (index + 1, price_cents(entry.price_dzd, 'DZD'), 'inactive' not in entry.tags)
                for index, entry in enumerate(catalogue())}
    generator = SalesGenerator(1, 'DZD', products, [1, 2], seed, now, ZoneInfo(get_settings().timezone),
                               postgres=True)
    next_id = [1]

    def ids(_model, count: int) -> range:
        first = next_id[0]
        next_id[0] += count
        return range(first, first + count)

    sales = lines = 0
    started = time.perf_counter()
    for first in range(0, clients, 5000):
        rows = [{'id': first + i + 1, 'created_at': now - timedelta(days=(first + i) * 7919 % 790),
                 'kind': 'company' if i % 10 < 7 else 'individual', 'status': 'active', 'owner_id': 1}
                for i in range(min(5000, clients - first))]
        chunk_sales, chunk_lines = generator.chunk(rows, ids)
        sales += len(chunk_sales)
        lines += len(chunk_lines)
    return time.perf_counter() - started, sales, lines
