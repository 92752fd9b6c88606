"""/api/v1/products and /api/v1/sales: the catalogue, sale entry and its refusals (nothing written), lists with
filters, totals, a client's sales, and tenant isolation — on SQLite and PostgreSQL. Amounts travel as strings with
two decimals."""

from datetime import timedelta

from db.models import Role, Sale, SaleDay, SaleLine
from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_client, make_tenant, make_user

PRODUCTS, SALES = '/api/v1/products', '/api/v1/sales'


def workspace(client, name: str | None = None):
    admin = make_tenant(name)
    return admin, bearer(client, admin.email, PASSWORD)


def product(client, headers, sku: str, **fields) -> dict:
    response = client.post(PRODUCTS, headers=headers, json={'sku': sku, 'name': f'Produit {sku}', **fields})
    assert response.status_code == 201, response.text
    return response.json()


def sell(client, headers, expected_status: int = 201, **body) -> dict:
    response = client.post(SALES, headers=headers, json={'sold_on': today().isoformat(), **body})
    assert response.status_code == expected_status, response.text
    return response.json()


def test_the_catalogue_through_the_api(client):
    _, headers = workspace(client)
    coffee = product(client, headers, 'CAF-250', name='Café moulu', family='Épicerie', price=450.5)
    assert {key: coffee[key] for key in ('sku', 'name', 'family', 'price', 'is_active', 'sold', 'version')} == {
        'sku': 'CAF-250', 'name': 'Café moulu', 'family': 'Épicerie', 'price': '450.50', 'is_active': True,
        'sold': False, 'version': 1}
    product(client, headers, 'SAV-1', name='Savon', family='Hygiène', price='120')
    duplicate = client.post(PRODUCTS, headers=headers, json={'sku': 'caf-250', 'name': 'Autre'})
    assert (duplicate.status_code, duplicate.json()['code']) == (409, 'error.sku_taken')
    bad_price = client.post(PRODUCTS, headers=headers, json={'sku': 'X', 'name': 'X', 'price': '-1'})
    assert (bad_price.status_code, bad_price.json()['field']) == (422, 'price')
    listed = client.get(PRODUCTS, headers=headers, params={'q': 'cafe', 'sort': 'price', 'order': 'desc'}).json()
    assert (listed['total'], [p['sku'] for p in listed['items']]) == (1, ['CAF-250'])
    assert client.get(f'{PRODUCTS}/families', headers=headers).json() == ['Épicerie', 'Hygiène']
    put = client.put(f'{PRODUCTS}/{coffee["id"]}', headers=headers,
                     json={'sku': 'CAF-250', 'name': 'Café moulu 250 g', 'family': 'Épicerie', 'price': '480',
                           'version': 1})
    assert (put.status_code, put.json()['price'], put.json()['version']) == (200, '480.00', 2)
    stale = client.put(f'{PRODUCTS}/{coffee["id"]}', headers=headers, json={'sku': 'CAF-250', 'name': 'X',
                                                                             'version': 1})
    assert (stale.status_code, stale.json()['code']) == (409, 'error.stale_version')
    archived = client.post(f'{PRODUCTS}/{coffee["id"]}/archive', headers=headers).json()
    assert archived['is_active'] is False
    assert [p['sku'] for p in client.get(PRODUCTS, headers=headers, params={'status': 'archived'}).json()['items']] \
        == ['CAF-250']
    assert client.post(f'{PRODUCTS}/{coffee["id"]}/restore', headers=headers).json()['is_active'] is True
    assert client.delete(f'{PRODUCTS}/{coffee["id"]}', headers=headers).status_code == 204
    assert client.get(f'{PRODUCTS}/{coffee["id"]}', headers=headers).status_code == 404


def test_recording_sales_and_reading_them_back(client):
    admin, headers = workspace(client)
    buyer = make_client(admin, 'Épicerie Benali')
    coffee = product(client, headers, 'CAF', family='Café', price='450')
    tea = product(client, headers, 'THE', family='Thé', price=300)
    sale = sell(client, headers, client_id=buyer.id, channel='online', reference='F-1',
                lines=[{'product_id': coffee['id'], 'quantity': 2},
                       {'product_id': tea['id'], 'quantity': 3, 'unit_price': '275.5'}])
    assert (sale['client_name'], sale['channel'], sale['currency'], sale['total']) == \
        ('Épicerie Benali', 'online', 'DZD', '1726.50')
    assert [(line['sku'], line['quantity'], line['unit_price'], line['total']) for line in sale['lines']] == \
        [('CAF', 2, '450.00', '900.00'), ('THE', 3, '275.50', '826.50')]
    earlier = (today() - timedelta(days=40)).isoformat()
    single = sell(client, headers, client_id=buyer.id, amount=99.9, sold_on=earlier)
    assert (single['total'], single['lines']) == ('99.90', [])
    assert client.get(f'{SALES}/{sale["id"]}', headers=headers).json() == sale
    listed = client.get(SALES, headers=headers, params={'family': 'Thé'}).json()
    assert (listed['total'], [s['id'] for s in listed['items']]) == (1, [sale['id']])
    recent = client.get(SALES, headers=headers, params={'start': (today() - timedelta(days=7)).isoformat()}).json()
    assert [s['id'] for s in recent['items']] == [sale['id']]
    paged = client.get(SALES, headers=headers, params={'limit': 1, 'offset': 1}).json()
    assert (paged['total'], [s['id'] for s in paged['items']]) == (2, [single['id']])
    totals = client.get(f'{SALES}/totals', headers=headers, params={'family': 'Café'}).json()
    assert totals == {'count': 1, 'revenue': '1726.50', 'average_basket': '1726.50', 'currency': 'DZD',
                      'family_revenue': '900.00'}
    mine = client.get(f'/api/v1/clients/{buyer.id}/sales', headers=headers).json()
    assert [s['id'] for s in mine['items']] == [sale['id'], single['id']]
    summary = client.get(f'/api/v1/clients/{buyer.id}/sales/summary', headers=headers).json()
    assert (summary['count'], summary['revenue'], summary['first_sale']) == (2, '1826.40', earlier)
    assert client.get(f'{PRODUCTS}/{coffee["id"]}', headers=headers).json()['sold'] is True
    refused = client.delete(f'{PRODUCTS}/{coffee["id"]}', headers=headers)
    assert (refused.status_code, refused.json()['code']) == (409, 'error.product_sold')
    assert client.delete(f'{SALES}/{sale["id"]}', headers=headers).status_code == 204
    assert client.get(f'{SALES}/{sale["id"]}', headers=headers).status_code == 404
    assert client.get(f'{SALES}/totals', headers=headers).json()['revenue'] == '99.90'


def test_bad_sales_are_4xx_with_their_field_and_write_nothing(client):
    admin, headers = workspace(client)
    other, other_headers = workspace(client)
    buyer, foreign_buyer = make_client(admin), make_client(other)
    coffee = product(client, headers, 'CAF', price=450)
    foreign = product(client, other_headers, 'B-1', price=10)
    line = {'product_id': coffee['id'], 'quantity': 1}
    cases = [
        ({'client_id': buyer.id, 'lines': [{**line, 'quantity': -2}]}, 422, 'lines.0.quantity'),
        ({'client_id': buyer.id, 'lines': [line, {'product_id': 999_999, 'quantity': 1}]}, 422, 'lines.1.product_id'),
        ({'client_id': buyer.id, 'lines': [{'product_id': foreign['id'], 'quantity': 1}]}, 422, 'lines.0.product_id'),
        ({'client_id': 999_999, 'lines': [line]}, 422, 'client_id'),
        ({'client_id': foreign_buyer.id, 'lines': [line]}, 422, 'client_id'),
        ({'client_id': buyer.id, 'amount': '10', 'sold_on': (today() + timedelta(days=1)).isoformat()}, 422,
         'sold_on'),
        ({'client_id': buyer.id, 'lines': [line], 'amount': 5}, 422, 'amount'),
        ({'client_id': buyer.id}, 422, 'lines'),
        ({'client_id': buyer.id, 'amount': 0}, 422, 'amount'),
        ({'client_id': buyer.id, 'amount': '1.001'}, 422, 'amount'),
        ({'client_id': buyer.id, 'amount': 10, 'channel': 'pigeon'}, 422, 'channel'),
    ]
    for body, status, field in cases:
        response = sell(client, headers, status, **body)
        assert response.get('field') == field, (body, response)
    for body in ({'client_id': 2**40, 'amount': 10}, {'client_id': buyer.id, 'lines': [{**line, 'quantity': 1.5}]},
                 {'client_id': buyer.id, 'amount': 'dix'}, {'client_id': buyer.id, 'amount': 'NaN'},
                 {'client_id': buyer.id, 'lines': [{**line, 'quantity': 10**30}]},
                 {'client_id': buyer.id, 'lines': [{**line, 'unit_price': '1e400'}]},
                 {'client_id': buyer.id, 'amount': 10, 'sold_on': '2026-02-30'}):
        assert client.post(SALES, headers=headers, json={'sold_on': today().isoformat(), **body}).status_code == 422
    assert (count_rows(Sale), count_rows(SaleLine), count_rows(SaleDay)) == (0, 0, 0)
    assert client.get(SALES, headers=headers, params={'start': '2026-05-01', 'end': '2026-04-01'}).status_code == 422
    assert client.get(SALES, headers=headers, params={'channel': 'pigeon'}).status_code == 422
    assert client.get(SALES, headers=headers, params={'client_id': 2**40}).status_code == 422
    assert client.get(f'{SALES}/{2**40}', headers=headers).status_code == 422


def test_tenants_and_roles(client):
    admin, headers = workspace(client)
    _, other_headers = workspace(client)
    viewer = make_user(admin, role=Role.VIEWER)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    buyer = make_client(admin, 'Client A')
    coffee = product(client, headers, 'CAF', price=450)
    sale = sell(client, headers, client_id=buyer.id, lines=[{'product_id': coffee['id'], 'quantity': 1}])
    for method, path in (('get', f'{SALES}/{sale["id"]}'), ('delete', f'{SALES}/{sale["id"]}'),
                         ('get', f'{PRODUCTS}/{coffee["id"]}'), ('post', f'{PRODUCTS}/{coffee["id"]}/archive'),
                         ('delete', f'{PRODUCTS}/{coffee["id"]}'), ('get', f'/api/v1/clients/{buyer.id}/sales'),
                         ('get', f'/api/v1/clients/{buyer.id}/sales/summary')):
        assert getattr(client, method)(path, headers=other_headers).status_code == 404, path
    assert client.get(SALES, headers=other_headers).json()['total'] == 0
    assert client.get(PRODUCTS, headers=other_headers).json()['total'] == 0
    assert client.get(f'{SALES}/totals', headers=other_headers).json()['count'] == 0
    assert client.get(SALES, headers=viewer_headers).json()['total'] == 1
    refused = client.post(SALES, headers=viewer_headers, json={'client_id': buyer.id, 'amount': 10,
                                                               'sold_on': today().isoformat()})
    assert (refused.status_code, refused.json()['code']) == (403, 'error.read_only')
    assert client.post(PRODUCTS, headers=viewer_headers, json={'sku': 'V', 'name': 'V'}).status_code == 403
    assert client.delete(f'{SALES}/{sale["id"]}', headers=viewer_headers).status_code == 403
    assert client.get(SALES).status_code == 401
    assert count_rows(Sale) == 1
