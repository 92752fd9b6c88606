"""The product catalogue: creation and its rules (SKU unique per tenant whatever the case, prices in cents), search
without case or accents, paging and sorting, archiving, deletion of never-sold products — on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlmodel import select

from db.models import AuditLog, Product, Role, SaleDay
from db.session import session_scope
from services import products, sale_days
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import PageRequest
from services.products import ProductFilter, ProductInput
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sale


def _create(actor, **fields):
    fields = {'sku': 'CAF-250', 'name': 'Café moulu 250 g', 'family': 'Épicerie', 'price': Decimal('450'), **fields}
    with session_scope() as session:
        return products.create_product(session, actor, ProductInput(**fields))


def _refused(actor, error=Invalid, **fields):
    with pytest.raises(error) as raised:
        _create(actor, **fields)
    return raised.value


def _list(actor, page: PageRequest | None = None, **filters):
    with session_scope() as session:
        return products.list_products(session, actor, ProductFilter(**filters), page or PageRequest())


def _skus(actor, **filters) -> list[str]:
    return [product.sku for product in _list(actor, **filters).items]


def _input(product, **changes) -> ProductInput:
    return ProductInput(**{**product.model_dump(include=set(ProductInput.model_fields)), **changes})


def test_create_trims_keeps_prices_exact_and_is_audited(db):
    admin = make_tenant()
    created = _create(admin, sku='  caf-250 ', name='  Café moulu  ', family='  Épicerie   fine ',
                      price=Decimal('1250.5'), description='  ')
    assert (created.sku, created.name, created.family, created.price, created.description) == \
        ('caf-250', 'Café moulu', 'Épicerie fine', Decimal('1250.50'), None)
    assert (created.is_active, created.sold, created.version) == (True, False, 1)
    with session_scope() as session:
        assert session.get(Product, created.id).price_cents == 125_050
        [entry] = session.exec(select(AuditLog).where(AuditLog.entity == 'product')).all()
    assert (entry.action, entry.entity_id, entry.changes['sku']) == ('create', created.id, [None, 'caf-250'])


def test_bad_products_are_refused_with_their_field_and_nothing_is_written(db):
    admin = make_tenant()
    assert _refused(admin, sku='   ').field == 'sku'
    assert _refused(admin, name='').field == 'name'
    assert _refused(admin, price=Decimal('-1')).field == 'price'
    assert _refused(admin, price=Decimal('1.234')).key == 'error.amount_decimals'
    assert _refused(admin, price=Decimal('1e12')).field == 'price'
    assert _refused(admin, family='x' * 81, error=(Invalid, ValidationError))
    assert count_rows(Product) == 0


def test_a_sku_is_unique_per_tenant_whatever_its_case(db):
    admin, other = make_tenant(), make_tenant()
    first = _create(admin, sku='CAF-250')
    for taken in ('CAF-250', 'caf-250', ' Caf-250 '):
        error = _refused(admin, Conflict, sku=taken)
        assert (error.key, error.params['field']) == ('error.sku_taken', 'sku')
    accented = _create(admin, sku='ÉTÉ-1', name='Glace')
    assert _refused(admin, Conflict, sku='été-1').key == 'error.sku_taken'
    assert _create(other, sku='caf-250').sku == 'caf-250'  # another tenant's catalogue is its own
    second = _create(admin, sku='THE-100', name='Thé vert')
    with session_scope() as session, pytest.raises(Conflict):
        products.update_product(session, admin, second.id, _input(second, sku='caf-250'))
    with session_scope() as session:  # a product keeps its own SKU, even re-cased
        assert products.update_product(session, admin, first.id, _input(first, sku='Caf-250')).sku == 'Caf-250'
    assert count_rows(Product, tenant_id=admin.tenant_id) == 3 and accented.sku == 'ÉTÉ-1'


def test_update_checks_the_version_and_records_what_changed(db):
    admin = make_tenant()
    product = _create(admin)
    with session_scope() as session:
        updated = products.update_product(session, admin, product.id, _input(product, price=Decimal('500.00')),
                                          expected_version=1)
    assert (updated.price, updated.version) == (Decimal('500.00'), 2)
    with session_scope() as session, pytest.raises(Conflict) as stale:
        products.update_product(session, admin, product.id, _input(product, name='Autre'), expected_version=1)
    assert stale.value.key == 'error.stale_version'
    with session_scope() as session:
        unchanged = products.update_product(session, admin, product.id, _input(updated))
        changes = session.exec(select(AuditLog.changes).where(AuditLog.action == 'update')).all()
    assert unchanged.version == 2 and changes == [{'price_cents': [45_000, 50_000]}]


def test_search_ignores_case_and_accents_and_filters_combine(db):
    admin = make_tenant()
    _create(admin, sku='CAF-250', name='Café moulu 250 g', family='Épicerie')
    _create(admin, sku='THE-VERT', name='Thé vert', family='Épicerie', price=Decimal('300'))
    _create(admin, sku='SAV-01', name='Savon noir', family='Hygiène', price=Decimal('120'))
    old = _create(admin, sku='CAF-OLD', name='Café ancien', family='Épicerie')
    with session_scope() as session:
        products.set_active(session, admin, old.id, False)
    assert _skus(admin, search='cafe') == ['CAF-250']
    assert _skus(admin, search='CAFÉ', active=None) == ['CAF-OLD', 'CAF-250']
    assert _skus(admin, search='caf moulu') == ['CAF-250']
    assert _skus(admin, search='the-v') == ['THE-VERT']
    assert _skus(admin, family='Épicerie') == ['CAF-250', 'THE-VERT']
    assert _skus(admin, active=False) == ['CAF-OLD']
    assert _skus(admin, search='introuvable') == []
    assert _skus(admin, sort='sku', descending=True) == ['THE-VERT', 'SAV-01', 'CAF-250']
    assert _skus(admin, sort='price') == ['SAV-01', 'THE-VERT', 'CAF-250']
    page = _list(admin, PageRequest(limit=2, offset=2), active=None)
    assert (page.total, [p.sku for p in page.items]) == (4, ['SAV-01', 'THE-VERT'])


def test_families_join_their_existing_spelling_and_choices_offer_active_products(db):
    admin, other = make_tenant(), make_tenant()
    _create(admin, sku='A', name='Riz', family='Épicerie')
    joined = _create(admin, sku='B', name='Pâtes', family='epicerie')
    _create(admin, sku='C', name='Savon', family='Hygiène')
    _create(admin, sku='D', name='Sans famille', family='')
    archived = _create(admin, sku='E', name='Riz archivé', family='Boissons')
    with session_scope() as session:
        products.set_active(session, admin, archived.id, False)
        assert joined.family == 'Épicerie'
        assert products.product_families(session, admin) == ['Boissons', 'Épicerie', 'Hygiène']
        assert [c.name for c in products.product_choices(session, admin, 'riz')] == ['Riz']
        assert [c.label for c in products.product_choices(session, admin, '', limit=2)] == ['B · Pâtes', 'A · Riz']
        assert products.product_families(session, other) == []


def test_archive_restore_and_delete_only_what_was_never_sold(db):
    admin = make_tenant()
    sold, unsold = _create(admin, sku='SOLD'), _create(admin, sku='NEW')
    make_sale(admin, make_client(admin).id, date(2026, 1, 5), [Line(sold.id, 1)])
    with session_scope() as session:
        archived = products.set_active(session, admin, sold.id, False)
        assert (archived.is_active, archived.sold, archived.version) == (False, True, 2)
        assert products.set_active(session, admin, sold.id, True).is_active
        with pytest.raises(Conflict) as refused:
            products.delete_product(session, admin, sold.id)
        assert refused.value.key == 'error.product_sold'
        products.delete_product(session, admin, unsold.id)
    assert count_rows(Product, tenant_id=admin.tenant_id) == 1
    with session_scope() as session:
        assert session.exec(select(AuditLog.changes).where(AuditLog.action == 'delete')).all() == \
            [{'sku': 'NEW', 'name': 'Café moulu 250 g'}]


def _sale_days(tenant_id: int) -> set[tuple]:
    with session_scope() as session:
        return {(row.day, row.family, row.sales, row.units, row.revenue_cents) for row in session.exec(
            select(SaleDay).where(SaleDay.tenant_id == tenant_id, SaleDay.units + SaleDay.revenue_cents != 0))}


def test_a_new_family_moves_the_products_past_revenue(db):
    admin = make_tenant()
    client = make_client(admin).id
    moved = _create(admin, sku='M', family='Épicerie', price=Decimal('10'))
    stays = _create(admin, sku='S', family='Épicerie', price=Decimal('7'))
    unfiled = _create(admin, sku='U', family='', price=Decimal('1'))
    make_sale(admin, client, date(2026, 1, 5), [Line(moved.id, 3), Line(stays.id, 1), Line(unfiled.id, 2)])
    make_sale(admin, client, date(2026, 1, 6), [Line(moved.id, 1)])
    with session_scope() as session:
        products.update_product(session, admin, moved.id, _input(moved, family='Boissons'))
        products.update_product(session, admin, unfiled.id, _input(unfiled, family='Boissons'))
    assert _sale_days(admin.tenant_id) == {
        (date(2026, 1, 5), '', 1, 6, 3900), (date(2026, 1, 5), 'Épicerie', 0, 1, 700),
        (date(2026, 1, 5), 'Boissons', 0, 5, 3200), (date(2026, 1, 6), '', 1, 1, 1000),
        (date(2026, 1, 6), 'Boissons', 0, 1, 1000)}
    with session_scope() as session:
        products.update_product(session, admin, moved.id, _input(moved, family=''))
    kept = _sale_days(admin.tenant_id)
    with session_scope() as session:
        sale_days.rebuild(session, admin.tenant_id)
    assert kept == _sale_days(admin.tenant_id)


def test_tenants_and_roles(db):
    admin, other = make_tenant(), make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    agent = make_user(admin, role=Role.AGENT)
    foreign = make_product(other, 'Produit de B')
    mine = _create(agent, sku='AGENT-1')
    assert _refused(viewer, Forbidden).key == 'error.read_only'
    with session_scope() as session:
        for action in (lambda: products.get_product(session, admin, foreign),
                       lambda: products.set_active(session, admin, foreign, False),
                       lambda: products.delete_product(session, admin, foreign),
                       lambda: products.update_product(session, admin, foreign, _input(mine, sku='X'))):
            with pytest.raises(NotFound):
                action()
        with pytest.raises(Forbidden):
            products.set_active(session, viewer, mine.id, False)
        assert [p.sku for p in products.list_products(session, viewer, ProductFilter(), PageRequest()).items] == \
            ['AGENT-1']
        assert products.product_choices(session, admin, 'Produit') == []
