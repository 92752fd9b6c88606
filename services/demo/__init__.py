"""Realistic French/Algerian demo data (faker fr_FR), at the scale the caller chooses.

`fill_tenant` adds, per client, about 3 contacts, 2 cases (each with its creation in the status history) and
5 notes per case, plus the search entries of all of them (built by `services.search.entry_values`, so the global
search finds demo data). Each client also gets a stage of the tenant's pipeline with its history (entry, moves
forward, sometimes lost), about 10 interactions over the past three years (a long tail: a few clients have
hundreds; meetings, lunches and webinars with their participants; some meetings planned in the coming weeks) and,
for a minority of customers, monthly KPI rows (see services.demo.activity). The tenant gets the demo catalogue
(181 products in ten families, services.demo.catalogue) and its clients about `SALES_PER_CLIENT` sales each over
the last 30 months, with their lines (see services.demo.sales), then the daily sales totals are rebuilt.
100,000 clients (≈ 6 million rows with the search entries and the million interactions, plus a million sales
and 2.5 million sale lines) load in a few minutes:
rows are generated in chunks of `CHUNK` clients with explicitly allocated ids (the sales, kept compact, are written
last, in chronological order: the physical order of a real sales table), then written with COPY on
PostgreSQL and with executemany on SQLite (where the search_entry triggers keep FTS5 in step, row by row).
Case references are numbered per year of `opened_at`, in chronological order, after the tenant's last number
of that year; the case_sequence rows are locked for the whole fill and left at the last number used.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from db.models import AuditAction, CaseSequence, ClientType, PipelineStage, Role, Sale, SaleLine, User
from services import audit, sale_days
from services.demo.catalogue import SALES_PER_CLIENT
from services.demo.columns import TABLES
from services.demo.generator import DemoGenerator
from services.demo.products import insert_catalogue
from services.demo.sale_rows import LINE_COLUMNS, SALE_COLUMNS, SalesBatch
from services.demo.sales import SalesGenerator
from services.demo.vocabulary import NOTES_PER_CASE
from services.demo.writers import PostgresWriter, SqliteWriter
from services.tenants import TenantRead
from settings import get_settings

CHUNK = 5000  # clients generated and written at a time: memory stays bounded whatever the scale

__all__ = ['CHUNK', 'NOTES_PER_CASE', 'SALES_PER_CLIENT', 'DemoResult', 'fill_tenant', 'refresh_statistics']


@dataclass(frozen=True)
class DemoResult:
    clients: int
    contacts: int = 0
    cases: int = 0
    notes: int = 0
    tags: int = 0
    search_entries: int = 0
    stage_changes: int = 0
    interactions: int = 0
    participants: int = 0
    kpis: int = 0
    products: int = 0
    sales: int = 0
    sale_lines: int = 0
    seconds: float = 0.0


def fill_tenant(session: Session, tenant: TenantRead, *, clients: int, seed: int = 2026,
                sales_per_client: float = SALES_PER_CLIENT) -> DemoResult:
    """Add `clients` demo clients to the tenant with their contacts, cases, notes, search entries, pipeline stage
    and history, interactions (with participants), KPI rows and sales (with the demo catalogue, when missing).

    Runs in the caller's unit of work (nothing is committed here). Deterministic for a given seed and database.
    """
    started = time.perf_counter()
    users = list(session.exec(select(User.id).where(User.tenant_id == tenant.id, col(User.is_active).is_(True),
                                                    User.role != Role.VIEWER).order_by(col(User.id))).all())
    types = list(session.exec(select(ClientType.name).where(ClientType.tenant_id == tenant.id)
                              .order_by(col(ClientType.position), col(ClientType.name))).all())
    stages = [(stage_id, is_lost) for stage_id, is_lost in session.exec(
        select(PipelineStage.id, PipelineStage.is_lost).where(PipelineStage.tenant_id == tenant.id)
        .order_by(col(PipelineStage.position), col(PipelineStage.id))).all()]
    generator = DemoGenerator(tenant.id, users, types, seed, clients, stages)
    numbers = _lock_sequences(session, tenant.id, generator.years)
    generator.number_cases(numbers)
    counts = dict.fromkeys(('clients', 'contacts', 'cases', 'notes', 'tags', 'search_entries', 'stage_changes',
                            'interactions', 'participants', 'kpis', 'products', 'sales', 'sale_lines'), 0)
    sales = None
    if clients and sales_per_client > 0:
        counts['products'] = insert_catalogue(session, tenant.id, tenant.currency, generator.now)
        sales = SalesGenerator.for_tenant(session, tenant.id, tenant.currency, users, seed, generator.now,
                                          ZoneInfo(get_settings().timezone), sales_per_client=sales_per_client)
    postgres = session.get_bind().dialect.name == 'postgresql'
    batches = []
    with PostgresWriter(session) if postgres else SqliteWriter(session) as writer:
        for first in range(0, clients, CHUNK):
            chunk = generator.chunk(first, min(CHUNK, clients - first), writer.ids)
            if sales is not None:
                batches.append(sales.generate(chunk['clients']))
            for key in counts.keys() - {'products', 'sales', 'sale_lines'}:
                counts[key] += len(chunk[key])
            writer.submit(chunk)
        if sales is not None:  # in chronological order, as they would have been recorded
            for sale_rows, line_rows in sales.rows(SalesBatch.merge(batches), writer.ids):
                writer.submit({'tables': [(Sale, SALE_COLUMNS, sale_rows), (SaleLine, LINE_COLUMNS, line_rows)]})
                counts['sales'] += len(sale_rows)
                counts['sale_lines'] += len(line_rows)
    if counts['sales']:
        sale_days.rebuild(session, tenant.id)
    for year, last in numbers.items():
        session.execute(update(CaseSequence).where(CaseSequence.tenant_id == tenant.id, CaseSequence.year == year)
                        .values(last_number=last))
    result = DemoResult(**counts, seconds=time.perf_counter() - started)
    audit.record(session, None, tenant_id=tenant.id, action=AuditAction.CREATE, entity='client', entity_id=None,
                 changes={'demo_clients': result.clients, 'demo_contacts': result.contacts,
                          'demo_cases': result.cases, 'demo_notes': result.notes,
                          'demo_interactions': result.interactions, 'demo_kpis': result.kpis,
                          'demo_products': result.products, 'demo_sales': result.sales})
    return result


def refresh_statistics(engine: Engine) -> None:
    """After a big fill (committed), on PostgreSQL: what autovacuum would do a little later (planner statistics,
    visibility map for index-only scans), so that the first queries already get good plans. Tables the user does
    not own are skipped with a warning by PostgreSQL. SQLite plans without statistics: nothing to do."""
    if engine.dialect.name != 'postgresql':
        return
    # Each ANALYZE commits; asynchronously on a server with synchronous_commit = off, and until the WAL writer
    # catches up PostgreSQL then refuses to set the "committed" hint bit of any transaction whose commit status
    # shares that commit's page group, the fill's included: VACUUM would leave the pages not all-visible (no
    # index-only scans), at random. Synchronous commits here (and in the fill, see PostgresWriter) avoid that.
    with engine.connect().execution_options(isolation_level='AUTOCOMMIT') as connection:
        connection.exec_driver_sql('SET synchronous_commit = on')
        try:
            for model in TABLES:
                connection.exec_driver_sql(f'VACUUM (ANALYZE) "{model.__table__.name}"')
        finally:
            connection.exec_driver_sql('RESET synchronous_commit')


def _lock_sequences(session: Session, tenant_id: int, years: Iterable[int]) -> dict[int, int]:
    """The last reference number of each year, with the case_sequence rows locked until the fill commits."""
    years = sorted(years)
    if not years:
        return {}
    dialect_insert = postgres_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    session.execute(dialect_insert(CaseSequence).values([{'tenant_id': tenant_id, 'year': year, 'last_number': 0}
                                                          for year in years]).on_conflict_do_nothing())
    rows = session.execute(select(CaseSequence.year, CaseSequence.last_number)
                           .where(CaseSequence.tenant_id == tenant_id, col(CaseSequence.year).in_(years))
                           .order_by(col(CaseSequence.year)).with_for_update()).all()
    return dict(rows)
