"""The sales totals behind the dashboard, kept in step with every sale written: per day (`sale_day`, the charts) and
per month and product (`sale_product_month`, the top products).

Row family '' of a day counts the day's sales and their revenue (lines or single amount); a family row holds the
revenue and units of that family's lines. A month's product row counts the product's lines, units and revenue in that
month (no row once it has none). Writers call `add_sale` (or `remove_sale`) in the sale's own transaction; bulk
loaders (the demo generator, the benchmark) call `rebuild` once at the end.
"""

from collections import Counter
from datetime import date

from sqlalchemy import Date, cast, delete, func, insert, literal, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from db.models import Product, Sale, SaleDay, SaleLine, SaleProductMonth

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


def month_bucket(session: Session, day):
    """The first day of the month of a date expression, as a date, in the session's database (SQLite stores a date
    as its ISO text). The format is written inline, so that the same expression in GROUP BY is the same SQL."""
    if session.get_bind().dialect.name == 'postgresql':
        return cast(func.date_trunc(literal_column("'month'"), day), Date)
    return func.strftime(literal_column("'%Y-%m-01'"), day)


def _bump_products(session: Session, tenant_id: int, day: date, lines: list[SaleLine], sign: int) -> None:
    """Add (or take away) the lines to their month's product rows: one upsert, then the rows left empty go."""
    if not lines:
        return
    month = day.replace(day=1)
    totals: dict[int, list[int]] = {}
    for line in lines:
        entry = totals.setdefault(line.product_id, [0, 0, 0])
        entry[0] += 1
        entry[1] += line.quantity
        entry[2] += line.total_cents
    table = SaleProductMonth.__table__
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == 'postgresql' else sqlite_insert)(table).values([
        {'tenant_id': tenant_id, 'month': month, 'product_id': product_id, 'lines': sign * count,
         'units': sign * units, 'revenue_cents': sign * cents}
        for product_id, (count, units, cents) in sorted(totals.items())])
    session.execute(statement.on_conflict_do_update(
        index_elements=['tenant_id', 'month', 'product_id'],
        set_={name: table.c[name] + statement.excluded[name] for name in ('lines', 'units', 'revenue_cents')}))
    if sign < 0:
        session.execute(delete(SaleProductMonth)
                        .where(SaleProductMonth.tenant_id == tenant_id, SaleProductMonth.month == month,
                               SaleProductMonth.product_id.in_(totals), SaleProductMonth.lines <= 0)
                        .execution_options(synchronize_session=False))


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
    _bump_products(session, sale.tenant_id, sale.sold_on, lines, sign)


def add_sale(session: Session, sale: Sale, lines: list[SaleLine]) -> None:
    _apply(session, sale, lines, +1)


def remove_sale(session: Session, sale: Sale, lines: list[SaleLine]) -> None:
    _apply(session, sale, lines, -1)


def rebuild(session: Session, tenant_id: int) -> None:
    """Recount the tenant's daily totals and its products' monthly totals from its sales, in three
    INSERT … SELECT."""
    session.execute(delete(SaleDay).where(SaleDay.tenant_id == tenant_id))
    session.execute(delete(SaleProductMonth).where(SaleProductMonth.tenant_id == tenant_id))
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
    month = month_bucket(session, SaleLine.sold_on)
    by_product = (select(literal(tenant_id), month, SaleLine.product_id, func.count(), func.sum(SaleLine.quantity),
                         func.sum(SaleLine.total_cents))
                  .where(SaleLine.tenant_id == tenant_id).group_by(month, SaleLine.product_id))
    session.execute(insert(SaleProductMonth).from_select(
        ['tenant_id', 'month', 'product_id', 'lines', 'units', 'revenue_cents'], by_product))


def move_product(session: Session, tenant_id: int, product_id: int, old_family: str, new_family: str) -> None:
    """A product changed family: its lines' units and revenue move, day by day, from the old family's rows to the new
    one's (set-based: one aggregate of the product's lines, an insert of the missing days, two updates). Its monthly
    rows do not hold the family: nothing to move there."""
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


def remove_client(session: Session, tenant_id: int, client_id: int) -> None:
    """A client is about to be deleted, their sales with them (the foreign keys cascade): take their sales away from
    the daily and monthly totals, set-based (three aggregates of their sales and lines, three updates)."""
    mine = (SaleLine.tenant_id == tenant_id) & (SaleLine.client_id == client_id)
    units = select(SaleLine.sale_id, func.sum(SaleLine.quantity).label('units')).where(mine) \
        .group_by(SaleLine.sale_id).subquery()
    whole = (select(Sale.sold_on.label('day'), func.count().label('sales'),
                    func.coalesce(func.sum(units.c.units), 0).label('units'),
                    func.sum(Sale.total_cents).label('cents'))
             .select_from(Sale).outerjoin(units, units.c.sale_id == Sale.id)
             .where(Sale.tenant_id == tenant_id, Sale.client_id == client_id).group_by(Sale.sold_on).subquery())
    session.execute(update(SaleDay)
                    .where(SaleDay.tenant_id == tenant_id, SaleDay.family == WHOLE_DAY, SaleDay.day == whole.c.day)
                    .values(sales=SaleDay.sales - whole.c.sales, units=SaleDay.units - whole.c.units,
                            revenue_cents=SaleDay.revenue_cents - whole.c.cents)
                    .execution_options(synchronize_session=False))
    by_family = (select(SaleLine.sold_on.label('day'), Product.family.label('family'),
                        func.sum(SaleLine.quantity).label('units'), func.sum(SaleLine.total_cents).label('cents'))
                 .join(Product, Product.id == SaleLine.product_id).where(mine, Product.family != WHOLE_DAY)
                 .group_by(SaleLine.sold_on, Product.family).subquery())
    session.execute(update(SaleDay)
                    .where(SaleDay.tenant_id == tenant_id, SaleDay.family == by_family.c.family,
                           SaleDay.day == by_family.c.day)
                    .values(units=SaleDay.units - by_family.c.units,
                            revenue_cents=SaleDay.revenue_cents - by_family.c.cents)
                    .execution_options(synchronize_session=False))
    month = month_bucket(session, SaleLine.sold_on)
    by_product = (select(month.label('month'), SaleLine.product_id.label('product_id'), func.count().label('lines'),
                         func.sum(SaleLine.quantity).label('units'), func.sum(SaleLine.total_cents).label('cents'))
                  .where(mine).group_by(month, SaleLine.product_id).subquery())
    session.execute(update(SaleProductMonth)
                    .where(SaleProductMonth.tenant_id == tenant_id, SaleProductMonth.month == by_product.c.month,
                           SaleProductMonth.product_id == by_product.c.product_id)
                    .values(lines=SaleProductMonth.lines - by_product.c.lines,
                            units=SaleProductMonth.units - by_product.c.units,
                            revenue_cents=SaleProductMonth.revenue_cents - by_product.c.cents)
                    .execution_options(synchronize_session=False))
    session.execute(delete(SaleProductMonth).where(SaleProductMonth.tenant_id == tenant_id, SaleProductMonth.lines <= 0)
                    .execution_options(synchronize_session=False))
