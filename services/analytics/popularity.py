"""Product popularity per tenant: each product's sales over the latest 90 days and the 90 before, and a score.

Periods: recent = (today − 90 days, today], previous = (today − 180 days, today − 90 days], read from the sale lines.
- sales = number of lines (a product bought in a sale counts once per line), revenue = their total, buyers = distinct
  clients of the recent period;
- trend_percent = (recent revenue − previous revenue) / previous revenue × 100; none when nothing sold before;
- score (0–100) = 100 × (0.7 × revenue share + 0.3 × buyer share), where a share is the product's cumulative
  distribution (cume_dist: the fraction of the tenant's products sold in the period whose recent revenue, resp.
  buyers, is at most its own) among the products that sold in the recent period; a product not sold lately scores 0.
  Revenue leads; the number of buyers keeps one big order from making a product look popular. The tenant's best
  seller always scores 100.
Every product of the tenant gets a row (zeros when unsold), recomputed in one INSERT … SELECT.
"""

from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import Float, case, cast, delete, func, insert, literal, select
from sqlmodel import Session, col

from db.models import Product, ProductPopularity, SaleLine, utcnow
from db.models.types import UTCDateTime
from services.actor import Actor
from services.clock import today as local_today
from services.paging import Page, PageRequest, fetch_page

PERIOD_DAYS = 90
REVENUE_WEIGHT, BUYERS_WEIGHT = 0.7, 0.3


def _per_product(tenant_id: int, end: date):
    recent_start, previous_start = end - timedelta(days=PERIOD_DAYS), end - timedelta(days=2 * PERIOD_DAYS)
    recent = SaleLine.sold_on > recent_start
    return (select(SaleLine.product_id,
                   func.count(case((recent, 1))).label('sales_recent'),
                   func.coalesce(func.sum(case((recent, SaleLine.total_cents))), 0).label('revenue_recent'),
                   func.count(case((~recent, 1))).label('sales_previous'),
                   func.coalesce(func.sum(case((~recent, SaleLine.total_cents))), 0).label('revenue_previous'),
                   func.count(case((recent, SaleLine.client_id)).distinct()).label('buyers_recent'))
            .where(SaleLine.tenant_id == tenant_id, SaleLine.sold_on > previous_start, SaleLine.sold_on <= end)
            .group_by(SaleLine.product_id).cte('per_product'))


def _popularity_select(tenant_id: int, end: date, now: datetime):
    sold = _per_product(tenant_id, end)
    figures = (select(Product.id.label('product_id'),
                      func.coalesce(sold.c.sales_recent, 0).label('sales_recent'),
                      func.coalesce(sold.c.revenue_recent, 0).label('revenue_recent'),
                      func.coalesce(sold.c.sales_previous, 0).label('sales_previous'),
                      func.coalesce(sold.c.revenue_previous, 0).label('revenue_previous'),
                      func.coalesce(sold.c.buyers_recent, 0).label('buyers_recent'))
               .select_from(Product).outerjoin(sold, sold.c.product_id == Product.id)
               .where(Product.tenant_id == tenant_id).cte('figures'))
    f = figures.c
    selling = f.sales_recent > 0
    share = (REVENUE_WEIGHT * func.cume_dist().over(partition_by=selling, order_by=f.revenue_recent)
             + BUYERS_WEIGHT * func.cume_dist().over(partition_by=selling, order_by=f.buyers_recent))
    trend = case((f.revenue_previous == 0, None),
                 else_=cast(f.revenue_recent - f.revenue_previous, Float) * 100 / cast(f.revenue_previous, Float))
    return select(literal(tenant_id), f.product_id, f.sales_recent, f.revenue_recent, f.sales_previous,
                  f.revenue_previous, f.buyers_recent, trend, case((selling, cast(100 * share, Float)), else_=0.0),
                  literal(now, UTCDateTime()))


def compute_popularity(session: Session, tenant_id: int, *, today: date | None = None) -> int:
    """Recompute the tenant's product popularity as of `today` (the firm's today); returns the products written."""
    end = today or local_today()
    session.execute(delete(ProductPopularity).where(ProductPopularity.tenant_id == tenant_id)
                    .execution_options(synchronize_session=False))
    columns = ['tenant_id', 'product_id', 'sales_recent', 'revenue_recent_cents', 'sales_previous',
               'revenue_previous_cents', 'buyers_recent', 'trend_percent', 'score', 'computed_at']
    session.execute(insert(ProductPopularity).from_select(columns, _popularity_select(tenant_id, end, utcnow())))
    # counted, not read from rowcount: SQLite's driver gives none for a statement that starts with WITH
    return session.execute(select(func.count()).where(ProductPopularity.tenant_id == tenant_id)).scalar_one()


class PopularityRow(BaseModel):
    product_id: int
    sku: str
    name: str
    family: str
    price_cents: int
    is_active: bool
    sales_recent: int
    revenue_recent_cents: int
    sales_previous: int
    revenue_previous_cents: int
    buyers_recent: int
    trend_percent: float | None  # one decimal
    score: float  # 0–100, one decimal
    computed_at: datetime


def list_popularity(session: Session, actor: Actor, page: PageRequest,
                    family: str | None = None) -> Page[PopularityRow]:
    """The tenant's products by popularity (as of the latest computation), most popular first."""
    p, pop = Product, ProductPopularity
    query = (select(p.id, p.sku, p.name, p.family, p.price_cents, p.is_active, pop.sales_recent,
                    pop.revenue_recent_cents, pop.sales_previous, pop.revenue_previous_cents, pop.buyers_recent,
                    pop.trend_percent, pop.score, pop.computed_at)
             .join(p, p.id == pop.product_id)
             .where(pop.tenant_id == actor.tenant_id, p.tenant_id == actor.tenant_id))
    if family is not None and family.strip():
        query = query.where(p.family == family.strip())
    rows, total = fetch_page(session, query, page, col(pop.score).desc(), col(pop.revenue_recent_cents).desc(),
                             col(p.name), col(p.id))
    items = [PopularityRow(product_id=row[0], sku=row.sku, name=row.name, family=row.family,
                           price_cents=row.price_cents, is_active=row.is_active, sales_recent=row.sales_recent,
                           revenue_recent_cents=row.revenue_recent_cents, sales_previous=row.sales_previous,
                           revenue_previous_cents=row.revenue_previous_cents, buyers_recent=row.buyers_recent,
                           trend_percent=None if row.trend_percent is None else round(row.trend_percent, 1),
                           score=round(row.score, 1), computed_at=row.computed_at) for row in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
