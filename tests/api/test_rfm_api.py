"""/api/v1/rfm, /api/v1/analytics/runs, /api/v1/analytics/settings and /api/v1/products/popularity — on SQLite and
PostgreSQL."""

import time
from datetime import timedelta

from db.models import AnalyticsRun, Role
from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales

API = '/api/v1'


def shop(client, name: str):
    """A champion (four recent purchases of coffee and tea) and a one-off buyer of long ago."""
    admin = make_tenant(name)
    coffee = make_product(admin, 'Café 250g', family='Café', price=5, sku=f'CAFE-{name[:3]}')
    tea = make_product(admin, 'Thé vert', family='Thé', price=4)
    regular = make_client(admin, 'Amrani Import').id
    once = make_client(admin, 'Belkacem').id
    day = today()
    make_sales(admin, [(regular, day - timedelta(days=gap), [Line(coffee, 2), Line(tea, 1)], None)
                       for gap in (40, 30, 20, 10)] + [(once, day - timedelta(days=400), None, 1234)])
    return admin, bearer(client, admin.email, PASSWORD), {'regular': regular, 'once': once, 'coffee': coffee}


def recompute(client, headers, **params) -> dict:
    response = client.post(f'{API}/rfm/recompute', headers=headers, params=params)
    assert response.status_code == 202, response.text
    run = response.json()
    deadline = time.monotonic() + 60
    while run['status'] in ('queued', 'running') and time.monotonic() < deadline:
        time.sleep(0.05)
        run = client.get(f'{API}/analytics/runs/{run["id"]}', headers=headers).json()
    return run


def test_recompute_then_read_the_segments_and_a_client(client):
    _, headers, ids = shop(client, 'Café du Port')
    assert client.get(f'{API}/analytics/runs/latest', headers=headers).json() is None
    empty = client.get(f'{API}/rfm', headers=headers).json()
    assert (empty['clients'], empty['latest_run']) == (0, None)

    run = recompute(client, headers)
    assert (run['status'], run['progress'], run['trigger'], run['window_months']) == ('done', 100, 'api', 24)
    assert (run['summary']['clients'], run['summary']['products']) == (2, 2)

    body = client.get(f'{API}/rfm', headers=headers).json()
    assert body['clients'] == 2 and body['latest_run']['id'] == run['id']
    shares = {share['segment']: share for share in body['distribution']}
    assert len(shares) == 11
    # two buyers: the champion scores 5 everywhere, the one-off buyer 1 (R1 F1: lost)
    assert shares['champions'] == {'segment': 'champions', 'clients': 1, 'revenue': '56.00'}
    assert shares['lost'] == {'segment': 'lost', 'clients': 1, 'revenue': '1234.00'}

    page = client.get(f'{API}/rfm/clients', headers=headers, params={'segment': 'champions'}).json()
    assert page['total'] == 1
    assert {key: page['items'][0][key] for key in ('client_id', 'name', 'r_score', 'f_score', 'm_score',
                                                   'frequency', 'monetary')} == {
        'client_id': ids['regular'], 'name': 'Amrani Import', 'r_score': 5, 'f_score': 5, 'm_score': 1,
        'frequency': 4, 'monetary': '56.00'}
    everyone = client.get(f'{API}/rfm/clients', headers=headers, params={'limit': 1}).json()
    assert (everyone['total'], everyone['items'][0]['name']) == (2, 'Belkacem')  # biggest spender first

    detail = client.get(f'{API}/rfm/clients/{ids["regular"]}', headers=headers).json()
    profile = detail['profile']
    assert (profile['segment'], profile['avg_basket'], profile['budget'], profile['top_families'],
            profile['avg_interval_days']) == ('champions', '14.00', '14.00', ['Café', 'Thé'], 10.0)
    assert [(change['from_segment'], change['to_segment']) for change in detail['history']] == [
        (None, 'champions')]

    moves = client.get(f'{API}/rfm/moves', headers=headers, params={'since': '2000-01-01'}).json()
    assert sorted((move['from_segment'], move['to_segment'], move['clients']) for move in moves
                  if move['to_segment']) == [(None, 'champions', 1), (None, 'lost', 1)]
    assert client.get(f'{API}/rfm/moves', headers=headers).status_code == 200  # since the start of the month


def test_bad_input_and_other_tenants(client):
    admin, headers, _ = shop(client, 'Café du Port')
    _, other_headers, theirs = shop(client, 'Autre Café')
    viewer = make_user(admin, role=Role.VIEWER)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    recompute(client, headers)

    for window in ('0', '121', '-1'):
        refused = client.post(f'{API}/rfm/recompute', headers=headers, params={'window_months': window})
        assert refused.status_code == 422, refused.text
        assert (refused.json()['code'], refused.json()['field']) == ('error.rfm_window', 'window_months')
    assert client.post(f'{API}/rfm/recompute', headers=headers, params={'window_months': 'deux'}).status_code == 422
    assert client.post(f'{API}/rfm/recompute', headers=viewer_headers).status_code == 403
    assert count_rows(AnalyticsRun, tenant_id=admin.tenant_id) == 1

    unknown = client.get(f'{API}/rfm/clients', headers=headers, params={'segment': 'vip'})
    assert (unknown.status_code, unknown.json()['code']) == (422, 'error.segment_unknown')
    assert client.get(f'{API}/rfm/clients/{theirs["regular"]}', headers=headers).status_code == 404
    assert client.get(f'{API}/rfm/clients/999999', headers=headers).status_code == 404
    assert client.get(f'{API}/rfm/moves', headers=headers, params={'since': 'hier'}).status_code == 422
    assert client.get(f'{API}/rfm', headers=other_headers).json()['clients'] == 0  # not recomputed there
    latest = client.get(f'{API}/analytics/runs/latest', headers=headers).json()
    assert client.get(f'{API}/analytics/runs/{latest["id"]}', headers=other_headers).status_code == 404
    assert client.get(f'{API}/rfm', headers=viewer_headers).json()['clients'] == 2
    assert client.get(f'{API}/rfm', headers={}).status_code == 401


def test_a_client_without_purchases_in_the_window_has_no_profile(client):
    admin, headers, _ = shop(client, 'Café du Port')
    newcomer = make_client(admin, 'Nouveau').id
    recompute(client, headers, window_months=12)  # the one-off buyer of 400 days ago is out of it too
    body = client.get(f'{API}/rfm/clients/{newcomer}', headers=headers).json()
    assert body == {'client_id': newcomer, 'profile': None, 'history': []}
    assert client.get(f'{API}/rfm', headers=headers).json()['clients'] == 1


def test_settings_read_and_saved_by_admins(client):
    admin, headers, _ = shop(client, 'Café du Port')
    agent = make_user(admin, role=Role.AGENT)
    agent_headers = bearer(client, agent.email, PASSWORD)
    assert client.get(f'{API}/analytics/settings', headers=agent_headers).json() == {
        'window_months': 24, 'nightly_enabled': True, 'nightly_hour': 2, 'version': 0}
    body = {'window_months': 12, 'nightly_enabled': False, 'nightly_hour': 5, 'version': 0}
    assert client.put(f'{API}/analytics/settings', headers=agent_headers, json=body).status_code == 403
    saved = client.put(f'{API}/analytics/settings', headers=headers, json=body)
    assert saved.status_code == 200 and saved.json() == {**body, 'version': 1}
    assert client.put(f'{API}/analytics/settings', headers=headers, json=body).status_code == 409  # stale
    for wrong in ({'window_months': 0}, {'nightly_hour': 24}):
        refused = client.put(f'{API}/analytics/settings', headers=headers, json={**body, **wrong, 'version': 1})
        assert refused.status_code == 422, refused.text
    run = recompute(client, headers)
    assert (run['window_months'], run['summary']['clients']) == (12, 1)


def test_product_popularity(client):
    _, headers, ids = shop(client, 'Café du Port')
    shop(client, 'Autre Café')
    recompute(client, headers)
    page = client.get(f'{API}/products/popularity', headers=headers).json()
    assert page['total'] == 2
    first = page['items'][0]
    assert {key: first[key] for key in ('product_id', 'name', 'family', 'price', 'sales_recent', 'revenue_recent',
                                        'buyers_recent', 'trend_percent', 'score')} == {
        'product_id': ids['coffee'], 'name': 'Café 250g', 'family': 'Café', 'price': '5.00', 'sales_recent': 4,
        'revenue_recent': '40.00', 'buyers_recent': 1, 'trend_percent': None, 'score': 100.0}
    teas = client.get(f'{API}/products/popularity', headers=headers, params={'family': 'Thé'}).json()
    assert [item['name'] for item in teas['items']] == ['Thé vert']
    assert client.get(f'{API}/products/popularity', headers=headers, params={'limit': 0}).status_code == 422
