"""The sales dashboard: KPIs of a period against the period before, the monthly trend against the previous year,
revenue by family, top products, RFM segments and their latest moves.

Everything comes from a handful of aggregate queries, tenant-filtered:
- revenue, sales count and revenue by family: the daily totals (`sale_day`, a few thousand rows at most);
- the monthly trend: the same rows, grouped by month in the database;
- buying clients (bought in the 90 days up to a period's end): distinct clients over `ix_sale_tenant_sold` (not to
  be confused with the clients whose status is «Actif», which the home dashboard counts);
- top products: the monthly product totals (`sale_product_month`) of the period's months, corrected by the lines of
  the days of its edge months (`ix_sale_line_tenant_sold`);
- segments: the RFM module's read of `client_profile` (latest computation); moves: the month's counts of
  `segment_move_month`, kept by each computation.

A period is two inclusive dates; the previous period has the same length and ends the day before it starts.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import case, distinct, extract, func, select, union_all
from sqlmodel import Session

from db.models import (
    Client,
    ClientProfile,
    Product,
    Sale,
    SaleDay,
    SaleLine,
    SaleProductMonth,
)
from services.actor import Actor
from services.analytics import moves as month_moves
from services.analytics import rfm
from services.analytics.rfm import SegmentMove
from services.clock import today as clock_today
from services.errors import Invalid
from services.overview import counted_clients
from services.sales import average, tenant_currency
from settings import get_settings

PRESETS = ('30d', 'month', 'quarter', 'ytd', '12m', 'custom')
DEFAULT_PRESET = '12m'
BUYING_DAYS = 90  # a buying client bought in the 90 days up to the period's end
TREND_MONTHS = 12  # the trend shows at least the last 12 months
MAX_PERIOD_DAYS = 5 * 366
MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2100, 12, 31)
TOP_PRODUCTS = 10
TOP_MOVES = 6
CENT = Decimal('0.01')
WHOLE_DAY = ''  # sale_day's row of the day's whole sales


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    preset: str = 'custom'

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> 'Period':
        """The same number of days, just before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.preset)


def _shift_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1]))


def _first_of_month(day: date, months_back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def resolve_period(preset: str = DEFAULT_PRESET, start: date | None = None, end: date | None = None, *,
                   today: date | None = None) -> Period:
    """A preset (up to today: the last 30 days, month, quarter or year to date, the last 12 months) or a custom
    period between two dates (both required, start ≤ end, at most five years)."""
    day = today or clock_today()
    if preset == '30d':
        return Period(day - timedelta(days=29), day, preset)
    if preset == 'month':
        return Period(day.replace(day=1), day, preset)
    if preset == 'quarter':
        return Period(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), day, preset)
    if preset == 'ytd':
        return Period(date(day.year, 1, 1), day, preset)
    if preset == '12m':
        return Period(_shift_years(day, -1) + timedelta(days=1), day, preset)
    if preset != 'custom':
        raise Invalid('error.period_unknown', field='period', presets=', '.join(PRESETS))
    if start is None or end is None:
        raise Invalid('error.period_dates_missing', field='start' if start is None else 'end')
    for name, value in (('start', start), ('end', end)):
        if not MIN_DATE <= value <= MAX_DATE:
            raise Invalid('error.date_out_of_range', field=name)
    if end < start:
        raise Invalid('error.period_invalid', field='end')
    period = Period(start, end, preset)
    if period.days > MAX_PERIOD_DAYS:
        raise Invalid('error.period_too_long', field='start', years=MAX_PERIOD_DAYS // 366)
    return period


# --- read models ----------------------------------------------------------------------------------------------

class PeriodRead(BaseModel):
    preset: str
    start: date
    end: date
    previous_start: date
    previous_end: date


class CountKpi(BaseModel):
    value: int
    previous: int
    change: int
    change_percent: float | None  # None when the previous value is 0


class MoneyKpi(BaseModel):
    value: Decimal | None  # None: nothing to average
    previous: Decimal | None
    change: Decimal | None
    change_percent: float | None


class TrendMonth(BaseModel):
    year: int
    month: int
    revenue: Decimal
    sales: int
    previous_year_revenue: Decimal  # the same month a year before (cut at the same day for the period's last month)
    previous_year_sales: int
    partial: bool = False  # counted up to the period's end only, before the month's last day (the current month)


class FamilyRevenue(BaseModel):
    family: str
    revenue: Decimal
    units: int


class ProductRevenue(BaseModel):
    product_id: int
    name: str
    sku: str
    family: str
    revenue: Decimal


class SegmentShare(BaseModel):
    segment: str
    clients: int
    revenue: Decimal  # spend over the RFM window


class Dashboard(BaseModel):
    period: PeriodRead
    currency: str
    total_clients: CountKpi  # the clients every screen counts (not archived), at each period's end
    buying_clients: CountKpi  # clients with a sale in the 90 days up to each period's end
    revenue: MoneyKpi
    average_basket: MoneyKpi
    sales: CountKpi
    trend: list[TrendMonth]
    families: list[FamilyRevenue]
    revenue_without_family: Decimal = Decimal('0.00')  # the rest of `revenue`: single-amount sales, no-family lines
    top_products: list[ProductRevenue]
    segments: list[SegmentShare]
    segment_moves: list[SegmentMove]
    moves_since: date
    last_computed_at: datetime | None  # the latest RFM computation (None: never computed, or nobody bought)
    has_sales: bool  # any sale at all, whatever the period


# --- helpers --------------------------------------------------------------------------------------------------

def money(cents: int | None) -> Decimal:
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def _percent(value, previous) -> float | None:
    if not previous:
        return None
    return round(float((value - previous) / previous * 100), 1)


def _count_kpi(value: int, previous: int) -> CountKpi:
    return CountKpi(value=value, previous=previous, change=value - previous, change_percent=_percent(value, previous))


def _money_kpi(value: Decimal | None, previous: Decimal | None) -> MoneyKpi:
    if value is None or previous is None:
        return MoneyKpi(value=value, previous=previous, change=None, change_percent=None)
    return MoneyKpi(value=value, previous=previous, change=value - previous, change_percent=_percent(value, previous))


def _average(cents: int, count: int) -> Decimal | None:
    """The average basket as the sales list computes it; None when there is nothing to average."""
    return average(int(cents), count) if count else None


def _day_start(day: date) -> datetime:
    """Midnight of a calendar day of the firm, in UTC."""
    return datetime.combine(day, time.min, ZoneInfo(get_settings().timezone)).astimezone(UTC)


def _between(column, period: Period):
    return column.between(period.start, period.end)


# --- the queries ----------------------------------------------------------------------------------------------

def _clients(session: Session, actor: Actor, period: Period) -> CountKpi:
    """The clients every screen counts (not archived) that existed at the end of each period (archiving has no date:
    today's status). For a period ending today, the client list's own count."""
    def existing_at(end: date):
        return func.count(case((Client.created_at < _day_start(end + timedelta(days=1)), 1)))
    current, previous = session.execute(
        select(existing_at(period.end), existing_at(period.previous.end)).where(counted_clients(actor.tenant_id))).one()
    return _count_kpi(int(current), int(previous))


def _buying_clients(session: Session, actor: Actor, period: Period) -> CountKpi:
    def distinct_buyers(end: date):
        return (select(func.count(distinct(Sale.client_id)))
                .where(Sale.tenant_id == actor.tenant_id,
                       Sale.sold_on.between(end - timedelta(days=BUYING_DAYS - 1), end)).scalar_subquery())
    current, previous = session.execute(
        select(distinct_buyers(period.end), distinct_buyers(period.previous.end))).one()
    return _count_kpi(int(current), int(previous))


def _day_totals(session: Session, actor: Actor, period: Period) -> dict[str, tuple[int, int, int, int]]:
    """{family ('' for the whole day): (revenue, sales or units, previous revenue, previous sales or units)}."""
    previous = period.previous
    in_current, in_previous = _between(SaleDay.day, period), _between(SaleDay.day, previous)
    count = case((SaleDay.family == WHOLE_DAY, SaleDay.sales), else_=SaleDay.units)
    rows = session.execute(
        select(SaleDay.family,
               func.sum(case((in_current, SaleDay.revenue_cents), else_=0)),
               func.sum(case((in_current, count), else_=0)),
               func.sum(case((in_previous, SaleDay.revenue_cents), else_=0)),
               func.sum(case((in_previous, count), else_=0)))
        .where(SaleDay.tenant_id == actor.tenant_id, SaleDay.day.between(previous.start, period.end))
        .group_by(SaleDay.family)).all()
    return {family: tuple(int(value or 0) for value in values) for family, *values in rows}


def trend_months(period: Period) -> list[tuple[int, int]]:
    """The last 12 months up to the period's end, or every month of the period when it is longer than a year."""
    first = _first_of_month(period.end, TREND_MONTHS - 1)
    if period.days > 366:
        first = min(first, _first_of_month(period.start))
    months, day = [], first
    while day <= period.end:
        months.append((day.year, day.month))
        day = _first_of_month(day, -1)
    return months


def _trend(session: Session, actor: Actor, period: Period) -> list[TrendMonth]:
    months = trend_months(period)
    first = date(*months[0], 1)
    cut = _shift_years(period.end, -1)  # the previous year's last month stops at the same day
    year, month = extract('year', SaleDay.day), extract('month', SaleDay.day)
    before_cut = SaleDay.day <= cut
    rows = session.execute(
        select(year, month, func.sum(SaleDay.revenue_cents), func.sum(SaleDay.sales),
               func.sum(case((before_cut, SaleDay.revenue_cents), else_=0)),
               func.sum(case((before_cut, SaleDay.sales), else_=0)))
        .where(SaleDay.tenant_id == actor.tenant_id, SaleDay.family == WHOLE_DAY,
               SaleDay.day.between(_shift_years(first, -1), period.end))
        .group_by(year, month)).all()
    totals = {(int(y), int(m)): (int(r or 0), int(s or 0), int(rc or 0), int(sc or 0)) for y, m, r, s, rc, sc in rows}
    trend = []
    for y, m in months:
        revenue, sales, _, _ = totals.get((y, m), (0, 0, 0, 0))
        whole_revenue, whole_sales, cut_revenue, cut_sales = totals.get((y - 1, m), (0, 0, 0, 0))
        if (y - 1, m) == (cut.year, cut.month):
            whole_revenue, whole_sales = cut_revenue, cut_sales
        trend.append(TrendMonth(year=y, month=m, revenue=money(revenue), sales=sales,
                                previous_year_revenue=money(whole_revenue), previous_year_sales=whole_sales,
                                partial=(y, m) == (period.end.year, period.end.month)
                                and period.end < _month_end(period.end)))
    return trend


def _month_end(month: date) -> date:
    return _first_of_month(month, -1) - timedelta(days=1)


def _top_product_parts(period: Period, today: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]],
                                                              list[tuple[date, date]]]:
    """How to add up a period's sales per product: (first and last month whose monthly rows count, or None; ranges of
    days whose lines add; ranges whose lines take away). The months between the edges count whole. An edge month the
    period covers in part counts either by the lines of its days in the period, or as its monthly rows less the lines
    of its days outside the period, whichever reads fewer days up to today (later days hold next to no sales)."""
    def cost(*ranges: tuple[date, date]) -> int:
        return sum(max(0, (min(high, today) - low).days + 1) for low, high in ranges)

    first, last = period.start.replace(day=1), period.end.replace(day=1)
    add, take, by_lines = [], [], set()
    for month in sorted({first, last}):
        end = _month_end(month)
        low, high = max(period.start, month), min(period.end, end)
        outside = [days for days in ((month, low - timedelta(days=1)), (high + timedelta(days=1), end))
                   if days[0] <= days[1]]
        if not outside:
            continue
        if cost((low, high)) <= cost(*outside):
            add.append((low, high))
            by_lines.add(month)
        else:
            take.extend(outside)
    if first in by_lines:
        first = _first_of_month(first, -1)
    if last in by_lines:
        last = _first_of_month(last, 1)
    return ((first, last) if first <= last else None), add, take


def _top_products(session: Session, actor: Actor, period: Period) -> list[ProductRevenue]:
    """The period's best-selling products by revenue: the monthly product rows (`sale_product_month`) of the months
    it covers, plus or minus the lines of the days of its edge months (`ix_sale_line_tenant_sold`), added up and
    ranked in one query. The same figures as summing the period's lines, with a year reading a few thousand monthly
    rows and a few weeks of lines at most."""
    months, add, take = _top_product_parts(period, clock_today())
    parts = []
    if months is not None:
        parts.append(select(SaleProductMonth.product_id.label('product_id'), SaleProductMonth.lines.label('lines'),
                            SaleProductMonth.revenue_cents.label('cents'))
                     .where(SaleProductMonth.tenant_id == actor.tenant_id,
                            SaleProductMonth.month.between(*months)))
    for ranges, sign in ((add, 1), (take, -1)):
        for low, high in ranges:
            parts.append(select(SaleLine.product_id.label('product_id'), (sign * func.count()).label('lines'),
                                (sign * func.sum(SaleLine.total_cents)).label('cents'))
                         .where(SaleLine.tenant_id == actor.tenant_id, SaleLine.sold_on.between(low, high))
                         .group_by(SaleLine.product_id))
    every = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    revenue = func.sum(every.c.cents).label('revenue')
    top = (select(every.c.product_id, revenue).group_by(every.c.product_id).having(func.sum(every.c.lines) > 0)
           .order_by(revenue.desc(), every.c.product_id).limit(TOP_PRODUCTS).subquery())
    rows = session.execute(
        select(Product.id, Product.name, Product.sku, Product.family, top.c.revenue)
        .join(top, top.c.product_id == Product.id).where(Product.tenant_id == actor.tenant_id)
        .order_by(top.c.revenue.desc(), Product.id)).all()
    return [ProductRevenue(product_id=pid, name=name, sku=sku, family=family or '', revenue=money(cents))
            for pid, name, sku, family, cents in rows]


def _segments(session: Session, actor: Actor) -> list[SegmentShare]:
    return [SegmentShare(segment=count.segment, clients=count.clients, revenue=money(count.revenue_cents))
            for count in rfm.segment_distribution(session, actor) if count.clients]


def _moves(session: Session, actor: Actor, since: date) -> list[SegmentMove]:
    """The month's most frequent moves from one segment to another, as the computations counted them."""
    return [SegmentMove(from_segment=old, to_segment=new, clients=clients)
            for old, new, clients in month_moves.month_moves(session, actor.tenant_id, since, TOP_MOVES)]


def dashboard(session: Session, actor: Actor, period: Period) -> Dashboard:
    """The period's dashboard (any member may read it)."""
    previous = period.previous
    totals = _day_totals(session, actor, period)
    revenue, sales, previous_revenue, previous_sales = totals.pop(WHOLE_DAY, (0, 0, 0, 0))
    families = sorted(((family, values[0], values[1]) for family, values in totals.items() if values[0]),
                      key=lambda item: (-item[1], item[0]))
    has_sales = session.execute(select(select(SaleDay.id).where(SaleDay.tenant_id == actor.tenant_id).exists())) \
        .scalar()
    # every profile of a computation has its time: one row tells it
    computed_at = session.execute(select(ClientProfile.computed_at)
                                  .where(ClientProfile.tenant_id == actor.tenant_id).limit(1)).scalar()
    since = clock_today().replace(day=1)  # moves of the current month, whatever the period
    return Dashboard(
        period=PeriodRead(preset=period.preset, start=period.start, end=period.end, previous_start=previous.start,
                          previous_end=previous.end),
        currency=tenant_currency(session, actor.tenant_id),
        total_clients=_clients(session, actor, period),
        buying_clients=_buying_clients(session, actor, period),
        revenue=_money_kpi(money(revenue), money(previous_revenue)),
        average_basket=_money_kpi(_average(revenue, sales), _average(previous_revenue, previous_sales)),
        sales=_count_kpi(sales, previous_sales),
        trend=_trend(session, actor, period),
        families=[FamilyRevenue(family=family, revenue=money(cents), units=units) for family, cents, units in families],
        revenue_without_family=money(revenue - sum(cents for _, cents, _ in families)),
        top_products=_top_products(session, actor, period),
        segments=_segments(session, actor),
        segment_moves=_moves(session, actor, since),
        moves_since=since,
        last_computed_at=computed_at,
        has_sales=bool(has_sales))
