from datetime import date
from decimal import Decimal

from sqlmodel import select

from db.models import ClientStatus, Sale, SaleDay, SaleLine, SaleProductMonth
from db.session import session_scope
from services import sale_days
from services.clients import delete_client, set_status
from services.sales import SaleInput, SaleLineInput, create_sale, delete_sale
from tests.factories import make_client, make_tenant
from tests.sales_factories import Line, make_product, make_sale


def _days(tenant_id: int) -> set[tuple]:
    with session_scope() as session:
        return {(row.day, row.family, row.sales, row.units, row.revenue_cents)
                for row in session.exec(select(SaleDay).where(SaleDay.tenant_id == tenant_id))}


def _months(tenant_id: int) -> set[tuple]:
    with session_scope() as session:
        return {(row.month, row.product_id, row.lines, row.units, row.revenue_cents)
                for row in session.exec(select(SaleProductMonth).where(SaleProductMonth.tenant_id == tenant_id))}


def _rebuilt(tenant_id: int) -> tuple[set[tuple], set[tuple]]:
    """The totals as a rebuild makes them (the rebuild is rolled back: the kept ones stay as they are)."""
    with session_scope() as session:
        sale_days.rebuild(session, tenant_id)
        days = {(row.day, row.family, row.sales, row.units, row.revenue_cents)
                for row in session.exec(select(SaleDay).where(SaleDay.tenant_id == tenant_id))}
        months = {(row.month, row.product_id, row.lines, row.units, row.revenue_cents)
                  for row in session.exec(select(SaleProductMonth).where(SaleProductMonth.tenant_id == tenant_id))}
        session.rollback()
    return days, months


def _kept(tenant_id: int) -> tuple[set[tuple], set[tuple]]:
    """The kept totals, the daily rows left at zero by a removal aside (a rebuild does not make them)."""
    return {row for row in _days(tenant_id) if row[2:] != (0, 0, 0)}, _months(tenant_id)


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


def test_monthly_product_totals_follow_every_sale_written(db):
    """Sales entered and deleted through the service, and a client deleted with their sales: the monthly product rows
    (and the daily ones) stay what a rebuild makes, and a month's product row goes when its last line goes."""
    admin = make_tenant()
    other = make_tenant()
    amrani, benali = make_client(admin, 'Amrani').id, make_client(admin, 'Benali').id
    coffee = make_product(admin, family='Café', price=500)
    tea = make_product(admin, family='Thé', price=300)
    plain = make_product(admin, family='', price=20)
    make_sale(other, make_client(other).id, date(2026, 3, 2), [Line(make_product(other, price=9))])
    theirs = _months(other.tenant_id)

    def sell(client_id: int, day: date, *lines: tuple[int, int], unit_price: str | None = None) -> int:
        with session_scope() as session:
            return create_sale(session, admin, SaleInput(client_id=client_id, sold_on=day, lines=[
                SaleLineInput(product_id=product, quantity=quantity,
                              unit_price=None if unit_price is None else Decimal(unit_price))
                for product, quantity in lines])).id

    first = sell(amrani, date(2026, 3, 2), (coffee, 2), (tea, 1), (coffee, 1))
    sell(amrani, date(2026, 3, 30), (tea, 4), unit_price='2.50')
    sell(benali, date(2026, 3, 31), (plain, 3), (coffee, 1))
    april = sell(benali, date(2026, 4, 1), (tea, 1))
    with session_scope() as session:
        create_sale(session, admin, SaleInput(client_id=benali, sold_on=date(2026, 4, 2), amount=Decimal('70')))
    assert _months(admin.tenant_id) == {
        (date(2026, 3, 1), coffee, 3, 4, 200_000), (date(2026, 3, 1), tea, 2, 5, 31_000),
        (date(2026, 3, 1), plain, 1, 3, 6_000), (date(2026, 4, 1), tea, 1, 1, 30_000)}
    assert _kept(admin.tenant_id) == _rebuilt(admin.tenant_id)

    for sale_id in (first, april):
        with session_scope() as session:
            delete_sale(session, admin, sale_id)
        assert _kept(admin.tenant_id) == _rebuilt(admin.tenant_id)
    assert _months(admin.tenant_id) == {  # April's tea row went with its only line
        (date(2026, 3, 1), coffee, 1, 1, 50_000), (date(2026, 3, 1), tea, 1, 4, 1_000),
        (date(2026, 3, 1), plain, 1, 3, 6_000)}

    with session_scope() as session:
        set_status(session, admin, benali, ClientStatus.ARCHIVED)
    with session_scope() as session:
        delete_client(session, admin, benali)
    assert _kept(admin.tenant_id) == _rebuilt(admin.tenant_id)
    assert _months(admin.tenant_id) == {(date(2026, 3, 1), tea, 1, 4, 1_000)}
    assert _months(other.tenant_id) == theirs
