"""/api/v1/pipeline: stages, the board, moves, stage history and stats — on SQLite and PostgreSQL."""

from datetime import timedelta

from db.models import Role
from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant, make_user

STAGES = '/api/v1/pipeline/stages'
DEFAULT_STAGES = ['Prospect froid', 'Prospect tiède', 'Prospect chaud', 'Négociation', 'Client', 'Perdu']


def admin_headers(client, name: str | None = None):
    admin = make_tenant(name)
    return admin, bearer(client, admin.email, PASSWORD)


def stages(client, headers) -> list[dict]:
    response = client.get(STAGES, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def stage_ids(client, headers) -> dict[str, int]:
    return {stage['name']: stage['id'] for stage in stages(client, headers)}


def move(client, headers, client_id: int, stage_id: int, **fields):
    return client.post(f'/api/v1/clients/{client_id}/stage', headers=headers, json={'stage_id': stage_id, **fields})


def test_stages_are_listed_in_order_with_their_client_counts(client):
    admin, headers = admin_headers(client)
    make_client(admin)
    make_client(admin)
    listed = stages(client, headers)
    assert [stage['name'] for stage in listed] == DEFAULT_STAGES
    assert [stage['position'] for stage in listed] == list(range(6))
    assert [stage['clients'] for stage in listed] == [2, 0, 0, 0, 0, 0]
    assert [stage['is_lost'] for stage in listed] == [False] * 5 + [True]
    assert [stage['archived'] for stage in listed] == [0] * 6
    assert set(listed[0]) == {'id', 'key', 'name', 'position', 'is_lost', 'clients', 'archived'}
    assert listed[0]['key'] == 'prospect_froid'


def test_admins_create_rename_reorder_and_delete_stages(client):
    admin, headers = admin_headers(client)
    created = client.post(STAGES, headers=headers, json={'name': 'Due diligence'})
    assert created.status_code == 201, created.text
    stage = created.json()
    assert (stage['name'], stage['key'], stage['position'], stage['is_lost']) == \
        ('Due diligence', 'due_diligence', 5, False)
    assert [s['name'] for s in stages(client, headers)] == [*DEFAULT_STAGES[:5], 'Due diligence', 'Perdu']
    duplicate = client.post(STAGES, headers=headers, json={'name': 'due DILIGENCE'})
    assert duplicate.status_code == 409 and duplicate.json()['code'] == 'error.stage_exists'
    for bad in ({'name': '  '}, {'name': 'x' * 61}, {}):
        assert client.post(STAGES, headers=headers, json=bad).status_code == 422, bad
    renamed = client.patch(f'{STAGES}/{stage["id"]}', headers=headers, json={'name': 'Audit'})
    assert renamed.status_code == 200 and renamed.json()['name'] == 'Audit'
    ids = [s['id'] for s in stages(client, headers)]
    reordered = client.put(f'{STAGES}/order', headers=headers, json={'ids': [ids[-2], *ids[:-2], ids[-1]]})
    assert reordered.status_code == 200, reordered.text
    assert [s['name'] for s in reordered.json()] == ['Audit', *DEFAULT_STAGES]
    for bad_ids in ([ids[0]], [*ids, ids[0]], [*ids[:-1], 999_999]):
        response = client.put(f'{STAGES}/order', headers=headers, json={'ids': bad_ids})
        assert response.status_code == 422 and response.json()['code'] == 'error.stage_order_invalid'
    assert client.delete(f'{STAGES}/{stage["id"]}', headers=headers).status_code == 204
    assert [s['name'] for s in stages(client, headers)] == DEFAULT_STAGES
    assert client.delete(f'{STAGES}/{stage["id"]}', headers=headers).status_code == 404
    manager_headers = bearer(client, make_user(admin, role=Role.MANAGER).email, PASSWORD)
    first = stages(client, headers)[0]['id']
    for method, path, kwargs in [('POST', STAGES, {'json': {'name': 'X'}}),
                                 ('PATCH', f'{STAGES}/{first}', {'json': {'name': 'X'}}),
                                 ('PUT', f'{STAGES}/order', {'json': {'ids': ids}}),
                                 ('DELETE', f'{STAGES}/{first}', {})]:
        response = client.request(method, path, headers=manager_headers, **kwargs)
        assert response.status_code == 403 and response.json()['code'] == 'error.admin_only', (method, path)
    assert [s['name'] for s in stages(client, manager_headers)] == DEFAULT_STAGES


def test_a_stage_in_use_is_deleted_only_with_somewhere_to_move_its_clients(client):
    admin, headers = admin_headers(client)
    ids = stage_ids(client, headers)
    first, second = make_client(admin), make_client(admin)
    in_use = client.delete(f'{STAGES}/{ids["Prospect froid"]}', headers=headers)
    assert in_use.status_code == 409 and in_use.json()['code'] == 'error.stage_in_use'
    assert '2' in in_use.json()['detail']
    assert stages(client, headers)[0]['clients'] == 2
    onto_itself = client.delete(f'{STAGES}/{ids["Prospect froid"]}', headers=headers,
                                params={'move_to_id': ids['Prospect froid']})
    assert onto_itself.status_code == 422 and onto_itself.json()['field'] == 'move_to_id'
    unknown = client.delete(f'{STAGES}/{ids["Prospect froid"]}', headers=headers, params={'move_to_id': 999_999})
    assert unknown.status_code == 422 and unknown.json()['code'] == 'error.stage_unknown'
    moved = client.delete(f'{STAGES}/{ids["Prospect froid"]}', headers=headers,
                          params={'move_to_id': ids['Prospect chaud']})
    assert moved.status_code == 204, moved.text
    listed = stages(client, headers)
    assert [(s['name'], s['clients']) for s in listed][:2] == [('Prospect tiède', 0), ('Prospect chaud', 2)]
    for owner in (first, second):
        read = client.get(f'/api/v1/clients/{owner.id}', headers=headers).json()
        assert read['stage_name'] == 'Prospect chaud' and read['version'] == owner.version + 1
        history = client.get(f'/api/v1/clients/{owner.id}/stage-history', headers=headers).json()
        assert history[0]['to_stage'] == 'Prospect chaud'
    for name in ('Prospect tiède', 'Prospect chaud', 'Négociation', 'Perdu'):
        client.delete(f'{STAGES}/{stage_ids(client, headers)[name]}', headers=headers,
                      params={'move_to_id': stage_ids(client, headers)['Client']})
    last = client.delete(f'{STAGES}/{stage_ids(client, headers)["Client"]}', headers=headers)
    assert last.status_code == 409 and last.json()['code'] == 'error.stage_last'


def test_move_to_next_stage_until_the_last_one(client):
    admin, headers = admin_headers(client)
    owner = make_client(admin)
    url = f'/api/v1/clients/{owner.id}/move-to-next-stage'
    names = []
    for method in ('POST', 'PUT', 'POST', 'PUT'):
        response = client.request(method, url, headers=headers)
        assert response.status_code == 200, response.text
        names.append(response.json()['stage_name'])
    assert names == DEFAULT_STAGES[1:5]
    assert response.json()['id'] == owner.id and response.json()['version'] == owner.version + 4
    last = client.put(url, headers=headers)
    assert last.status_code == 409 and last.json()['code'] == 'error.stage_last_reached'
    assert client.get(f'/api/v1/clients/{owner.id}', headers=headers).json()['stage_name'] == 'Client'
    assert move(client, headers, owner.id, stage_ids(client, headers)['Perdu']).status_code == 200
    lost = client.post(url, headers=headers)
    assert lost.status_code == 409 and lost.json()['code'] == 'error.stage_lost_no_next'


def test_moving_a_client_to_a_stage_with_a_version(client):
    admin, headers = admin_headers(client)
    owner = make_client(admin)
    ids = stage_ids(client, headers)
    moved = move(client, headers, owner.id, ids['Négociation'], version=owner.version)
    assert moved.status_code == 200, moved.text
    assert (moved.json()['stage_id'], moved.json()['version']) == (ids['Négociation'], owner.version + 1)
    stale = move(client, headers, owner.id, ids['Client'], version=owner.version)
    assert stale.status_code == 409 and stale.json()['code'] == 'error.stale_version'
    same = move(client, headers, owner.id, ids['Négociation'])
    assert same.status_code == 200 and same.json()['version'] == owner.version + 1
    other_admin, other_headers = admin_headers(client, 'Autre cabinet')
    theirs = stage_ids(client, other_headers)['Client']
    unknown = move(client, headers, owner.id, theirs)
    assert unknown.status_code == 422 and unknown.json()['field'] == 'stage_id'
    assert move(client, headers, owner.id, 2**31).status_code == 422
    assert move(client, other_headers, owner.id, theirs).status_code == 404
    history = client.get(f'/api/v1/clients/{owner.id}/stage-history', headers=headers).json()
    assert [(m['from_stage'], m['to_stage']) for m in history] == [('Prospect froid', 'Négociation'),
                                                                    (None, 'Prospect froid')]
    assert history[0]['changed_by'] == admin.full_name and 0 <= history[0]['days_in_stage'] < 0.01
    assert history[1]['days_in_stage'] >= 0 and set(history[0]) == {
        'from_stage', 'to_stage', 'changed_by', 'changed_at', 'days_in_stage'}
    assert client.get(f'/api/v1/clients/{owner.id}/stage-history', headers=other_headers).status_code == 404
    assert other_admin.tenant_id != admin.tenant_id


def test_the_board_has_one_column_per_stage_with_totals_and_bounded_cards(client):
    admin, headers = admin_headers(client)
    agent = make_user(admin, role=Role.AGENT)
    clients = [make_client(admin, f'Client {n}', client_type='CGPI' if n % 2 else 'Distributeur',
                           owner_id=agent.user_id if n < 2 else None) for n in range(5)]
    ids = stage_ids(client, headers)
    move(client, headers, clients[0].id, ids['Client'])
    response = client.get('/api/v1/pipeline/board', headers=headers, params={'limit': 2})
    assert response.status_code == 200, response.text
    board = response.json()
    assert [column['stage']['name'] for column in board] == DEFAULT_STAGES
    assert [column['total'] for column in board] == [4, 0, 0, 0, 1, 0]
    assert [card['name'] for card in board[0]['cards']] == ['Client 4', 'Client 3']
    card = board[4]['cards'][0]
    assert (card['id'], card['name'], card['client_type'], card['owner_name'], card['stage_id']) == \
        (clients[0].id, 'Client 0', 'Distributeur', agent.full_name, ids['Client'])
    assert set(card) == {'id', 'name', 'client_type', 'city', 'owner_name', 'stage_id', 'stage_entered_at',
                         'last_interaction_at', 'version'}

    def totals(**params) -> list[int]:
        return [column['total'] for column in client.get('/api/v1/pipeline/board', headers=headers,
                                                         params=params).json()]

    assert totals(client_type='CGPI') == [2, 0, 0, 0, 0, 0]
    assert totals(owner_id=agent.user_id) == [1, 0, 0, 0, 1, 0]
    assert [len(c['cards']) for c in client.get('/api/v1/pipeline/board', headers=headers,
                                                params={'limit': 0}).json()] == [0] * 6
    for bad in ({'limit': -1}, {'limit': 201}, {'owner_id': 'x'}):
        assert client.get('/api/v1/pipeline/board', headers=headers, params=bad).status_code == 422, bad
    _, other_headers = admin_headers(client, 'Autre cabinet')
    assert [column['total'] for column in client.get('/api/v1/pipeline/board', headers=other_headers).json()] == \
        [0] * 6


def test_stats_by_stage_type_status_and_conversions(client):
    admin, headers = admin_headers(client)
    owners = [make_client(admin, client_type='CGPI') for _ in range(3)] + [make_client(admin, status='inactive')]
    ids = stage_ids(client, headers)
    for owner in owners[:2]:
        client.post(f'/api/v1/clients/{owner.id}/move-to-next-stage', headers=headers)
    move(client, headers, owners[0].id, ids['Négociation'])
    response = client.get('/api/v1/pipeline/stats', headers=headers)
    assert response.status_code == 200, response.text
    stats = response.json()
    assert (stats['start'], stats['end']) == (str(today() - timedelta(days=89)), str(today()))
    assert stats['by_stage'][:4] == [{'stage': 'Prospect froid', 'clients': 2},
                                     {'stage': 'Prospect tiède', 'clients': 1},
                                     {'stage': 'Prospect chaud', 'clients': 0},
                                     {'stage': 'Négociation', 'clients': 1}]
    assert stats['by_type'] == [{'client_type': 'CGPI', 'clients': 3}, {'client_type': '', 'clients': 1}]
    assert (stats['active'], stats['inactive']) == (3, 1)
    assert stats['conversions'][0] == {'from_stage': 'Prospect froid', 'to_stage': 'Prospect tiède', 'entered': 4,
                                       'advanced': 2, 'rate': 0.5}
    assert stats['conversions'][1] == {'from_stage': 'Prospect tiède', 'to_stage': 'Prospect chaud', 'entered': 2,
                                       'advanced': 1, 'rate': 0.5}
    assert stats['conversions'][2]['rate'] == 0.0 and len(stats['conversions']) == 4
    past = client.get('/api/v1/pipeline/stats', headers=headers, params={'start': '2020-01-01', 'end': '2020-12-31'})
    assert past.status_code == 200 and past.json()['conversions'][0]['entered'] == 0
    assert past.json()['by_stage'] == stats['by_stage']
    only_end = client.get('/api/v1/pipeline/stats', headers=headers, params={'end': '2021-03-31'}).json()
    assert only_end['start'] == '2021-01-01'
    backwards = client.get('/api/v1/pipeline/stats', headers=headers, params={'start': '2021-02-01',
                                                                            'end': '2021-01-01'})
    assert backwards.status_code == 422 and backwards.json()['code'] == 'error.period_invalid'
    assert client.get('/api/v1/pipeline/stats', headers=headers, params={'start': '01/02/2021'}).status_code == 422
    for far in ({'start': '0001-01-01'}, {'end': '9999-12-31'}):
        response = client.get('/api/v1/pipeline/stats', headers=headers, params=far)
        assert response.status_code == 422 and response.json()['field'] in far, far


def test_viewers_and_other_tenants_cannot_move_clients(client):
    admin, headers = admin_headers(client)
    owner = make_client(admin)
    viewer_headers = bearer(client, make_user(admin, role=Role.VIEWER).email, PASSWORD)
    _, other_headers = admin_headers(client, 'Autre cabinet')
    ids = stage_ids(client, headers)
    for method, path, kwargs, status in [
        ('POST', f'/api/v1/clients/{owner.id}/move-to-next-stage', {}, 403),
        ('PUT', f'/api/v1/clients/{owner.id}/move-to-next-stage', {}, 403),
        ('POST', f'/api/v1/clients/{owner.id}/stage', {'json': {'stage_id': ids['Client']}}, 403),
        ('POST', STAGES, {'json': {'name': 'X'}}, 403),
        ('DELETE', f'{STAGES}/{ids["Perdu"]}', {}, 403),
    ]:
        assert client.request(method, path, headers=viewer_headers, **kwargs).status_code == status, (method, path)
    for method, path, kwargs in [
        ('POST', f'/api/v1/clients/{owner.id}/move-to-next-stage', {}),
        ('GET', f'/api/v1/clients/{owner.id}/stage-history', {}),
        ('PATCH', f'{STAGES}/{ids["Perdu"]}', {'json': {'name': 'Abandon'}}),
        ('DELETE', f'{STAGES}/{ids["Perdu"]}', {}),
    ]:
        response = client.request(method, path, headers=other_headers, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
    assert stages(client, headers)[0]['clients'] == 1 and stages(client, headers)[-1]['name'] == 'Perdu'
    assert client.get(f'/api/v1/clients/{owner.id}', headers=headers).json()['version'] == owner.version
    assert client.get(STAGES).status_code == 401
