"""RFM scores, segments and buying profiles per client, computed in the database (no row is loaded into Python).

Over the window — sales dated in (today − window months, today] — each client who bought gets:
- recency_days = today − last purchase; frequency = number of sales; monetary = their total (cents);
- first and last purchase, average basket = monetary / frequency (rounded to the nearest cent), average interval
  between purchases = (last − first) / (frequency − 1) days (none for a single purchase);
- top_families: up to 3 product families by spend on the lines of the window (ties by family name; a sale entered
  as a single amount has no family);
- budget_cents, what the client can be offered in one purchase: the midpoint between their average basket and their
  largest basket of the window. The average is their habit, the largest is what they proved they can spend; the
  midpoint stays within reach without betting on a one-off. It comes from the same pass as the other aggregates.

Scores (1–5, quintiles): score = 1 + floor(5 × percent_rank), capped at 5, where percent_rank = (rank − 1) / (n − 1)
among the n clients of the window and rank() gives tied clients the same (lowest) rank, hence the same score. It is
computed with integers, 1 + 5 × (rank − 1) div (n − 1), so both databases give exactly the same scores; a tenant with
a single buyer scores 1 (percent_rank 0). R ranks by last purchase, oldest first (the most recent buyers score 5),
F by frequency, M by monetary. The segment comes from R and F (services.analytics.segments).

Each computation writes the tenant's `client_profile` rows in one INSERT … SELECT … ON CONFLICT UPDATE, deletes those
of clients who left the window, and appends a `segment_change` row for every client whose segment changed: from none
when the client is new to the profiles, to none when they left the window. Segment moves between two dates are read
from that history; the changes are also counted in their month's moves (services.analytics.moves), which the
dashboard reads. On PostgreSQL the families go through a temporary table first (services.analytics.families).
"""

import time
from calendar import monthrange
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    Integer,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    true,
)
from sqlalchemy import table as sql_table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from db.models import Client, ClientProfile, Sale, SearchEntity, SegmentChange, utcnow
from db.models.types import UTCDateTime
from services import search as search_index
from services.actor import Actor
from services.analytics import moves as month_moves
from services.analytics.families import FAMILIES, store_families
from services.analytics.segments import SEGMENTS, segment_case
from services.clients import client_in_tenant
from services.clock import today as local_today
from services.errors import Invalid
from services.paging import Page, PageRequest, fetch_page

MIN_WINDOW, MAX_WINDOW, DEFAULT_WINDOW = 1, 120, 24
_PREVIOUS = sql_table('rfm_previous', column('client_id'), column('segment'))
_TEMPORARY = ('rfm_previous', 'rfm_families')  # dropped before and after a computation


@dataclass(frozen=True)
class RfmSummary:
    clients: int
    segments: dict[str, int]
    moves: int
    window_months: int
    start: date  # excluded: sales dated after it
    end: date  # included
    duration_ms: int
    computed_at: datetime = field(default_factory=utcnow)


def check_window(window_months: int) -> int:
    if isinstance(window_months, bool) or not isinstance(window_months, int) \
            or not MIN_WINDOW <= window_months <= MAX_WINDOW:
        raise Invalid('error.rfm_window', field='window_months', min=MIN_WINDOW, max=MAX_WINDOW)
    return window_months


def window_start(end: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter): excluded from the window."""
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    return date(year, month + 1, min(end.day, monthrange(year, month + 1)[1]))


# --- computation ------------------------------------------------------------------------------------------------------

def _days(dialect: str, later, earlier):
    """Whole days from `earlier` to `later` (two date expressions)."""
    if dialect == 'postgresql':
        return later - earlier  # date − date is an integer
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def _score(rank, n):
    return case((n == 1, 1), (rank == n, 5), else_=1 + (5 * (rank - 1)) // (n - 1))


def _per_client(tenant_id: int, start: date, end: date):
    """One pass over the window's sales: a client's count, total, dates and largest basket."""
    return (select(Sale.client_id.label('client_id'), func.count().label('frequency'),
                   cast(func.sum(Sale.total_cents), BigInteger).label('monetary'),
                   func.min(Sale.sold_on).label('first_on'), func.max(Sale.sold_on).label('last_on'),
                   func.max(Sale.total_cents).label('largest'))
            .where(Sale.tenant_id == tenant_id, Sale.sold_on > start, Sale.sold_on <= end)
            .group_by(Sale.client_id).cte('per_client'))


def _scored(dialect: str, per_client, end: date):
    ranked = select(
        per_client, func.count().over().label('n'),
        func.rank().over(order_by=per_client.c.last_on).label('r_rank'),
        func.rank().over(order_by=per_client.c.frequency).label('f_rank'),
        func.rank().over(order_by=per_client.c.monetary).label('m_rank')).cte('ranked')
    c = ranked.c
    basket = (2 * c.monetary + c.frequency) // (2 * c.frequency)
    span = _days(dialect, c.last_on, c.first_on)
    return select(
        c.client_id, c.frequency, c.monetary, c.first_on, c.last_on, c.largest,
        _days(dialect, literal(end, Date()), c.last_on).label('recency_days'),
        _score(c.r_rank, c.n).label('r_score'), _score(c.f_rank, c.n).label('f_score'),
        _score(c.m_rank, c.n).label('m_score'), basket.label('avg_basket'),
        case((c.frequency > 1, cast(span, Float) / (c.frequency - 1))).label('avg_interval')).cte('scored')


_PROFILE_COLUMNS = ['tenant_id', 'client_id', 'recency_days', 'frequency', 'monetary_cents', 'r_score', 'f_score',
                    'm_score', 'segment', 'first_purchase_on', 'last_purchase_on', 'avg_basket_cents',
                    'avg_interval_days', 'budget_cents', 'top_families', 'window_months', 'computed_at']


def _profiles_select(dialect: str, tenant_id: int, start: date, end: date, window_months: int, now: datetime,
                     families: Any):
    """The profiles, joined to the families stored in `rfm_families` (`families`: their JSON expression)."""
    scored = _scored(dialect, _per_client(tenant_id, start, end), end)
    s = scored.c
    return (select(literal(tenant_id), s.client_id, s.recency_days, s.frequency, s.monetary, s.r_score, s.f_score,
                   s.m_score, segment_case(s.r_score, s.f_score), s.first_on, s.last_on, s.avg_basket,
                   s.avg_interval, (s.avg_basket + s.largest + 1) // 2, families, literal(window_months),
                   literal(now, UTCDateTime()))
            .select_from(scored.outerjoin(FAMILIES, FAMILIES.c.client_id == s.client_id)))


def _upsert_profiles(session: Session, dialect: str, rows) -> None:
    """Insert or update each client's row: an update leaves the row's foreign keys unchecked (they did not change),
    where deleting and inserting again would check two per client."""
    statement = (pg_insert if dialect == 'postgresql' else sqlite_insert)(ClientProfile).from_select(
        _PROFILE_COLUMNS, rows.where(true()))  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
    session.execute(statement.on_conflict_do_update(
        index_elements=['client_id'],
        set_={name: statement.excluded[name] for name in _PROFILE_COLUMNS if name not in ('tenant_id', 'client_id')}))


def _record_changes(session: Session, tenant_id: int, now: datetime, run_id: int | None) -> int:
    """segment_change rows for the clients whose segment differs from the snapshot taken before the upsert (new
    ones from none), and for those the upsert did not reach, who left the window (to none); then their rows go."""
    new, old = ClientProfile, _PREVIOUS.c
    stamp, run = literal(now, UTCDateTime()), literal(run_id, Integer)
    stale = (new.tenant_id == tenant_id) & (new.computed_at != stamp)
    entered = (select(literal(tenant_id), new.client_id, old.segment, new.segment, stamp, run)
               .select_from(new).outerjoin(_PREVIOUS, old.client_id == new.client_id)
               .where(new.tenant_id == tenant_id, new.computed_at == stamp,
                      old.segment.is_(None) | (old.segment != new.segment)))
    left = select(literal(tenant_id), new.client_id, new.segment, literal(None, SegmentChange.to_segment.type),
                  stamp, run).where(stale)
    columns = ['tenant_id', 'client_id', 'from_segment', 'to_segment', 'changed_at', 'run_id']
    moves = sum(session.execute(insert(SegmentChange).from_select(columns, rows)
                                .execution_options(preserve_rowcount=True)).rowcount for rows in (entered, left))
    session.execute(delete(ClientProfile).where(stale).execution_options(synchronize_session=False))
    return moves


@contextmanager
def _streaming(session: Session, dialect: str) -> Iterator[None]:
    """PostgreSQL: aggregate the sales and lines as the (tenant, client, …) indexes deliver them, grouped by client,
    rather than hashing a million rows. The planner, which cannot foresee how few groups there are, would choose
    the hash (two to four times the work); these settings last for these statements only."""
    if dialect != 'postgresql':
        yield
        return
    settings = {'enable_hashagg': 'off', 'enable_seqscan': 'off', 'jit': 'off', 'work_mem': "'64MB'"}
    for name, value in settings.items():
        session.execute(text(f'SET LOCAL {name} = {value}'))
    yield
    for name in settings:
        session.execute(text(f'SET LOCAL {name} TO DEFAULT'))


def compute_profiles(session: Session, tenant_id: int, *, window_months: int = DEFAULT_WINDOW,
                     today: date | None = None, run_id: int | None = None) -> RfmSummary:
    """Recompute the tenant's profiles and segments over the window ending `today` (the firm's today)."""
    check_window(window_months)
    started = time.perf_counter()
    end = today or local_today()
    start, now = window_start(end, window_months), utcnow()
    dialect = session.get_bind().dialect.name
    session.flush()
    for name in _TEMPORARY:
        session.execute(text(f'DROP TABLE IF EXISTS {name}'))
    session.execute(text('CREATE TEMPORARY TABLE rfm_previous (client_id INTEGER PRIMARY KEY, segment VARCHAR(24))'))
    session.execute(insert(_PREVIOUS).from_select(['client_id', 'segment'], select(
        ClientProfile.client_id, ClientProfile.segment).where(ClientProfile.tenant_id == tenant_id)))
    with _streaming(session, dialect):
        families = store_families(session, tenant_id, start, end)
        _upsert_profiles(session, dialect, _profiles_select(dialect, tenant_id, start, end, window_months, now,
                                                            families))
    moves = _record_changes(session, tenant_id, now, run_id)
    if moves:
        month_moves.record(session, tenant_id, now)  # the dashboard's moves of the month
    for name in _TEMPORARY:
        session.execute(text(f'DROP TABLE IF EXISTS {name}'))
    counts = dict(session.execute(select(ClientProfile.segment, func.count())
                                  .where(ClientProfile.tenant_id == tenant_id)
                                  .group_by(ClientProfile.segment)).all())
    segments = {segment: int(counts.get(segment, 0)) for segment in SEGMENTS}
    return RfmSummary(clients=sum(segments.values()), segments=segments, moves=moves, window_months=window_months,
                      start=start, end=end, duration_ms=round((time.perf_counter() - started) * 1000),
                      computed_at=now)


# --- reading ----------------------------------------------------------------------------------------------------------

class ProfileRead(BaseModel):
    client_id: int
    segment: str
    r_score: int
    f_score: int
    m_score: int
    recency_days: int
    frequency: int
    monetary_cents: int
    avg_basket_cents: int
    avg_interval_days: float | None
    first_purchase_on: date
    last_purchase_on: date
    top_families: list[str]
    budget_cents: int
    window_months: int
    computed_at: datetime


class SegmentCount(BaseModel):
    segment: str
    clients: int
    revenue_cents: int  # the clients' monetary over the window


class SegmentClientRow(BaseModel):
    client_id: int
    name: str
    email: str | None
    segment: str
    r_score: int
    f_score: int
    m_score: int
    recency_days: int
    frequency: int
    monetary_cents: int
    last_purchase_on: date


class SegmentMove(BaseModel):
    from_segment: str | None  # None: the client entered the profiles
    to_segment: str | None  # None: the client left the window
    clients: int


class SegmentChangeRead(BaseModel):
    from_segment: str | None
    to_segment: str | None
    changed_at: datetime
    run_id: int | None


def get_profile(session: Session, actor: Actor, client_id: int) -> ProfileRead | None:
    """A client's profile as of the latest computation; None when they bought nothing in the window."""
    client_in_tenant(session, actor, client_id)
    row = session.get(ClientProfile, client_id)
    if row is None or row.tenant_id != actor.tenant_id:
        return None
    return ProfileRead(**row.model_dump(exclude={'tenant_id'}))


def segment_distribution(session: Session, actor: Actor) -> list[SegmentCount]:
    """Every segment, in the map's order, with its clients and their revenue over the window (zero when empty)."""
    rows = session.execute(select(ClientProfile.segment, func.count(), func.sum(ClientProfile.monetary_cents))
                           .where(ClientProfile.tenant_id == actor.tenant_id)
                           .group_by(ClientProfile.segment)).all()
    found = {segment: (int(count), int(revenue or 0)) for segment, count, revenue in rows}
    return [SegmentCount(segment=segment, clients=found.get(segment, (0, 0))[0],
                         revenue_cents=found.get(segment, (0, 0))[1]) for segment in SEGMENTS]


def check_segment(segment: str) -> str:
    if segment not in SEGMENTS:
        raise Invalid('error.segment_unknown', field='segment')
    return segment


def segment_clients(session: Session, actor: Actor, segment: str | None, page: PageRequest,
                    search: str | None = None) -> Page[SegmentClientRow]:
    """The clients of a segment (every profiled client when None), biggest spenders first."""
    query = (select(ClientProfile.client_id, Client.name, Client.email, ClientProfile.segment, ClientProfile.r_score,
                    ClientProfile.f_score, ClientProfile.m_score, ClientProfile.recency_days, ClientProfile.frequency,
                    ClientProfile.monetary_cents, ClientProfile.last_purchase_on)
             .join(Client, Client.id == ClientProfile.client_id)
             .where(ClientProfile.tenant_id == actor.tenant_id, Client.tenant_id == actor.tenant_id))
    if segment is not None:
        query = query.where(ClientProfile.segment == check_segment(segment))
    if search and search.strip():
        matching = search_index.matching_ids(session, actor.tenant_id, SearchEntity.CLIENT, search)
        if matching is not None:
            query = query.where(col(ClientProfile.client_id).in_(matching))
    rows, total = fetch_page(session, query, page, col(ClientProfile.monetary_cents).desc(),
                             col(ClientProfile.client_id))
    return Page(items=[SegmentClientRow(**row._mapping) for row in rows], total=total, limit=page.limit,
                offset=page.offset)


def segment_moves(session: Session, actor: Actor, since: datetime) -> list[SegmentMove]:
    """Clients who changed segment since `since`, by (from, to), most frequent first. A client's move is net: from
    the segment before their first change since then to the one after their latest (loyal → need attention → at risk
    in a month counts once, loyal → at risk; a client back where they were counts nowhere). A naive `since` is UTC."""
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    bounds = (select(SegmentChange.client_id, func.min(SegmentChange.id).label('first_id'),
                     func.max(SegmentChange.id).label('last_id'))
              .where(SegmentChange.tenant_id == actor.tenant_id, SegmentChange.changed_at >= since)
              .group_by(SegmentChange.client_id).subquery())
    first, last = SegmentChange.__table__.alias('first_change'), SegmentChange.__table__.alias('last_change')
    moved = (first.c.from_segment.is_distinct_from(last.c.to_segment))
    clients = func.count().label('clients')
    rows = session.execute(
        select(first.c.from_segment, last.c.to_segment, clients)
        .select_from(bounds.join(first, first.c.id == bounds.c.first_id).join(last, last.c.id == bounds.c.last_id))
        .where(moved).group_by(first.c.from_segment, last.c.to_segment)
        .order_by(clients.desc(), first.c.from_segment, last.c.to_segment)).all()
    return [SegmentMove(from_segment=old, to_segment=new, clients=int(count)) for old, new, count in rows]


def client_segment_history(session: Session, actor: Actor, client_id: int) -> list[SegmentChangeRead]:
    """A client's segment changes, newest first."""
    client_in_tenant(session, actor, client_id)
    rows = session.scalars(select(SegmentChange).where(SegmentChange.tenant_id == actor.tenant_id,
                                                       SegmentChange.client_id == client_id)
                           .order_by(col(SegmentChange.id).desc())).all()
    return [SegmentChangeRead(from_segment=row.from_segment, to_segment=row.to_segment, changed_at=row.changed_at,
                              run_id=row.run_id) for row in rows]
