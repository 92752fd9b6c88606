"""The catalogue (create, search, errors next to their field, archive with confirmation), the sales list (a sale of
two lines entered, seen in the list and its totals, then on the client's «Ventes» tab), a refused quantity shown next
to its field, and a sale deleted from its detail."""

import asyncio
from datetime import date
from decimal import Decimal

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from sqlmodel import select

from db.models import Product, Sale, SaleDay, SaleLine
from db.session import session_scope
from services.paging import PageRequest
from services.sales import SaleFilter, list_sales
from tests.factories import count_rows, make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, sign_in, table_rows
from tests.pages.test_kpi_pages import in_open_dialog, open_dialogs
from tests.sales_factories import Line, make_product, make_sale

NNBSP, NBSP = '\u202f', '\u00a0'  # French thousands separator; the space inside « »


async def until(check, message: str = 'condition') -> None:
    for _ in range(PATIENT):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f'{message} never held')


def in_open_dialog_or_none(user: User, marker: str):
    found = open_dialogs(user, marker)
    return found[0] if len(found) == 1 else None


async def choose_product(user: User, index: int, words: str, product_id: int) -> None:
    """Type in a line's product picker (the server searches the catalogue), then pick the product."""
    user.find(marker=f'line-product-{index}').trigger('input-value', words)
    picker = user.find(marker=f'line-product-{index}').elements.pop()
    await until(lambda: product_id in picker.options, f'product {product_id} offered')
    picker.set_value(product_id)


async def test_create_a_product_then_find_it_and_a_taken_sku_is_shown_on_its_field(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/products')
    await user.should_see(marker='products-empty', retries=PATIENT)
    user.find(marker='products-new').click()
    user.find(marker='product-sku').type('CAF-250')
    user.find(marker='product-name').type('Café moulu 250 g')
    user.find(marker='product-family').type('Épicerie')
    user.find(marker='product-price').type('1 250,50')
    user.find(marker='product-save').click()
    await user.should_see(f'Produit «{NBSP}Café moulu 250 g{NBSP}» enregistré', retries=PATIENT)
    with session_scope() as session:
        [product] = session.exec(select(Product)).all()
    assert (product.sku, product.family, product.price_cents) == ('CAF-250', 'Épicerie', 125_050)
    make_product(admin, 'Savon noir', family='Hygiène', sku='SAV-1')
    user.find(marker='products-search').type('cafe')
    rows = await table_rows(user, 'products-table', lambda rows: [r['sku'] for r in rows] == ['CAF-250'])
    assert rows[0]['price'] == f'1{NNBSP}250,50 DZD' and rows[0]['family'] == 'Épicerie'
    user.find(marker='products-new').click()
    await until(lambda: in_open_dialog_or_none(user, 'product-sku') is not None, 'a second dialog')
    in_open_dialog(user, 'product-sku').set_value('caf-250')
    in_open_dialog(user, 'product-name').set_value('Doublon')
    in_open_dialog(user, 'product-price').set_value('-3')
    UserInteraction(user, {in_open_dialog(user, 'product-save')}, None).click()
    sku = in_open_dialog(user, 'product-sku')
    await until(lambda: sku.error is not None, 'an error on the SKU')
    assert 'déjà utilisé' in sku.error
    assert count_rows(Product) == 2


async def test_archive_a_product_after_confirming(user: User, sqlite_db) -> None:
    admin = make_tenant()
    make_product(admin, 'Thé vert', family='Thé', sku='THE-1')
    make_product(admin, 'Café', family='Café', sku='CAF-1')
    await sign_in(user, admin.email)
    await user.open('/products')
    rows = await table_rows(user, 'products-table', lambda rows: len(rows) == 2)
    [tea] = [row for row in rows if row['sku'] == 'THE-1']
    user.find(marker='products-table').trigger('rowClick', [{}, tea, 0])
    await user.should_see(marker='product-archive', retries=PATIENT)
    user.find(marker='product-archive').click()
    await user.should_see(f'Archiver ce produit{NBSP}?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await table_rows(user, 'products-table', lambda rows: [r['sku'] for r in rows] == ['CAF-1'])
    with session_scope() as session:
        assert session.get(Product, tea['id']).is_active is False
    user.find(marker='products-status').elements.pop().set_value('archived')
    rows = await table_rows(user, 'products-table', lambda rows: [r['sku'] for r in rows] == ['THE-1'])
    assert rows[0]['status'] == 'Archivé'


async def test_record_a_sale_of_two_lines_and_see_it_in_the_list_and_on_the_client(user: User, sqlite_db) -> None:
    admin = make_tenant()
    buyer = data.client(admin, 'Épicerie Benali')
    coffee = make_product(admin, 'Café moulu', family='Café', price=450, sku='CAF-1')
    tea = make_product(admin, 'Thé vert', family='Thé', price=300, sku='THE-1')
    await sign_in(user, admin.email)
    await user.open('/sales')
    await user.should_see(marker='sales-count', retries=PATIENT)
    user.find(marker='sales-new').click()
    await user.should_see(marker='sale-save', retries=PATIENT)
    user.find(marker='sale-client').elements.pop().set_value(buyer.id)
    await choose_product(user, 0, 'cafe', coffee)
    price = user.find(marker='line-price-0').elements.pop()
    await until(lambda: price.value == '450,00', 'the coffee price filled in')
    user.find(marker='line-quantity-0').elements.pop().set_value(2)
    user.find(marker='sale-add-line').click()
    await choose_product(user, 1, 'the vert', tea)
    user.find(marker='line-quantity-1').elements.pop().set_value(3)
    user.find(marker='line-price-1').clear().type('275,5')
    total = user.find(marker='sale-total').elements.pop()
    await until(lambda: total.text == f'1{NNBSP}726,50 DZD', 'the live total')
    user.find(marker='sale-reference').type('F-2026-001')
    user.find(marker='sale-save').click()
    rows = await table_rows(user, 'sales-table', lambda rows: len(rows) == 1)
    assert (rows[0]['client'], rows[0]['total'], rows[0]['products']) == \
        ('Épicerie Benali', f'1{NNBSP}726,50 DZD', 'Café moulu ×2, Thé vert ×3')
    await until(lambda: user.find(marker='sales-revenue').elements.pop().text == f'1{NNBSP}726,50 DZD',
                'the period revenue')  # found again each time: the totals are redrawn after the save
    assert (count_rows(Sale), count_rows(SaleLine)) == (1, 2)
    await user.open(f'/clients/{buyer.id}?tab=sales')
    rows = await table_rows(user, 'client-sales-table', lambda rows: len(rows) == 1)
    assert rows[0]['total'] == f'1{NNBSP}726,50 DZD'
    assert user.find(marker='client-sales-count').elements.pop().text == '1'
    await user.should_see(marker='client-insights')


async def test_a_bad_quantity_is_shown_next_to_it_and_nothing_is_written(user: User, sqlite_db) -> None:
    admin = make_tenant()
    buyer = data.client(admin, 'SARL Quantités')
    coffee = make_product(admin, 'Café moulu', family='Café', price=450, sku='CAF-1')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{buyer.id}?tab=sales')
    await user.should_see(marker='client-sales-empty', retries=PATIENT)
    user.find(marker='client-sale-new').click()
    await user.should_see(marker='sale-save', retries=PATIENT)
    assert user.find(marker='sale-client').elements.pop().value == buyer.id  # prefilled with the client
    await choose_product(user, 0, 'caf', coffee)
    quantity = user.find(marker='line-quantity-0').elements.pop()
    quantity.set_value(-1)
    user.find(marker='sale-save').click()
    await until(lambda: quantity.error is not None, 'an error on the quantity')
    assert quantity.error.startswith('Quantité invalide')
    assert (count_rows(Sale), count_rows(SaleLine), count_rows(SaleDay)) == (0, 0, 0)
    quantity.set_value(4)
    user.find(marker='sale-save').click()
    await until(lambda: count_rows(Sale) == 1, 'the sale saved')
    with session_scope() as session:
        [sale] = list_sales(session, admin, SaleFilter(client_id=buyer.id), PageRequest()).items
    assert sale.total == Decimal('1800.00')
    rows = await table_rows(user, 'client-sales-table', lambda rows: len(rows) == 1)
    assert rows[0]['products'] == 'Café moulu ×4'


async def test_a_sale_is_deleted_from_its_detail_after_confirming(user: User, sqlite_db) -> None:
    admin = make_tenant()
    buyer = data.client(admin, 'EURL Retour')
    coffee = make_product(admin, 'Café moulu', family='Café', price=450, sku='CAF-1')
    make_sale(admin, buyer.id, date(2026, 1, 15), [Line(coffee, 1)])
    kept = make_sale(admin, buyer.id, date(2026, 1, 10), amount=100)
    await sign_in(user, admin.email)
    await user.open(f'/sales?client_id={buyer.id}')
    user.find(marker='sales-period').elements.pop().set_value('all')
    rows = await table_rows(user, 'sales-table', lambda rows: len(rows) == 2)
    assert rows[0]['sold_on'] == '15/01/2026' and rows[1]['products'] == 'Montant unique'
    user.find(marker='sales-table').trigger('rowClick', [{}, rows[0], 0])
    await user.should_see(marker='sale-delete', retries=PATIENT)
    [line] = await table_rows(user, 'sale-lines')
    assert (line['product'], line['quantity'], line['total']) == ('CAF-1 · Café moulu', 1, '450,00 DZD')
    user.find(marker='sale-delete').click()
    await user.should_see(f'Supprimer cette vente{NBSP}?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await table_rows(user, 'sales-table', lambda rows: [r['id'] for r in rows] == [kept])
    assert count_rows(Sale) == 1
