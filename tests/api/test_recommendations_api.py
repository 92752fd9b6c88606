"""/api/v1/recommendations: listed with their reason in the request's language, summarised, acted on (dismiss, done,
reopen, task, log) and generated — on SQLite and PostgreSQL."""

from datetime import timedelta

from db.models import Role
from services.clock import today
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant, make_user
from tests.recommendation_data import analyse, build_shop

RECOS = '/api/v1/recommendations'


def shop_and_headers(client):
    shop = build_shop(make_tenant())
    analyse(shop.actor)
    return shop, bearer(client, shop.actor.email, PASSWORD)


def get(client, headers, path: str = RECOS, expected: int = 200, **params) -> dict:
    response = client.get(path, headers=headers, params=params)
    assert response.status_code == expected, response.text
    return response.json()


def post(client, headers, path: str, expected: int = 200, **body) -> dict:
    response = client.post(path, headers=headers, json=body or None)
    assert response.status_code == expected, response.text
    return response.json()


def find(client, headers, client_id: int, scenario: str, product: str) -> dict:
    page = get(client, headers, f'/api/v1/clients/{client_id}/recommendations')
    [found] = [r for r in page['items'] if r['scenario'] == scenario and r['product_name'] == product]
    return found


def test_lists_with_the_reason_in_the_request_language_filtered_and_paged(client):
    shop, headers = shop_and_headers(client)
    camille = shop.clients['Camille Croisée']
    page = get(client, headers, scenario='upsell', client_id=camille)
    assert page['total'] == 1
    [upsell] = page['items']
    assert {key: upsell[key] for key in ('client_name', 'product_name', 'product_sku', 'product_family',
                                         'product_price_cents', 'currency', 'scenario', 'status', 'segment',
                                         'interaction_id')} == {
        'client_name': 'Camille Croisée', 'product_name': 'Capsules', 'product_sku': upsell['product_sku'],
        'product_family': 'Café', 'product_price_cents': 800, 'currency': 'DZD', 'scenario': 'upsell',
        'status': 'open', 'segment': 'champions', 'interaction_id': None}
    assert upsell['reason'].startswith('Paie d’habitude 5,00 DZD en Café')
    english = get(client, {**headers, 'Accept-Language': 'en-GB,en;q=0.8'}, scenario='upsell', client_id=camille)
    assert english['items'][0]['reason'].startswith('Usually pays 5.00 DZD in Café')
    everything = get(client, headers, limit=200)
    assert [r['score'] for r in everything['items']] == sorted((r['score'] for r in everything['items']),
                                                                reverse=True)
    second = get(client, headers, limit=2, offset=2)
    assert second['total'] == everything['total'] and [r['id'] for r in second['items']] == \
        [r['id'] for r in everything['items'][2:4]]
    summary = get(client, headers, f'{RECOS}/summary')
    assert summary['total'] == everything['total'] and set(summary['by_scenario']) == \
        {'nurture', 'winback', 'rebuy', 'cross_sell', 'upsell'}
    assert summary['by_scenario']['upsell'] == get(client, headers, scenario='upsell')['total']
    assert get(client, headers, segment='new')['items'][0]['client_name'] == 'Nadia Nouvelle'
    assert {r['client_name'] for r in get(client, headers, search='Léa')['items']} == {'Léa Lointaine'}


def test_dismiss_done_and_reopen(client):
    shop, headers = shop_and_headers(client)
    reco = find(client, headers, shop.clients['Léa Lointaine'], 'winback', 'Thé noir')
    dismissed = post(client, headers, f'{RECOS}/{reco["id"]}/dismiss')
    assert dismissed['status'] == 'dismissed' and dismissed['acted_at']
    again = post(client, headers, f'{RECOS}/{reco["id"]}/done', 409)
    assert again['code'] == 'error.recommendation_not_open'
    assert reco['id'] not in {r['id'] for r in get(client, headers, limit=200)['items']}
    assert reco['id'] in {r['id'] for r in get(client, headers, status='dismissed')['items']}
    assert post(client, headers, f'{RECOS}/{reco["id"]}/reopen')['status'] == 'open'
    assert post(client, headers, f'{RECOS}/{reco["id"]}/done')['status'] == 'done'
    assert get(client, headers, f'{RECOS}/{reco["id"]}')['status'] == 'done'


def test_a_task_becomes_a_planned_call_and_a_log_an_interaction(client):
    shop, headers = shop_and_headers(client)
    rachid = shop.clients['Rachid Régulier']
    rebuy = find(client, headers, rachid, 'rebuy', 'Capsules')
    due = (today() + timedelta(days=3)).isoformat()
    task = post(client, headers, f'{RECOS}/{rebuy["id"]}/task', 201, due=due, note='Rappeler avant midi')
    assert task['status'] == 'done' and task['interaction_id']
    call = get(client, headers, f'/api/v1/interactions/{task["interaction_id"]}')
    assert (call['type'], call['title'], call['is_planned'], call['client_id']) == \
        ('call', 'Proposer Capsules', True, rachid)
    assert call['description'].startswith('Rappeler avant midi')
    upsell = find(client, headers, rachid, 'upsell', 'Café 1kg')
    logged = post(client, headers, f'{RECOS}/{upsell["id"]}/log', 201, type='reunion', note='Vu en boutique')
    exchange = get(client, headers, f'/api/v1/interactions/{logged["interaction_id"]}')
    assert (exchange['type'], exchange['is_planned']) == ('meeting', False)


def test_bad_input_is_refused_with_a_clear_4xx_and_nothing_written(client):
    shop, headers = shop_and_headers(client)
    reco = find(client, headers, shop.clients['Nadia Nouvelle'], 'nurture', 'Capsules')
    past = post(client, headers, f'{RECOS}/{reco["id"]}/task', 422, due=(today() - timedelta(days=1)).isoformat())
    assert past['code'] == 'error.task_due_invalid' and past['field'] == 'due'
    assert post(client, headers, f'{RECOS}/{reco["id"]}/task', 422, due='demain')['code'] == 'error.request_invalid'
    assert post(client, headers, f'{RECOS}/{reco["id"]}/log', 422, type='pigeon')['code'] == \
        'error.interaction_type_unknown'
    assert post(client, headers, f'{RECOS}/{reco["id"]}/log', 422, note='x' * 2001)['code'] == 'error.request_invalid'
    assert get(client, headers, f'{RECOS}/{reco["id"]}')['status'] == 'open'
    assert get(client, headers, '/api/v1/interactions')['total'] == 0
    assert get(client, headers, expected=422, scenario='spam')['code'] == 'error.request_invalid'
    assert get(client, headers, expected=422, status='maybe')['code'] == 'error.request_invalid'
    assert post(client, headers, f'{RECOS}/999999/dismiss', 404)['code'] == 'error.recommendation_not_found'
    assert post(client, headers, f'{RECOS}/{2**40}/dismiss', 422)['code'] == 'error.request_invalid'
    assert get(client, headers, '/api/v1/clients/999999/recommendations', 404)['code'] == 'error.client_not_found'


def test_roles_and_tenants(client):
    shop, headers = shop_and_headers(client)
    reco = get(client, headers)['items'][0]
    viewer = make_user(shop.actor, role=Role.VIEWER)
    agent = make_user(shop.actor, role=Role.AGENT)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    agent_headers = bearer(client, agent.email, PASSWORD)
    assert get(client, viewer_headers)['total'] == get(client, headers)['total']
    assert post(client, viewer_headers, f'{RECOS}/{reco["id"]}/dismiss', 403)['code'] == 'error.read_only'
    assert post(client, agent_headers, f'{RECOS}/generate', 403)['code'] == 'error.manager_only'
    assert post(client, agent_headers, f'{RECOS}/{reco["id"]}/done')['status'] == 'done'
    stranger = make_tenant()
    stranger_headers = bearer(client, stranger.email, PASSWORD)
    assert get(client, stranger_headers)['total'] == 0
    assert post(client, stranger_headers, f'{RECOS}/{reco["id"]}/reopen', 404)['code'] == \
        'error.recommendation_not_found'
    assert get(client, stranger_headers, f'/api/v1/clients/{reco["client_id"]}/recommendations', 404)
    assert client.get(RECOS).status_code == 401


def test_generate_replaces_the_open_ones(client):
    _, headers = shop_and_headers(client)
    before = get(client, headers, limit=200)
    generated = post(client, headers, f'{RECOS}/generate')
    after = get(client, headers, limit=200)
    assert generated['total'] == after['total'] == before['total']
    assert generated['by_scenario'] == get(client, headers, f'{RECOS}/summary')['by_scenario']
    assert min(r['created_at'] for r in after['items']) > max(r['created_at'] for r in before['items'])
