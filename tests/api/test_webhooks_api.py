"""/api/v1/webhooks: signed inbound deliveries (seed 003's external-interaction hook) and the tenant's secret — on
SQLite and PostgreSQL."""

import json
import time

import pytest

from api.activities import webhooks as webhooks_api
from db.models import Role
from services.webhooks import sign
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant, make_user

URL = '/api/v1/webhooks/external-interaction'


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Tenant ids come back from one test to the next: each test starts with no delivery counted."""
    webhooks_api.limiter.reset()
    yield
    webhooks_api.limiter.reset()


def workspace(client, name: str | None = None):
    """A tenant with a webhook secret: its admin's headers, its id, the secret and one client."""
    admin = make_tenant(name)
    headers = bearer(client, admin.email, PASSWORD)
    rotated = client.post('/api/v1/webhooks/secret/rotate', headers=headers)
    assert rotated.status_code == 200, rotated.text
    return headers, admin.tenant_id, rotated.json()['secret'], make_client(admin, 'SARL Algérie Tech')


def payload(organisation_id: int, **fields) -> dict:
    """Seed 003's webhook payload."""
    return {'organisation_id': organisation_id, 'type': 'appel', 'title': 'Appel depuis Aircall',
            'description': 'Appel entrant de 12 minutes',
            'recipients': [{'email': 'john.doe@example.com', 'name': 'John Doe', 'role': 'CEO'}],
            'provider': 'aircall', **fields}


def signed(tenant_id: int, secret: str, body: bytes, *, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    return {'Content-Type': 'application/json', 'X-CRM-Tenant': str(tenant_id), 'X-CRM-Timestamp': timestamp,
            'X-CRM-Signature': sign(secret, timestamp, body)}


def deliver(client, tenant_id: int, secret: str, content: dict | bytes, **kwargs):
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(URL, content=body, headers=signed(tenant_id, secret, body, **kwargs))


def total(client, headers) -> int:
    response = client.get('/api/v1/interactions', headers=headers)
    assert response.status_code == 200, response.text
    return response.json()['total']


def test_a_signed_delivery_logs_one_interaction_and_a_replay_changes_nothing(client):
    headers, tenant_id, secret, organisation = workspace(client)
    body = json.dumps(payload(organisation.id)).encode()
    delivery = signed(tenant_id, secret, body)
    first = client.post(URL, content=body, headers=delivery)
    assert first.status_code == 201, first.text
    created = first.json()
    assert (created['organisation_id'], created['type'], created['title'], created['description']) == \
        (organisation.id, 'call', 'Appel depuis Aircall', 'Appel entrant de 12 minutes')
    assert created['source'] == 'webhook' and created['metadata'] == {'source': 'webhook', 'provider': 'aircall'}
    assert created['created_by'] is None and created['attachments_count'] == 0
    assert [(p['external_name'], p['external_email'], p['external_role']) for p in created['participants']] == \
        [('John Doe', 'john.doe@example.com', 'CEO')]
    replay = client.post(URL, content=body, headers=delivery)
    assert replay.status_code == 201 and replay.json() == created
    assert total(client, headers) == 1
    recent = client.get(f'/api/v1/organisations/{organisation.id}/activities/recent', headers=headers,
                        params={'activity_types': 'appel'}).json()
    assert [item['id'] for item in recent] == [created['id']]


def test_an_event_id_is_logged_once_whatever_the_signature(client):
    headers, tenant_id, secret, organisation = workspace(client)
    first = deliver(client, tenant_id, secret, payload(organisation.id, event_id='evt-1', type='email'))
    assert first.status_code == 201, first.text
    later = deliver(client, tenant_id, secret, payload(organisation.id, event_id='evt-1', title='Renvoi'), age=30)
    assert later.status_code == 201 and later.json()['id'] == first.json()['id']
    assert later.json()['title'] == 'Appel depuis Aircall'
    minimal = deliver(client, tenant_id, secret, {'organisation_id': organisation.id, 'type': 'note',
                                                  'title': 'Import Make', 'event_id': 'evt-2'})
    assert minimal.status_code == 201, minimal.text
    assert minimal.json()['metadata'] == {'source': 'webhook', 'provider': None}
    assert minimal.json()['participants'] == [] and minimal.json()['description'] == ''
    timed = deliver(client, tenant_id, secret, payload(organisation.id, occurred_at='2025-10-21T14:30:00Z'))
    assert timed.status_code == 201 and timed.json()['occurred_at'] == '2025-10-21T14:30:00Z'
    assert total(client, headers) == 3


def test_unsigned_forged_and_expired_deliveries_are_401_and_write_nothing(client):
    headers, tenant_id, secret, organisation = workspace(client)
    other_headers, other_tenant, other_secret, _ = workspace(client, 'Autre cabinet')
    body = json.dumps(payload(organisation.id)).encode()
    good = signed(tenant_id, secret, body)
    unsigned = client.post(URL, content=body, headers={'Content-Type': 'application/json'})
    assert unsigned.status_code == 401 and unsigned.json()['code'] == 'error.webhook_unsigned'
    assert unsigned.json()['detail']
    for changed, code in [
        ({'X-CRM-Signature': None}, 'error.webhook_unsigned'),
        ({'X-CRM-Timestamp': None}, 'error.webhook_unsigned'),
        ({'X-CRM-Tenant': 'abc'}, 'error.webhook_unsigned'),
        ({'X-CRM-Tenant': '²'.encode('latin-1')}, 'error.webhook_unsigned'),
        ({'X-CRM-Tenant': '9' * 30}, 'error.webhook_unsigned'),
        ({'X-CRM-Timestamp': '9' * 5000}, 'error.webhook_unsigned'),
        ({'X-CRM-Signature': 'sha256=é'.encode('latin-1')}, 'error.webhook_signature'),
        ({'X-CRM-Tenant': '999999'}, 'error.webhook_signature'),
        ({'X-CRM-Tenant': str(other_tenant)}, 'error.webhook_signature'),
        ({'X-CRM-Signature': sign(other_secret, good['X-CRM-Timestamp'], body)}, 'error.webhook_signature'),
        ({'X-CRM-Signature': sign(secret, good['X-CRM-Timestamp'], body + b' ')}, 'error.webhook_signature'),
        ({'X-CRM-Signature': good['X-CRM-Signature'].removeprefix('sha256=')}, 'error.webhook_signature'),
    ]:
        delivery = {key: value for key, value in {**good, **changed}.items() if value is not None}
        response = client.post(URL, content=body, headers=delivery)
        assert response.status_code == 401, (changed, response.text)
        assert response.json()['code'] == code, changed
    six_minutes_old = deliver(client, tenant_id, secret, body, age=6 * 60)
    assert six_minutes_old.status_code == 401 and six_minutes_old.json()['code'] == 'error.webhook_expired'
    from_the_future = deliver(client, tenant_id, secret, body, age=-6 * 60)
    assert from_the_future.status_code == 401 and from_the_future.json()['code'] == 'error.webhook_expired'
    client.post('/api/v1/webhooks/secret/rotate', headers=headers)
    old_secret = deliver(client, tenant_id, secret, body)
    assert old_secret.status_code == 401 and old_secret.json()['code'] == 'error.webhook_signature'
    assert total(client, headers) == total(client, other_headers) == 0


def test_a_tenant_without_a_secret_accepts_no_delivery(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    organisation = make_client(admin)
    response = deliver(client, admin.tenant_id, '', payload(organisation.id))
    assert response.status_code == 401 and response.json()['code'] == 'error.webhook_signature'
    assert total(client, headers) == 0


REFUSED = [  # (raw body, payload, or the name of a change to the seed payload; status; code)
    (b'{"organisation_id": 1, "type": "appel",', 422, 'error.request_invalid'),
    (b'not json', 422, 'error.request_invalid'),
    (b'', 422, 'error.request_invalid'),
    (b'[]', 422, 'error.request_invalid'),
    ({'type': 'appel', 'title': 'Sans organisation'}, 422, 'error.request_invalid'),
    ({'organisation_id': 2**31, 'type': 'appel', 'title': 'X'}, 422, 'error.request_invalid'),
    ('type', 422, 'error.interaction_type_unknown'),
    ('recipients', 422, 'error.too_many_participants'),
    ('occurred_at', 422, 'error.datetime_without_zone'),
    ('untitled', 422, 'error.required'),
    ('unknown', 404, 'error.client_not_found'),
    ('other tenant', 404, 'error.client_not_found'),
]


def test_bad_payloads_are_refused_and_write_nothing(client):
    headers, tenant_id, secret, organisation = workspace(client)
    other_headers, _, _, theirs = workspace(client, 'Autre cabinet')
    changes = {'type': {'type': 'fax'}, 'occurred_at': {'occurred_at': '2025-10-21T14:30:00'},
               'recipients': {'recipients': [{'email': f'r{n}@example.com'} for n in range(51)]},
               'untitled': {'title': ' '}, 'unknown': {'organisation_id': 999_999},
               'other tenant': {'organisation_id': theirs.id}}
    for content, status, code in REFUSED:
        body = {**payload(organisation.id), **changes[content]} if isinstance(content, str) else content
        response = deliver(client, tenant_id, secret, body)
        assert response.status_code == status, (content, response.text)
        assert response.json()['code'] == code and response.json()['detail'], (content, response.text)
    assert total(client, headers) == total(client, other_headers) == 0


def test_each_tenant_is_rate_limited_on_its_own(client, monkeypatch):
    monkeypatch.setattr(webhooks_api, 'WEBHOOK_RATE_LIMIT', 3)
    headers, tenant_id, secret, organisation = workspace(client)
    other_headers, other_tenant, other_secret, theirs = workspace(client, 'Autre cabinet')
    for number in range(3):
        response = deliver(client, tenant_id, secret, payload(organisation.id, event_id=f'evt-{number}'))
        assert response.status_code == 201, response.text
    limited = deliver(client, tenant_id, secret, payload(organisation.id, event_id='evt-3'))
    assert limited.status_code == 429, limited.text
    assert limited.json()['code'] == 'error.rate_limited' and limited.json()['detail']
    assert 1 <= int(limited.headers['Retry-After']) <= 60
    assert deliver(client, tenant_id, secret, payload(organisation.id, event_id='evt-0')).status_code == 429
    assert total(client, headers) == 3
    assert deliver(client, other_tenant, other_secret, payload(theirs.id)).status_code == 201
    assert total(client, other_headers) == 1
    unsigned = client.post(URL, content=b'{}', headers={'X-CRM-Tenant': str(tenant_id)})
    assert unsigned.status_code == 401


def test_rate_limiter_forgets_hits_older_than_the_window():
    limiter = webhooks_api.RateLimiter()
    assert limiter.acquire('1', limit=1, window=0.05) == 0
    assert 0 < limiter.acquire('1', limit=1, window=0.05) <= 0.05
    assert limiter.acquire('2', limit=1, window=0.05) == 0
    time.sleep(0.06)
    assert limiter.acquire('1', limit=1, window=0.05) == 0


def test_only_admins_read_and_rotate_the_secret(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    before = client.get('/api/v1/webhooks/secret', headers=headers)
    assert before.status_code == 200 and before.json() == {'tenant_id': admin.tenant_id, 'secret': None}
    rotated = client.post('/api/v1/webhooks/secret/rotate', headers=headers).json()
    assert rotated['tenant_id'] == admin.tenant_id and len(rotated['secret']) == 64
    assert client.get('/api/v1/webhooks/secret', headers=headers).json() == rotated
    again = client.post('/api/v1/webhooks/secret/rotate', headers=headers).json()
    assert again['secret'] != rotated['secret']
    for role in (Role.MANAGER, Role.AGENT, Role.VIEWER):
        user_headers = bearer(client, make_user(admin, role=role).email, PASSWORD)
        for method, path in (('GET', '/api/v1/webhooks/secret'), ('POST', '/api/v1/webhooks/secret/rotate')):
            response = client.request(method, path, headers=user_headers)
            assert response.status_code == 403 and response.json()['code'] == 'error.admin_only', (role, path)
    assert client.get('/api/v1/webhooks/secret', headers=headers).json() == again
    assert client.get('/api/v1/webhooks/secret').status_code == 401
