"""The daily sales totals (`sale_day`) behind the dashboard's charts, kept in step with every sale written.

Row family '' counts the day's sales and their revenue (lines or single amount); a family row holds the revenue and
units of that family's lines. Writers call `add_sale` (or `remove_sale`) in the sale's own transaction; bulk loaders
(the demo generator, the benchmark) call `rebuild` once at the end.
"""

from collections import Counter
from datetime import date

from sqlalchemy import delete, func, insert, literal, select, update
from sqlmodel import Session

from db.models import Product, Sale, SaleDay, SaleLine

WHOLE_DAY = ''


def _bump(session: Session, tenant_id: int, day: date, family: str, *, sales: int, units: int, cents: int) -> None:
    changed = session.execute(
        update(SaleDay)
        .where(SaleDay.tenant_id == tenant_id, SaleDay.day == day, SaleDay.family == family)
        .values(sales=SaleDay.sales + sales, units=SaleDay.units + units,
                revenue_cents=SaleDay.revenue_cents + cents)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        session.add(SaleDay(tenant_id=tenant_id, day=day, family=family, sales=sales, units=units,
                            revenue_cents=cents))
        session.flush()


def _apply(session: Session, sale: Sale, lines: list[SaleLine], sign: int) -> None:
    families = {product_id: family for product_id, family in session.execute(
        select(Product.id, Product.family).where(Product.id.in_({line.product_id for line in lines})))}
    units: Counter[str] = Counter()
    cents: Counter[str] = Counter()
    for line in lines:
        family = families.get(line.product_id) or WHOLE_DAY
        if family != WHOLE_DAY:
            units[family] += line.quantity
            cents[family] += line.total_cents
    _bump(session, sale.tenant_id, sale.sold_on, WHOLE_DAY, sales=sign,
          units=sign * sum(line.quantity for line in lines), cents=sign * sale.total_cents)
    for family in sorted(cents):
        _bump(session, sale.tenant_id, sale.sold_on, family, sales=0, units=sign * units[family],
              cents=sign * cents[family])


def add_sale(session: Session, sale: Sale, lines: list[SaleLine]) -> None:
    _apply(session, sale, lines, +1)


def remove_sale(session: Session, sale: Sale, lines: list[SaleLine]) -> None:
    _apply(session, sale, lines, -1)


def rebuild(session: Session, tenant_id: int) -> None:
    """Recount the tenant's daily totals from its sales, in two INSERT … SELECT."""
    session.execute(delete(SaleDay).where(SaleDay.tenant_id == tenant_id))
    units = (select(SaleLine.sale_id, func.sum(SaleLine.quantity).label('units'))
             .where(SaleLine.tenant_id == tenant_id).group_by(SaleLine.sale_id).subquery())
    whole = (select(literal(tenant_id), Sale.sold_on, literal(WHOLE_DAY), func.count(),
                    func.coalesce(func.sum(units.c.units), 0), func.sum(Sale.total_cents))
             .select_from(Sale).outerjoin(units, units.c.sale_id == Sale.id)
             .where(Sale.tenant_id == tenant_id).group_by(Sale.sold_on))
    by_family = (select(literal(tenant_id), SaleLine.sold_on, Product.family, literal(0), func.sum(SaleLine.quantity),
                        func.sum(SaleLine.total_cents))
                 .join(Product, Product.id == SaleLine.product_id)
                 .where(SaleLine.tenant_id == tenant_id, Product.family != WHOLE_DAY)
                 .group_by(SaleLine.sold_on, Product.family))
    columns = ['tenant_id', 'day', 'family', 'sales', 'units', 'revenue_cents']
    session.execute(insert(SaleDay).from_select(columns, whole))
    session.execute(insert(SaleDay).from_select(columns, by_family))


def move_product(session: Session, tenant_id: int, product_id: int, old_family: str, new_family: str) -> None:
    """A product changed family: its lines' units and revenue move, day by day, from the old family's rows to the new
    one's (set-based: one aggregate of the product's lines, an insert of the missing days, two updates)."""
    if old_family == new_family:
        return
    per_day = (select(SaleLine.sold_on.label('day'), func.sum(SaleLine.quantity).label('units'),
                      func.sum(SaleLine.total_cents).label('cents'))
               .where(SaleLine.tenant_id == tenant_id, SaleLine.product_id == product_id)
               .group_by(SaleLine.sold_on).subquery())

    def shift(family: str, sign: int) -> None:
        session.execute(update(SaleDay)
                        .where(SaleDay.tenant_id == tenant_id, SaleDay.family == family, SaleDay.day == per_day.c.day)
                        .values(units=SaleDay.units + sign * per_day.c.units,
                                revenue_cents=SaleDay.revenue_cents + sign * per_day.c.cents)
                        .execution_options(synchronize_session=False))

    if old_family != WHOLE_DAY:
        shift(old_family, -1)
    if new_family != WHOLE_DAY:
        known = select(SaleDay.id).where(SaleDay.tenant_id == tenant_id, SaleDay.family == new_family,
                                         SaleDay.day == per_day.c.day)
        missing = select(literal(tenant_id), per_day.c.day, literal(new_family), literal(0), literal(0), literal(0)) \
            .where(~known.exists())
        session.execute(insert(SaleDay).from_select(['tenant_id', 'day', 'family', 'sales', 'units', 'revenue_cents'],
                                                    missing))
        shift(new_family, +1)
