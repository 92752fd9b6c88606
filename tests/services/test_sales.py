"""Sales: entry and its checks (a refused sale writes nothing), daily totals kept in step, lists and their filters,
totals, a client's summary, deletion rights and tenant isolation — on SQLite and PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlmodel import col, select

from db.models import AuditLog, ClientStatus, Role, Sale, SaleDay, SaleLine, Tenant
from db.session import session_scope
from services import clients, sales
from services.clock import today
from services.errors import Forbidden, Invalid, NotFound
from services.paging import PageRequest
from services.sales import SaleFilter, SaleInput, SaleLineInput
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sale

DAY = date(2026, 3, 2)


def _sell(actor, client_id: int, lines=(), sold_on: date = DAY, **fields):
    data = SaleInput(client_id=client_id, sold_on=sold_on,
                     lines=[SaleLineInput(product_id=p, quantity=q, unit_price=u) for p, q, u in lines], **fields)
    with session_scope() as session:
        return sales.create_sale(session, actor, data)


def _written() -> tuple[int, int, int, int]:
    return count_rows(Sale), count_rows(SaleLine), count_rows(SaleDay), count_rows(AuditLog, entity='sale')


def _days(tenant_id: int) -> set[tuple]:
    with session_scope() as session:
        return {(row.day, row.family, row.sales, row.units, row.revenue_cents) for row in session.exec(
            select(SaleDay).where(SaleDay.tenant_id == tenant_id, SaleDay.sales + SaleDay.units != 0))}


def _list(actor, page: PageRequest | None = None, **filters):
    with session_scope() as session:
        return sales.list_sales(session, actor, SaleFilter(**filters), page or PageRequest())


def _ids(actor, **filters) -> list[int]:
    return [sale.id for sale in _list(actor, **filters).items]


@pytest.fixture
def shop(db):
    """A tenant with a client and two products of two families."""
    admin = make_tenant()
    client = make_client(admin, 'Épicerie Benali')
    coffee = make_product(admin, 'Café moulu', family='Café', price=450, sku='CAF-1')
    tea = make_product(admin, 'Thé vert', family='Thé', price=300, sku='THE-1')
    return admin, client, coffee, tea


def test_a_sale_of_lines_is_priced_written_with_its_daily_totals_and_audited(shop):
    admin, client, coffee, tea = shop
    sale = _sell(admin, client.id, [(coffee, 2, None), (tea, 3, Decimal('275.5'))], channel='online',
                 reference='  F-2026-001 ', note='Livraison mardi')
    assert (sale.client_name, sale.sold_on, sale.channel, sale.currency, sale.total) == \
        ('Épicerie Benali', DAY, 'online', 'DZD', Decimal('1726.50'))
    assert [(line.sku, line.family, line.quantity, line.unit_price, line.total) for line in sale.lines] == [
        ('CAF-1', 'Café', 2, Decimal('450.00'), Decimal('900.00')),
        ('THE-1', 'Thé', 3, Decimal('275.50'), Decimal('826.50'))]
    assert (sale.reference, sale.note, sale.created_by, sale.created_by_name) == \
        ('F-2026-001', 'Livraison mardi', admin.user_id, admin.full_name)
    assert _days(admin.tenant_id) == {(DAY, '', 1, 5, 172_650), (DAY, 'Café', 0, 2, 90_000),
                                      (DAY, 'Thé', 0, 3, 82_650)}
    with session_scope() as session:
        assert session.exec(select(SaleLine.client_id, SaleLine.sold_on).where(SaleLine.sale_id == sale.id)).all() \
            == [(client.id, DAY), (client.id, DAY)]
        [entry] = session.exec(select(AuditLog).where(AuditLog.entity == 'sale')).all()
    assert (entry.action, entry.entity_id, entry.changes['total']) == ('create', sale.id, [None, '1726.50'])


def test_a_single_amount_sale_in_the_tenants_currency(shop):
    admin, client, *_ = shop
    with session_scope() as session:
        session.get(Tenant, admin.tenant_id).currency = 'EUR'
    sale = _sell(admin, client.id, amount=Decimal('99.9'), sold_on=today())
    assert (sale.total, sale.currency, sale.lines) == (Decimal('99.90'), 'EUR', [])
    assert _days(admin.tenant_id) == {(today(), '', 1, 0, 9990)}


def test_bad_sales_are_refused_next_to_their_field_and_write_nothing(shop):
    admin, client, coffee, tea = shop
    other = make_tenant()
    foreign_client = make_client(other).id
    foreign_product = make_product(other, 'Produit de B')
    archived_product = make_product(admin, 'Ancien', is_active=False)
    archived_client = make_client(admin, 'Client archivé').id
    with session_scope() as session:
        clients.set_status(session, admin, archived_client, ClientStatus.ARCHIVED)
    before = _written()
    cases = [
        ({'lines': [(coffee, -1, None)]}, 'lines.0.quantity', 'error.sale_quantity_invalid'),
        ({'lines': [(coffee, 2, None), (tea, 0, None)]}, 'lines.1.quantity', 'error.sale_quantity_invalid'),
        ({'lines': [(coffee, 1_000_001, None)]}, 'lines.0.quantity', 'error.sale_quantity_invalid'),
        ({'lines': [(coffee, 1, None), (999_999, 1, None)]}, 'lines.1.product_id', 'error.sale_product_unknown'),
        ({'lines': [(foreign_product, 1, None)]}, 'lines.0.product_id', 'error.sale_product_unknown'),
        ({'lines': [(archived_product, 1, None)]}, 'lines.0.product_id', 'error.sale_product_archived'),
        ({'lines': [(coffee, 1, Decimal('-5'))]}, 'lines.0.unit_price', 'error.amount_invalid'),
        ({'lines': [(coffee, 1, Decimal('1.005'))]}, 'lines.0.unit_price', 'error.amount_decimals'),
        ({'client_id': 999_999, 'amount': Decimal(10)}, 'client_id', 'error.sale_client_unknown'),
        ({'client_id': foreign_client, 'amount': Decimal(10)}, 'client_id', 'error.sale_client_unknown'),
        ({'client_id': archived_client, 'amount': Decimal(10)}, 'client_id', 'error.sale_client_archived'),
        ({'amount': Decimal(10), 'sold_on': today() + timedelta(days=1)}, 'sold_on', 'error.sale_date_future'),
        ({'amount': Decimal(10), 'sold_on': date(1999, 12, 31)}, 'sold_on', 'error.sale_date_too_old'),
        ({'amount': Decimal(10), 'channel': 'pigeon'}, 'channel', 'error.sale_channel_unknown'),
        ({}, 'lines', 'error.sale_lines_or_amount'),
        ({'lines': [(coffee, 1, None)], 'amount': Decimal(10)}, 'amount', 'error.sale_lines_or_amount'),
        ({'amount': Decimal(0)}, 'amount', 'error.amount_positive'),
        ({'amount': Decimal('-3')}, 'amount', 'error.amount_positive'),
        ({'lines': [(coffee, 1, None)] * 101}, 'lines', 'error.sale_too_many_lines'),
        ({'lines': [(coffee, 1_000_000, Decimal('999999999.99'))]}, 'lines', 'error.sale_total_too_large'),
    ]
    for fields, field, key in cases:
        fields = {'client_id': client.id, **fields}
        with pytest.raises(Invalid) as refused:
            _sell(admin, fields.pop('client_id'), fields.pop('lines', ()), **fields)
        assert (refused.value.field, refused.value.key) == (field, key), fields
    assert _written() == before == (0, 0, 0, 0)


def test_deleting_a_sale_takes_it_out_of_the_daily_totals(shop):
    admin, client, coffee, tea = shop
    kept = _sell(admin, client.id, [(coffee, 1, None)])
    gone = _sell(admin, client.id, [(coffee, 2, None), (tea, 1, None)])
    with session_scope() as session:
        sales.delete_sale(session, admin, gone.id)
    assert _days(admin.tenant_id) == {(DAY, '', 1, 1, 45_000), (DAY, 'Café', 0, 1, 45_000)}
    assert (count_rows(Sale), count_rows(SaleLine)) == (1, 1)
    with session_scope() as session:
        assert sales.get_sale(session, admin, kept.id).total == Decimal('450.00')
        with pytest.raises(NotFound):
            sales.get_sale(session, admin, gone.id)
        assert session.exec(select(AuditLog.action).where(AuditLog.entity == 'sale', AuditLog.entity_id == gone.id)
                            .order_by(col(AuditLog.id))).all() == ['create', 'delete']


def test_who_may_enter_and_delete_sales(shop):
    admin, client, *_ = shop
    agent, colleague = make_user(admin), make_user(admin)
    manager, viewer = make_user(admin, role=Role.MANAGER), make_user(admin, role=Role.VIEWER)
    with pytest.raises(Forbidden):
        _sell(viewer, client.id, amount=Decimal(10))
    own, others = _sell(agent, client.id, amount=Decimal(10)), _sell(colleague, client.id, amount=Decimal(20))
    third = _sell(admin, client.id, amount=Decimal(30))
    assert (sales.may_delete(agent, agent.user_id), sales.may_delete(agent, colleague.user_id),
            sales.may_delete(manager, None), sales.may_delete(viewer, viewer.user_id)) == (True, False, True, False)
    with session_scope() as session:
        with pytest.raises(Forbidden):
            sales.delete_sale(session, agent, others.id)
        with pytest.raises(Forbidden):
            sales.delete_sale(session, viewer, own.id)
        sales.delete_sale(session, agent, own.id)
        sales.delete_sale(session, manager, others.id)
        sales.delete_sale(session, admin, third.id)
    assert count_rows(Sale) == 0


def test_lists_filter_by_period_family_client_channel_and_search(shop):
    admin, client, coffee, tea = shop
    other_client = make_client(admin, 'Café Zitouna')
    march = _sell(admin, client.id, [(coffee, 1, None)], sold_on=date(2026, 3, 10), reference='F-100')
    april = _sell(admin, client.id, [(tea, 2, None)], sold_on=date(2026, 4, 2), channel='phone')
    may = _sell(admin, other_client.id, amount=Decimal(1000), sold_on=date(2026, 5, 20), channel='field')
    both = _sell(admin, other_client.id, [(tea, 1, None), (coffee, 1, None)], sold_on=date(2026, 4, 2))
    assert _ids(admin) == [may.id, both.id, april.id, march.id]  # newest first, then latest entered
    assert _ids(admin, start=date(2026, 4, 1), end=date(2026, 4, 30)) == [both.id, april.id]
    assert _ids(admin, family='Café') == [both.id, march.id]
    assert _ids(admin, family='Thé', start=date(2026, 4, 2), end=date(2026, 4, 2)) == [both.id, april.id]
    assert _ids(admin, family='Thé', client_id=client.id) == [april.id]
    assert _ids(admin, client_id=other_client.id) == [may.id, both.id]
    assert _ids(admin, channel='phone') == [april.id]
    assert _ids(admin, search='zitouna') == [may.id, both.id]
    assert _ids(admin, search='f-100') == [march.id]
    assert _ids(admin, search='###') == []
    page = _list(admin, PageRequest(limit=2, offset=1))
    assert (page.total, [s.id for s in page.items]) == (4, [both.id, april.id])
    with pytest.raises(Invalid) as refused:
        _ids(admin, start=date(2026, 5, 1), end=date(2026, 4, 1))
    assert refused.value.field == 'end'
    with pytest.raises(Invalid):
        _ids(admin, channel='pigeon')


def test_totals_of_the_filtered_sales(shop):
    admin, client, coffee, tea = shop
    _sell(admin, client.id, [(coffee, 2, None), (tea, 1, None)], sold_on=date(2026, 3, 10))
    _sell(admin, client.id, amount=Decimal('100.01'), sold_on=date(2026, 3, 11))
    _sell(admin, client.id, [(tea, 1, None)], sold_on=date(2026, 4, 1))
    _sell(admin, client.id, [(coffee, 1, None), (tea, 2, None)], sold_on=date(2026, 4, 2), channel='phone')
    with session_scope() as session:
        by_phone = sales.sales_totals(session, admin, SaleFilter(family='Café', channel='phone'))
        march = sales.sales_totals(session, admin, SaleFilter(start=date(2026, 3, 1), end=date(2026, 3, 31)))
        coffee_sales = sales.sales_totals(session, admin, SaleFilter(family='Café'))
        nothing = sales.sales_totals(session, admin, SaleFilter(start=date(2020, 1, 1), end=date(2020, 1, 31)))
    assert (march.count, march.revenue, march.average_basket, march.family_revenue) == \
        (2, Decimal('1300.01'), Decimal('650.01'), None)
    assert (coffee_sales.count, coffee_sales.revenue, coffee_sales.family_revenue) == \
        (2, Decimal('2250.00'), Decimal('1350.00'))
    assert (by_phone.count, by_phone.revenue, by_phone.family_revenue) == (1, Decimal('1050.00'), Decimal('450.00'))
    assert (nothing.count, nothing.revenue, nothing.average_basket, nothing.currency) == \
        (0, Decimal('0.00'), Decimal('0.00'), 'DZD')


def test_a_clients_summary(shop):
    admin, client, coffee, _ = shop
    quiet = make_client(admin, 'Sans achat')
    _sell(admin, client.id, [(coffee, 1, None)], sold_on=date(2025, 11, 3))
    _sell(admin, client.id, amount=Decimal('1000'), sold_on=date(2026, 2, 1))
    with session_scope() as session:
        summary = sales.client_sales_summary(session, admin, client.id)
        empty = sales.client_sales_summary(session, admin, quiet.id)
    assert (summary.count, summary.revenue, summary.average_basket, summary.first_sale, summary.last_sale) == \
        (2, Decimal('1450.00'), Decimal('725.00'), date(2025, 11, 3), date(2026, 2, 1))
    assert (empty.count, empty.revenue, empty.first_sale, empty.last_sale) == (0, Decimal('0.00'), None, None)


def test_tenants_never_see_each_others_sales(shop):
    admin, client, coffee, _ = shop
    other = make_tenant()
    foreign_client = make_client(other, 'Client de B')
    foreign_sale = make_sale(other, foreign_client.id, DAY, [Line(make_product(other, family='Café'), 1)])
    mine = _sell(admin, client.id, [(coffee, 1, None)])
    assert _ids(admin) == [mine.id] and _ids(other) == [foreign_sale]
    assert _ids(admin, client_id=foreign_client.id) == [] and _ids(admin, search='Client de B') == []
    with session_scope() as session:
        assert sales.sales_totals(session, admin, SaleFilter(family='Café')).count == 1
        for action in (lambda: sales.get_sale(session, admin, foreign_sale),
                       lambda: sales.delete_sale(session, admin, foreign_sale),
                       lambda: sales.client_sales_summary(session, admin, foreign_client.id)):
            with pytest.raises(NotFound):
                action()
    assert count_rows(Sale, tenant_id=other.tenant_id) == 1


def test_a_search_matching_many_clients_still_finds_their_sales(shop, monkeypatch):
    admin, *_ = shop
    first, second = make_client(admin, 'Boulangerie Amine'), make_client(admin, 'Boulangerie Rayan')
    ids = [_sell(admin, client.id, amount=Decimal(10)).id for client in (first, second)]
    assert sorted(_ids(admin, search='boulangerie')) == ids
    monkeypatch.setattr(sales, 'MAX_SEARCHED_CLIENTS', 1)  # past the list of ids: the clients' subquery
    assert sorted(_ids(admin, search='boulangerie')) == ids
    assert _ids(admin, search='boulangerie rayan') == [ids[1]]
