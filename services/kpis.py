"""Monthly KPIs per client (seed 001): meetings, pitches, due diligences, closings, revenue, commission.

Meetings and pitches are counted from the month's interactions (meetings and lunches that took place; interactions
marked as pitches) unless a user typed a number, which then wins. Months follow the firm's time zone.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import BigInteger, Integer, case, cast, func, literal, null, or_, union_all
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import AuditAction, Client, ClientKpi, Interaction, utcnow
from services import audit
from services.actor import Actor, require_write
from services.clients import client_in_tenant
from services.errors import Invalid
from services.interactions import MEETING_TYPES
from services.paging import Page, PageRequest, fetch_page
from settings import get_settings

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_COUNT = 10_000
MAX_REVENUE = Decimal('999999999999.99')
CENT, BASIS_POINT = Decimal('0.01'), Decimal('0.01')
TOP_CLIENTS = 10


class KpiInput(BaseModel):
    year: int
    month: int
    meetings: int | None = None  # None: counted from interactions
    pitches: int | None = None
    due_diligences: int = 0
    closings: int = 0
    revenue: Decimal = Decimal(0)
    commission_rate: Decimal = Decimal(0)  # percent, 0–100


class KpiRead(BaseModel):
    client_id: int
    client_name: str
    year: int
    month: int
    meetings: int
    pitches: int
    meetings_counted: int  # from interactions
    pitches_counted: int
    meetings_overridden: bool
    pitches_overridden: bool
    due_diligences: int
    closings: int
    revenue: Decimal
    commission_rate: Decimal
    commission: Decimal
    saved: bool  # False: nothing typed for that month, only counts
    version: int | None = None


@dataclass(frozen=True)
class KpiTotals:
    meetings: int = 0
    pitches: int = 0
    due_diligences: int = 0
    closings: int = 0
    revenue: Decimal = Decimal(0)
    commission: Decimal = Decimal(0)


@dataclass(frozen=True)
class MonthSummary:
    year: int
    month: int
    totals: KpiTotals
    clients_with_activity: int
    top_by_revenue: list[KpiRead] = field(default_factory=list)
    top_by_meetings: list[KpiRead] = field(default_factory=list)


@dataclass(frozen=True)
class AnnualSummary:
    client_id: int
    client_name: str
    year: int
    months: list[KpiRead]
    totals: KpiTotals


def _check_month(year: int, month: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid('error.year_invalid', field='year', min=MIN_YEAR, max=MAX_YEAR)
    if not 1 <= month <= 12:
        raise Invalid('error.month_invalid', field='month')


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The month in the firm's time zone, as a UTC [start, end) range."""
    zone = ZoneInfo(get_settings().timezone)
    following = date(year + month // 12, month % 12 + 1, 1)
    return (datetime.combine(date(year, month, 1), time.min, zone).astimezone(UTC),
            datetime.combine(following, time.min, zone).astimezone(UTC))


# Only these rows count: reading the others would only find clients with nothing to count.
_MEETING_OR_PITCH = or_(col(Interaction.type).in_(MEETING_TYPES), col(Interaction.is_pitch).is_(True))


def _counted(session: Session, actor: Actor, year: int, month: int,
             client_id: int | None = None) -> dict[int, tuple[int, int]]:
    """{client id: (meetings, pitches)} from the interactions of the month that already took place."""
    start, end = month_bounds(year, month)
    end = min(end, max(start, utcnow()))
    query = (select(Interaction.client_id,
                    func.count(case((col(Interaction.type).in_(MEETING_TYPES), 1))),
                    func.count(case((col(Interaction.is_pitch).is_(True), 1))))
             .where(Interaction.tenant_id == actor.tenant_id, Interaction.occurred_at >= start,
                    Interaction.occurred_at < end, _MEETING_OR_PITCH)
             .group_by(Interaction.client_id))
    if client_id is not None:
        query = query.where(Interaction.client_id == client_id)
    return {row[0]: (row[1], row[2]) for row in session.exec(query).all() if row[1] or row[2]}


def _read(client_id: int, client_name: str, year: int, month: int, row: ClientKpi | None,
          counted: tuple[int, int]) -> KpiRead:
    revenue = Decimal(row.revenue_cents) * CENT if row else Decimal(0)
    rate = Decimal(row.commission_bps) * BASIS_POINT if row else Decimal(0)
    meetings_typed, pitches_typed = (row.meetings, row.pitches) if row else (None, None)
    return KpiRead(
        client_id=client_id, client_name=client_name, year=year, month=month,
        meetings=counted[0] if meetings_typed is None else meetings_typed,
        pitches=counted[1] if pitches_typed is None else pitches_typed,
        meetings_counted=counted[0], pitches_counted=counted[1], meetings_overridden=meetings_typed is not None,
        pitches_overridden=pitches_typed is not None, due_diligences=row.due_diligences if row else 0,
        closings=row.closings if row else 0, revenue=revenue.quantize(CENT), commission_rate=rate.quantize(CENT),
        commission=(revenue * rate / 100).quantize(CENT, ROUND_HALF_UP), saved=row is not None,
        version=row.version if row else None)


def _money(value: Decimal, *, field: str, maximum: Decimal) -> int:
    """A non-negative amount with at most two decimals, in hundredths."""
    if not value.is_finite() or value < 0 or value > maximum:
        raise Invalid('error.amount_invalid', field=field)
    if value != value.quantize(CENT):
        raise Invalid('error.amount_decimals', field=field)
    return int(value * 100)


def _count(value: int | None, *, field: str) -> int | None:
    if value is not None and not 0 <= value <= MAX_COUNT:
        raise Invalid('error.count_invalid', field=field, max=MAX_COUNT)
    return value


def save_kpi(session: Session, actor: Actor, client_id: int, data: KpiInput) -> KpiRead:
    """Create or update the client's row for that month (one row per client and month)."""
    require_write(actor)
    _check_month(data.year, data.month)
    client = client_in_tenant(session, actor, client_id)
    values = {'meetings': _count(data.meetings, field='meetings'), 'pitches': _count(data.pitches, field='pitches'),
              'due_diligences': _count(data.due_diligences, field='due_diligences'),
              'closings': _count(data.closings, field='closings'),
              'revenue_cents': _money(data.revenue, field='revenue', maximum=MAX_REVENUE),
              'commission_bps': _money(data.commission_rate, field='commission_rate', maximum=Decimal(100))}
    period = f'{data.year}-{data.month:02d}'
    row, created = _saved_row(session, actor, client.id, data.year, data.month), None
    if row is None:
        created = ClientKpi(tenant_id=actor.tenant_id, client_id=client.id, year=data.year, month=data.month, **values)
        try:
            with session.begin_nested():
                session.add(created)
                session.flush()
        except IntegrityError:  # the same month saved by another request meanwhile: update that row instead
            row = _saved_row(session, actor, client.id, data.year, data.month)
            if row is None:
                raise
        else:
            row = created
            audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='client_kpi',
                         entity_id=client.id, changes=audit.diff({}, {'period': period, **values}))
    if row is not created:
        changes = audit.diff({name: getattr(row, name) for name in values}, values)
        if changes:
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
            audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='client_kpi',
                         entity_id=client.id, changes={'period': period, **changes})
    session.add(row)
    session.flush()
    return _read(client.id, client.name, data.year, data.month, row,
                 _counted(session, actor, data.year, data.month, client.id).get(client.id, (0, 0)))


def _saved_row(session: Session, actor: Actor, client_id: int, year: int, month: int) -> ClientKpi | None:
    return session.exec(select(ClientKpi).where(ClientKpi.tenant_id == actor.tenant_id,
                                                ClientKpi.client_id == client_id, ClientKpi.year == year,
                                                ClientKpi.month == month)).first()


def _totals(rows: list[KpiRead]) -> KpiTotals:
    return KpiTotals(meetings=sum(r.meetings for r in rows), pitches=sum(r.pitches for r in rows),
                     due_diligences=sum(r.due_diligences for r in rows), closings=sum(r.closings for r in rows),
                     revenue=sum((r.revenue for r in rows), Decimal(0)),
                     commission=sum((r.commission for r in rows), Decimal(0)))


def annual_summary(session: Session, actor: Actor, client_id: int, year: int) -> AnnualSummary:
    _check_month(year, 1)
    client = client_in_tenant(session, actor, client_id)
    rows = {row.month: row for row in session.exec(select(ClientKpi).where(
        ClientKpi.tenant_id == actor.tenant_id, ClientKpi.client_id == client.id, ClientKpi.year == year)).all()}
    months = [_read(client.id, client.name, year, month, rows.get(month),
                    _counted(session, actor, year, month, client.id).get(client.id, (0, 0)))
              for month in range(1, 13)]
    return AnnualSummary(client.id, client.name, year, months, _totals(months))


def month_summary(session: Session, actor: Actor, year: int, month: int) -> MonthSummary:
    """Totals across clients, from the saved rows and the counted interactions, and the leading clients.

    Summed by the database (a busy month has tens of thousands of clients with activity): the month's saved rows
    and its counted interactions are merged per client (a typed number wins over the count), and one pass gives
    the totals (window sums) with the ten first clients by revenue and by meetings; only those are read whole."""
    _check_month(year, month)
    start, end = month_bounds(year, month)
    end = min(end, max(start, utcnow()))
    zero = cast(literal(0), BigInteger)
    saved = select(ClientKpi.client_id.label('client_id'), ClientKpi.meetings.label('typed_meetings'),
                   ClientKpi.pitches.label('typed_pitches'), zero.label('counted_meetings'),
                   zero.label('counted_pitches'), ClientKpi.due_diligences.label('due_diligences'),
                   ClientKpi.closings.label('closings'), ClientKpi.revenue_cents.label('revenue_cents'),
                   # In cents, rounded half up per client as each row shows it (cents × bps / 10⁴).
                   ((ClientKpi.revenue_cents * ClientKpi.commission_bps + 5_000) // 10_000).label('commission')) \
        .where(ClientKpi.tenant_id == actor.tenant_id, ClientKpi.year == year, ClientKpi.month == month)
    counted = select(Interaction.client_id, cast(null(), Integer), cast(null(), Integer),
                     func.count(case((col(Interaction.type).in_(MEETING_TYPES), 1))),
                     func.count(case((col(Interaction.is_pitch).is_(True), 1))), zero, zero, zero, zero) \
        .where(Interaction.tenant_id == actor.tenant_id, Interaction.occurred_at >= start,
               Interaction.occurred_at < end, _MEETING_OR_PITCH) \
        .group_by(Interaction.client_id)
    both = union_all(saved, counted).subquery()
    # A client has one saved row at most and one counted row at most (the other side gives zeros): max() merges
    # them, lighter than sum() (no numeric state).
    counted_meetings, counted_pitches = func.max(both.c.counted_meetings), func.max(both.c.counted_pitches)
    merged = select(both.c.client_id, counted_meetings.label('counted_meetings'),
                    counted_pitches.label('counted_pitches'),
                    func.coalesce(func.max(both.c.typed_meetings), counted_meetings).label('meetings'),
                    func.coalesce(func.max(both.c.typed_pitches), counted_pitches).label('pitches'),
                    *(func.max(both.c[name]).label(name)
                      for name in ('due_diligences', 'closings', 'revenue_cents', 'commission'))) \
        .group_by(both.c.client_id).subquery()
    totals_of = ('meetings', 'pitches', 'due_diligences', 'closings', 'revenue_cents', 'commission')
    ranked = select(merged.c.client_id, merged.c.counted_meetings, merged.c.counted_pitches, merged.c.meetings,
                    merged.c.revenue_cents,
                    *(func.sum(merged.c[name]).over().label(f'total_{name}') for name in totals_of),
                    func.count().over().label('clients'),
                    func.row_number().over(order_by=(merged.c.revenue_cents.desc(), merged.c.client_id))
                    .label('revenue_rank'),
                    func.row_number().over(order_by=(merged.c.meetings.desc(), merged.c.client_id))
                    .label('meetings_rank')).subquery()
    rows = session.execute(select(ranked).where(or_(ranked.c.revenue_rank <= TOP_CLIENTS,
                                                    ranked.c.meetings_rank <= TOP_CLIENTS))).all()
    if not rows:
        return MonthSummary(year, month, KpiTotals(revenue=Decimal('0.00'), commission=Decimal('0.00')), 0)
    first = rows[0]
    totals = KpiTotals(meetings=int(first.total_meetings), pitches=int(first.total_pitches),
                       due_diligences=int(first.total_due_diligences), closings=int(first.total_closings),
                       revenue=(Decimal(int(first.total_revenue_cents)) * CENT).quantize(CENT),
                       commission=(Decimal(int(first.total_commission)) * CENT).quantize(CENT))
    top_revenue = [r for r in sorted(rows, key=lambda r: r.revenue_rank)
                   if r.revenue_rank <= TOP_CLIENTS and r.revenue_cents]
    top_meetings = [r for r in sorted(rows, key=lambda r: r.meetings_rank)
                    if r.meetings_rank <= TOP_CLIENTS and r.meetings]
    picked = {r.client_id for r in top_revenue + top_meetings}
    names = _client_names(session, picked)
    saved_rows = {row.client_id: row for row in session.exec(select(ClientKpi).where(
        ClientKpi.tenant_id == actor.tenant_id, ClientKpi.year == year, ClientKpi.month == month,
        col(ClientKpi.client_id).in_(picked))).all()} if picked else {}
    reads = {r.client_id: _read(r.client_id, names.get(r.client_id, ''), year, month, saved_rows.get(r.client_id),
                                (int(r.counted_meetings), int(r.counted_pitches))) for r in rows}
    return MonthSummary(year, month, totals, int(first.clients), [reads[r.client_id] for r in top_revenue],
                        [reads[r.client_id] for r in top_meetings])


def _client_names(session: Session, client_ids: set[int]) -> dict[int, str]:
    if not client_ids:
        return {}
    return dict(session.exec(select(Client.id, Client.name).where(col(Client.id).in_(client_ids))).all())


def list_kpis(session: Session, actor: Actor, page: PageRequest, *, year: int | None = None,
              month: int | None = None, client_id: int | None = None) -> Page[KpiRead]:
    """Saved rows, newest month first (counts from interactions included)."""
    query = select(ClientKpi).where(ClientKpi.tenant_id == actor.tenant_id)
    if year is not None:
        _check_month(year, month or 1)
        query = query.where(ClientKpi.year == year)
    if month is not None:
        _check_month(year or MIN_YEAR, month)
        query = query.where(ClientKpi.month == month)
    if client_id is not None:
        query = query.where(ClientKpi.client_id == client_in_tenant(session, actor, client_id).id)
    rows, total = fetch_page(session, query, page, col(ClientKpi.year).desc(), col(ClientKpi.month).desc(),
                             col(ClientKpi.client_id))
    names = _client_names(session, {row.client_id for row in rows})
    counts: dict[tuple[int, int], dict[int, tuple[int, int]]] = {}
    reads = []
    for row in rows:
        period = (row.year, row.month)
        if period not in counts:
            counts[period] = _counted(session, actor, row.year, row.month)
        reads.append(_read(row.client_id, names.get(row.client_id, ''), row.year, row.month, row,
                           counts[period].get(row.client_id, (0, 0))))
    return Page(items=reads, total=total, limit=page.limit, offset=page.offset)
