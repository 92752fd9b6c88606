"""/api/v1/kpis: monthly KPIs per client (seed 001's paths, "investor" being a client) — on SQLite and
PostgreSQL. Amounts travel as strings with two decimals."""

from decimal import Decimal

from db.models import Role
from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant, make_user

KPIS = '/api/v1/kpis'


def workspace(client, name: str | None = None):
    admin = make_tenant(name)
    return admin, bearer(client, admin.email, PASSWORD)


def log(client, headers, client_id: int, kind: str, when: str, **fields) -> None:
    response = client.post('/api/v1/interactions', headers=headers,
                           json={'organisation_id': client_id, 'type': kind, 'title': kind, 'occurred_at': when,
                                 **fields})
    assert response.status_code == 201, response.text


def save(client, headers, client_id: int, expected_status: int = 201, **fields) -> dict:
    response = client.post(f'{KPIS}/investor/{client_id}', headers=headers, json={'year': 2025, 'month': 3, **fields})
    assert response.status_code == expected_status, response.text
    return response.json()


def saved_rows(client, headers, **params) -> dict:
    response = client.get(KPIS, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_month_is_created_then_updated_with_exact_amounts(client):
    admin, headers = workspace(client)
    owner = make_client(admin, 'Fonds Atlas')
    log(client, headers, owner.id, 'reunion', '2025-03-10T10:00:00+01:00', is_pitch=True)
    log(client, headers, owner.id, 'dejeuner', '2025-03-12T13:00:00+01:00')
    log(client, headers, owner.id, 'appel', '2025-03-14T09:00:00+01:00')
    created = save(client, headers, owner.id, due_diligences=1, revenue=1234.5, commission_rate='1.25')
    assert {key: created[key] for key in ('client_id', 'client_name', 'year', 'month', 'meetings', 'pitches',
                                          'meetings_counted', 'meetings_overridden', 'due_diligences', 'closings',
                                          'revenue', 'commission_rate', 'commission', 'saved', 'version')} == {
        'client_id': owner.id, 'client_name': 'Fonds Atlas', 'year': 2025, 'month': 3, 'meetings': 2, 'pitches': 1,
        'meetings_counted': 2, 'meetings_overridden': False, 'due_diligences': 1, 'closings': 0,
        'revenue': '1234.50', 'commission_rate': '1.25', 'commission': '15.43', 'saved': True, 'version': 1}
    updated = save(client, headers, owner.id, 200, meetings=7, pitches=0, closings=1, revenue='99.99')
    assert (updated['meetings'], updated['meetings_counted'], updated['meetings_overridden']) == (7, 2, True)
    assert (updated['pitches'], updated['pitches_overridden']) == (0, True)
    assert (updated['revenue'], updated['commission_rate'], updated['commission'], updated['version']) == \
        ('99.99', '0.00', '0.00', 2)
    put = client.put(f'/api/v1/clients/{owner.id}/kpis/2025/3', headers=headers,
                     json={'meetings': None, 'revenue': '100', 'commission_rate': 10})
    assert put.status_code == 200, put.text
    assert (put.json()['meetings'], put.json()['revenue'], put.json()['commission'], put.json()['version']) == \
        (2, '100.00', '10.00', 3)
    new_month = client.put(f'/api/v1/clients/{owner.id}/kpis/2025/4', headers=headers, json={})
    assert new_month.status_code == 201 and new_month.json()['revenue'] == '0.00'
    assert saved_rows(client, headers)['total'] == 2


REFUSED = [  # (change to the body, field, code or None when the code may vary)
    ({'month': 13}, 'month', 'error.month_invalid'),
    ({'month': 0}, 'month', 'error.month_invalid'),
    ({'year': 1999}, 'year', 'error.year_invalid'),
    ({'meetings': -1}, 'meetings', 'error.count_invalid'),
    ({'pitches': -3}, 'pitches', 'error.count_invalid'),
    ({'due_diligences': -1}, 'due_diligences', 'error.count_invalid'),
    ({'closings': 10_001}, 'closings', 'error.count_invalid'),
    ({'revenue': -5}, 'revenue', 'error.amount_invalid'),
    ({'revenue': '12.345'}, 'revenue', 'error.amount_decimals'),
    ({'revenue': 'NaN'}, 'revenue', None),
    ({'commission_rate': 100.01}, 'commission_rate', 'error.amount_invalid'),
    ({'revenue': 'beaucoup'}, 'revenue', 'error.request_invalid'),
    ({'meetings': 'deux'}, 'meetings', 'error.request_invalid'),
]


def test_bad_months_and_amounts_are_422_and_write_nothing(client):
    admin, headers = workspace(client)
    owner = make_client(admin)
    for body, field, code in REFUSED:
        response = client.post(f'{KPIS}/investor/{owner.id}', headers=headers,
                               json={'year': 2025, 'month': 3, **body})
        assert response.status_code == 422, response.text
        payload = response.json()
        assert code is None or payload['code'] == code, response.text
        if payload['code'] == 'error.request_invalid':
            assert [problem['field'] for problem in payload['errors']] == [field], response.text
        else:
            assert payload['field'] == field, response.text
    assert saved_rows(client, headers)['total'] == 0


def test_bad_periods_in_the_path_or_the_query_are_422(client):
    admin, headers = workspace(client)
    owner = make_client(admin)
    for path in (f'/api/v1/clients/{owner.id}/kpis/2025/13', f'/api/v1/clients/{owner.id}/kpis/2025/-1',
                 f'/api/v1/clients/{owner.id}/kpis/12025/1', f'/api/v1/clients/{owner.id}/kpis/2025/mars'):
        assert client.put(path, headers=headers, json={}).status_code == 422, path
    assert client.put(f'/api/v1/clients/{owner.id}/kpis/2025/1', headers=headers,
                      json={'closings': -1}).json()['field'] == 'closings'
    for path in ('/kpis/summary/month/2025/13', '/kpis/summary/month/1999/1', f'/kpis/summary/annual/{owner.id}/3000',
                 f'/kpis/investor/{owner.id}?year=1850', '/kpis?month=13', '/kpis?year=2025&month=0'):
        response = client.get(f'/api/v1{path}', headers=headers)
        assert response.status_code == 422 and response.json()['code'] != 'error.request_invalid', path
    assert saved_rows(client, headers)['total'] == 0


def test_the_monthly_summary_adds_saved_rows_and_counted_meetings(client):
    admin, headers = workspace(client)
    atlas, boreal, cedre = (make_client(admin, name) for name in ('Atlas', 'Boréal', 'Cèdre'))
    log(client, headers, atlas.id, 'reunion', '2025-03-03T10:00:00+01:00')
    log(client, headers, atlas.id, 'email', '2025-03-04T10:00:00+01:00', is_pitch=True)
    log(client, headers, atlas.id, 'reunion', '2025-04-01T10:00:00+02:00')  # April: not counted in March
    log(client, headers, boreal.id, 'reunion', '2025-03-20T10:00:00+01:00')
    log(client, headers, boreal.id, 'dejeuner', '2025-03-21T12:30:00+01:00')
    log(client, headers, boreal.id, 'appel', '2025-03-22T10:00:00+01:00', is_pitch=True)
    log(client, headers, cedre.id, 'reunion', '2025-03-25T10:00:00+01:00')
    save(client, headers, atlas.id, due_diligences=1, revenue='1000.50', commission_rate='2.5')
    save(client, headers, cedre.id, meetings=5, pitches=0, closings=2, revenue=200, commission_rate=10)
    response = client.get(f'{KPIS}/summary/month/2025/3', headers=headers)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary['totals'] == {'meetings': 8, 'pitches': 2, 'due_diligences': 1, 'closings': 2,
                                 'revenue': '1200.50', 'commission': '45.01'}
    assert summary['clients_with_activity'] == 3 and (summary['year'], summary['month']) == (2025, 3)
    assert [row['client_name'] for row in summary['top_by_revenue']] == ['Atlas', 'Cèdre']
    assert [(row['client_name'], row['meetings']) for row in summary['top_by_meetings']] == \
        [('Cèdre', 5), ('Boréal', 2), ('Atlas', 1)]
    # the same totals, recomputed from what the API shows: the saved rows, plus the meetings of the others
    rows = saved_rows(client, headers, year=2025, month=3)['items']
    march = client.get('/api/v1/interactions', headers=headers, params={
        'since': '2025-03-01T00:00:00+01:00', 'until': '2025-04-01T00:00:00+02:00', 'type': 'meeting,lunch'}).json()
    unsaved = [item for item in march['items'] if item['client_id'] not in {row['client_id'] for row in rows}]
    assert summary['totals']['meetings'] == sum(row['meetings'] for row in rows) + len(unsaved)
    assert Decimal(summary['totals']['revenue']) == sum(Decimal(row['revenue']) for row in rows)
    assert summary['totals']['closings'] == sum(row['closings'] for row in rows)
    empty = client.get(f'{KPIS}/summary/month/2024/3', headers=headers).json()
    assert empty['totals'] == {'meetings': 0, 'pitches': 0, 'due_diligences': 0, 'closings': 0, 'revenue': '0.00',
                               'commission': '0.00'}
    assert empty['top_by_revenue'] == empty['top_by_meetings'] == [] and empty['clients_with_activity'] == 0


def test_annual_summaries_list_twelve_months_under_every_path(client):
    admin, headers = workspace(client)
    owner = make_client(admin, 'Atlas')
    log(client, headers, owner.id, 'reunion', '2025-02-10T10:00:00+01:00')
    save(client, headers, owner.id, month=1, revenue='10.10', commission_rate=50)
    save(client, headers, owner.id, month=12, revenue='5.05', closings=1)
    response = client.get(f'{KPIS}/investor/{owner.id}', headers=headers, params={'year': 2025})
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary['client_id'], summary['client_name'], summary['year']) == (owner.id, 'Atlas', 2025)
    assert [month['month'] for month in summary['months']] == list(range(1, 13))
    assert [month['saved'] for month in summary['months']] == [True] + [False] * 10 + [True]
    assert summary['months'][1]['meetings'] == 1 and summary['months'][1]['version'] is None
    assert summary['totals'] == {'meetings': 1, 'pitches': 0, 'due_diligences': 0, 'closings': 1,
                                 'revenue': '15.15', 'commission': '5.05'}
    assert client.get(f'/api/v1/clients/{owner.id}/kpis', headers=headers, params={'year': 2025}).json() == summary
    assert client.get(f'{KPIS}/summary/annual/{owner.id}/2025', headers=headers).json() == summary
    this_year = client.get(f'/api/v1/clients/{owner.id}/kpis', headers=headers).json()
    assert this_year['year'] == today().year


def test_saved_months_are_listed_newest_first_with_filters(client):
    admin, headers = workspace(client)
    atlas, boreal = make_client(admin, 'Atlas'), make_client(admin, 'Boréal')
    save(client, headers, atlas.id, year=2024, month=11)
    save(client, headers, atlas.id, month=2)
    save(client, headers, boreal.id, month=2)
    save(client, headers, boreal.id, month=1)

    def periods(**params) -> list[tuple]:
        rows = saved_rows(client, headers, **params)['items']
        return [(row['client_name'], row['year'], row['month']) for row in rows]

    assert periods() == [('Atlas', 2025, 2), ('Boréal', 2025, 2), ('Boréal', 2025, 1), ('Atlas', 2024, 11)]
    assert periods(year=2025, month=2) == [('Atlas', 2025, 2), ('Boréal', 2025, 2)]
    assert periods(month=11) == [('Atlas', 2024, 11)]
    assert periods(client_id=boreal.id) == [('Boréal', 2025, 2), ('Boréal', 2025, 1)]
    page = saved_rows(client, headers, limit=1, offset=3)
    assert page['total'] == 4 and [row['month'] for row in page['items']] == [11]


def test_viewers_read_but_cannot_save_and_other_tenants_are_404(client):
    admin, headers = workspace(client)
    owner = make_client(admin)
    save(client, headers, owner.id, revenue='10')
    viewer_headers = bearer(client, make_user(admin, role=Role.VIEWER).email, PASSWORD)
    assert client.get(f'{KPIS}/investor/{owner.id}?year=2025', headers=viewer_headers).status_code == 200
    for method, path in (('POST', f'{KPIS}/investor/{owner.id}'), ('PUT', f'/api/v1/clients/{owner.id}/kpis/2025/3')):
        response = client.request(method, path, headers=viewer_headers, json={'year': 2025, 'month': 3, 'closings': 9})
        assert response.status_code == 403 and response.json()['code'] == 'error.read_only', path
    _, other_headers = workspace(client, 'Autre cabinet')
    for method, path, kwargs in [
        ('GET', f'{KPIS}/investor/{owner.id}', {}), ('GET', f'/api/v1/clients/{owner.id}/kpis', {}),
        ('GET', f'{KPIS}/summary/annual/{owner.id}/2025', {}), ('GET', KPIS, {'params': {'client_id': owner.id}}),
        ('POST', f'{KPIS}/investor/{owner.id}', {'json': {'year': 2025, 'month': 3}}),
        ('PUT', f'/api/v1/clients/{owner.id}/kpis/2025/3', {'json': {}}),
    ]:
        response = client.request(method, path, headers=other_headers, **kwargs)
        assert response.status_code == 404 and response.json()['code'] == 'error.client_not_found', (method, path)
    assert saved_rows(client, other_headers)['total'] == 0
    assert client.get(f'{KPIS}/summary/month/2025/3', headers=other_headers).json()['totals']['revenue'] == '0.00'
    [row] = saved_rows(client, headers)['items']
    assert (row['revenue'], row['closings'], row['version']) == ('10.00', 0, 1)
