"""/api/v1/analytics/dashboard: the sales dashboard of a period, amounts as strings with two decimals — on SQLite
and PostgreSQL."""

from datetime import date, timedelta

from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant
from tests.sales_factories import Line, make_product, make_sales

DASHBOARD = '/api/v1/analytics/dashboard'


def shop(client, name: str):
    admin = make_tenant(name)
    buyer = make_client(admin, 'Amrani').id
    lamp = make_product(admin, 'Lampe de bureau', family='Maison', price=2500, sku='LAMPE-01')
    make_sales(admin, [(buyer, date(2025, 3, 5), [Line(lamp, 2)], None),
                       (buyer, date(2025, 2, 5), None, 1234),
                       (buyer, today() - timedelta(days=3), [Line(lamp, 1, unit_price=1999)], None)])
    return admin, bearer(client, admin.email, PASSWORD), lamp


def test_a_custom_period(client):
    _, headers, lamp = shop(client, 'Boutique Lumière')
    shop(client, 'Autre boutique')  # the same sales elsewhere: not counted
    response = client.get(DASHBOARD, headers=headers,
                          params={'period': 'custom', 'start': '2025-03-01', 'end': '2025-03-31'})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body['period'] == {'preset': 'custom', 'start': '2025-03-01', 'end': '2025-03-31',
                              'previous_start': '2025-01-29', 'previous_end': '2025-02-28'}
    assert body['currency'] == 'DZD' and body['has_sales'] is True
    assert body['revenue'] == {'value': '5000.00', 'previous': '1234.00', 'change': '3766.00',
                               'change_percent': 305.2}
    assert body['average_basket']['value'] == '5000.00'
    assert body['sales'] == {'value': 1, 'previous': 1, 'change': 0, 'change_percent': 0.0}
    assert body['buying_clients']['value'] == 1
    assert body['families'] == [{'family': 'Maison', 'revenue': '5000.00', 'units': 2}]
    assert body['top_products'] == [{'product_id': lamp, 'name': 'Lampe de bureau', 'sku': 'LAMPE-01',
                                     'family': 'Maison', 'revenue': '5000.00'}]
    march = [m for m in body['trend'] if (m['year'], m['month']) == (2025, 3)]
    assert march == [{'year': 2025, 'month': 3, 'revenue': '5000.00', 'sales': 1, 'previous_year_revenue': '0.00',
                      'previous_year_sales': 0, 'partial': False}]
    assert (body['segments'], body['segment_moves'], body['last_computed_at']) == ([], [], None)


def test_presets_default_to_the_last_twelve_months(client):
    _, headers, _ = shop(client, 'Boutique Lumière')
    body = client.get(DASHBOARD, headers=headers).json()
    assert (body['period']['preset'], body['period']['end']) == ('12m', today().isoformat())
    assert body['revenue']['value'] == '1999.00'
    assert len(body['trend']) == 12
    month = client.get(DASHBOARD, headers=headers, params={'period': '30d'}).json()
    assert (month['period']['start'], month['revenue']['value']) == (
        (today() - timedelta(days=29)).isoformat(), '1999.00')


def test_bad_periods_are_422(client):
    _, headers, _ = shop(client, 'Boutique Lumière')
    for params, code in (({'period': 'week'}, 'error.period_unknown'),
                         ({'period': 'custom', 'start': '2025-03-01'}, 'error.period_dates_missing'),
                         ({'period': 'custom', 'start': '2025-03-02', 'end': '2025-03-01'}, 'error.period_invalid'),
                         ({'period': 'custom', 'start': '2010-01-01', 'end': '2025-03-01'}, 'error.period_too_long'),
                         ({'period': 'custom', 'start': '2025-02-30', 'end': '2025-03-01'}, 'error.request_invalid'),
                         ({'period': 'custom', 'start': 'hier', 'end': '2025-03-01'}, 'error.request_invalid')):
        response = client.get(DASHBOARD, headers=headers, params=params)
        assert (response.status_code, response.json()['code']) == (422, code), params
    assert client.get(DASHBOARD).status_code == 401
