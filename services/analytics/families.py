"""Each client's preferred product families: the 3 of highest spend on the lines of the RFM window (ties by family
name), as a JSON array of names, for `client_profile.top_families`.

Two ways to the same result: `top_families` joins the lines to their products (SQLite, and PostgreSQL when the
tenant's product ids are scattered among other tenants'); on PostgreSQL `store_families` reads the lines in client
order from the (tenant, client, product) index and finds each product's family in an array (`FamilyLookup`), so
that no join loses that order, and hashes nothing: about 40 % less work.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import JSON, Integer, case, column, func, insert, select, text
from sqlalchemy import table as sql_table
from sqlmodel import Session

from db.models import Product, SaleLine

TOP_FAMILIES = 3
MAX_LOOKUP_GAPS = 100_000  # product ids the family array may span beyond the tenant's own


def top_families(dialect: str, tenant_id: int, start: date, end: date):
    """Each client's 3 families of highest spend in the window (ties by family name), as a JSON array, pivoted
    without relying on the order an aggregate sees its rows in (SQLite's json_group_array has no ORDER BY before
    3.44). Returns the CTE (client_id, f1, f2, f3) and the JSON expression of its row."""
    spend = (select(SaleLine.client_id, Product.family, func.sum(SaleLine.total_cents).label('spend'))
             .join(Product, (Product.id == SaleLine.product_id) & (Product.tenant_id == tenant_id))
             .where(SaleLine.tenant_id == tenant_id, SaleLine.sold_on > start, SaleLine.sold_on <= end,
                    Product.family != '')
             .group_by(SaleLine.client_id, Product.family).cte('family_spend'))
    placed = select(spend.c.client_id, spend.c.family, func.row_number().over(
        partition_by=spend.c.client_id, order_by=(spend.c.spend.desc(), spend.c.family)).label('place')
    ).cte('family_place')
    firsts = [func.max(case((placed.c.place == place, placed.c.family))).label(f'f{place}')
              for place in range(1, TOP_FAMILIES + 1)]
    top = (select(placed.c.client_id, *firsts).where(placed.c.place <= TOP_FAMILIES)
           .group_by(placed.c.client_id).cte('top_families'))
    array = func.jsonb_build_array if dialect == 'postgresql' else func.json_array
    f1, f2, f3 = top.c.f1, top.c.f2, top.c.f3
    as_json = case((f1.is_(None), array()), (f2.is_(None), array(f1)), (f3.is_(None), array(f1, f2)),
                   else_=array(f1, f2, f3))
    return top, as_json


@dataclass(frozen=True)
class FamilyLookup:
    """The tenant's families numbered in name order, and the number of each product's family in an array indexed
    by product id (from `first_id`): PostgreSQL then groups a client's lines by family as it reads them in client
    order from the (tenant, client, product) index, without a join that would lose that order."""

    first_id: int
    family_of_product: list[int | None]
    names: list[str]


def family_lookup(session: Session, tenant_id: int) -> FamilyLookup | None:
    """None when the tenant's product ids are too scattered among other tenants' for an array of them."""
    rows = session.execute(select(Product.id, Product.family).where(Product.tenant_id == tenant_id,
                                                                    Product.family != '')
                           .order_by(Product.id)).all()
    if not rows:
        return FamilyLookup(0, [], [])
    span = rows[-1][0] - rows[0][0] + 1
    if span > max(MAX_LOOKUP_GAPS, 4 * len(rows)):
        return None
    names = sorted({family for _, family in rows})
    number = {name: place for place, name in enumerate(names, start=1)}
    family_of_product: list[int | None] = [None] * span
    for product_id, family in rows:
        family_of_product[product_id - rows[0][0]] = number[family]
    return FamilyLookup(rows[0][0], family_of_product, names)


_TOP_FAMILIES_BY_LOOKUP = f"""
SELECT spend.client_id,
       to_jsonb((array_agg((CAST(:rfm_family_names AS text[]))[spend.family]
                           ORDER BY spend.spend DESC, spend.family))[1:{TOP_FAMILIES}]) AS families
FROM (SELECT client_id, (CAST(:rfm_family_of_product AS integer[]))[product_id - :rfm_first_product + 1] AS family,
             sum(total_cents) AS spend
      FROM sale_line
      WHERE tenant_id = :rfm_tenant AND sold_on > :rfm_start AND sold_on <= :rfm_end
      GROUP BY client_id, family) AS spend
WHERE spend.family IS NOT NULL
GROUP BY spend.client_id"""


FAMILIES = sql_table('rfm_families', column('client_id', Integer), column('families', JSON))


def store_families(session: Session, tenant_id: int, start: date, end: date) -> Any:
    """Each client's families into the temporary table `rfm_families` (client_id, families), the caller's to drop;
    returns the JSON expression of a client's families (an empty array for a client without any) once joined.

    A table rather than a CTE: SQLite would scan a materialised CTE once per client; PostgreSQL may share a
    CREATE TABLE AS among parallel workers, and an INSERT … SELECT not."""
    postgres = session.get_bind().dialect.name == 'postgresql'
    lookup = family_lookup(session, tenant_id) if postgres else None
    if lookup is not None:
        session.execute(text('CREATE TEMPORARY TABLE rfm_families AS ' + _TOP_FAMILIES_BY_LOOKUP).bindparams(
            rfm_family_names=lookup.names, rfm_family_of_product=lookup.family_of_product,
            rfm_first_product=lookup.first_id, rfm_tenant=tenant_id, rfm_start=start, rfm_end=end))
    else:
        session.execute(text('CREATE TEMPORARY TABLE rfm_families (client_id INTEGER PRIMARY KEY, families '
                             + ('JSONB)' if postgres else 'JSON)')))
        top, as_json = top_families('postgresql' if postgres else 'sqlite', tenant_id, start, end)
        session.execute(insert(FAMILIES).from_select(['client_id', 'families'], select(top.c.client_id, as_json)))
    return func.coalesce(FAMILIES.c.families, func.jsonb_build_array() if postgres else func.json_array())
