from datetime import date

from sqlmodel import select

from db.models import Sale, SaleDay, SaleLine
from db.session import session_scope
from services import sale_days
from tests.factories import make_client, make_tenant
from tests.sales_factories import Line, make_product, make_sale


def _days(tenant_id: int) -> set[tuple]:
    with session_scope() as session:
        return {(row.day, row.family, row.sales, row.units, row.revenue_cents)
                for row in session.exec(select(SaleDay).where(SaleDay.tenant_id == tenant_id))}


def test_daily_totals_count_sales_and_family_revenue(db):
    admin = make_tenant()
    client = make_client(admin).id
    coffee = make_product(admin, family='Café', price=500)
    tea = make_product(admin, family='Thé', price=300)
    make_sale(admin, client, date(2026, 3, 2), [Line(coffee, 2), Line(tea, 1)])
    make_sale(admin, client, date(2026, 3, 2), amount=1000)
    make_sale(admin, client, date(2026, 3, 5), [Line(tea, 4, unit_price=250)])
    assert _days(admin.tenant_id) == {
        (date(2026, 3, 2), '', 2, 3, 230_000), (date(2026, 3, 2), 'Café', 0, 2, 100_000),
        (date(2026, 3, 2), 'Thé', 0, 1, 30_000), (date(2026, 3, 5), '', 1, 4, 100_000),
        (date(2026, 3, 5), 'Thé', 0, 4, 100_000)}


def test_incremental_upkeep_matches_a_rebuild(db):
    admin = make_tenant()
    other = make_tenant()
    client = make_client(admin).id
    coffee = make_product(admin, family='Café', price=500)
    make_sale(other, make_client(other).id, date(2026, 3, 2), amount=70)
    first = make_sale(admin, client, date(2026, 3, 2), [Line(coffee, 2)])
    rebuilt = _days(admin.tenant_id)
    with session_scope() as session:
        sale = session.get(Sale, first)
        lines = list(session.exec(select(SaleLine).where(SaleLine.sale_id == first)))
        sale_days.remove_sale(session, sale, lines)
    assert {row[2:] for row in _days(admin.tenant_id)} == {(0, 0, 0)}
    with session_scope() as session:
        sale_days.add_sale(session, session.get(Sale, first),
                           list(session.exec(select(SaleLine).where(SaleLine.sale_id == first))))
    assert _days(admin.tenant_id) == rebuilt
    assert _days(other.tenant_id) == {(date(2026, 3, 2), '', 1, 0, 7000)}
