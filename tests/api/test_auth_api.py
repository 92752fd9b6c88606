from datetime import UTC, datetime, timedelta

import jwt

from services.security import TOKEN_ALGORITHM
from settings import get_settings
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant


def test_token_then_me(client):
    admin = make_tenant('Cabinet Alger')
    headers = bearer(client, admin.email, PASSWORD)
    response = client.get('/api/v1/me', headers=headers)
    assert response.status_code == 200
    assert response.json() | {} == {'id': admin.user_id, 'email': admin.email, 'full_name': admin.full_name,
                                     'role': 'admin', 'tenant_id': admin.tenant_id, 'tenant_name': 'Cabinet Alger'}


def test_token_expires_in_24_hours(client):
    admin = make_tenant()
    response = client.post('/api/v1/auth/token', data={'username': admin.email, 'password': PASSWORD})
    body = response.json()
    assert body['token_type'] == 'bearer' and body['expires_in'] == 24 * 3600
    claims = jwt.decode(body['access_token'], get_settings().secret_key, algorithms=[TOKEN_ALGORITHM])
    assert claims['exp'] - claims['iat'] == 24 * 3600


def test_wrong_password_and_unknown_user_get_401(client):
    admin = make_tenant()
    for username, password in ((admin.email, 'wrong-one'), ('ghost@example.dz', PASSWORD)):
        response = client.post('/api/v1/auth/token', data={'username': username, 'password': password})
        assert response.status_code == 401
        assert response.json()['detail'] == 'Wrong e-mail or password.' or 'incorrect' in response.json()['detail']


def test_error_language_follows_accept_language(client):
    response = client.post('/api/v1/auth/token', data={'username': 'x@y.dz', 'password': 'nope-nope'},
                           headers={'Accept-Language': 'en-GB,en;q=0.8'})
    assert response.json()['detail'] == 'Wrong e-mail or password.'
    response = client.post('/api/v1/auth/token', data={'username': 'x@y.dz', 'password': 'nope-nope'},
                           headers={'Accept-Language': 'fr-FR'})
    assert response.json()['detail'] == 'E-mail ou mot de passe incorrect.'


def test_missing_expired_and_forged_tokens_get_401(client):
    admin = make_tenant()
    assert client.get('/api/v1/me').status_code == 401
    now = datetime.now(UTC)
    expired = jwt.encode({'sub': str(admin.user_id), 'tid': admin.tenant_id, 'iat': now - timedelta(days=2),
                          'exp': now - timedelta(days=1)}, get_settings().secret_key, algorithm=TOKEN_ALGORITHM)
    forged = jwt.encode({'sub': str(admin.user_id), 'tid': admin.tenant_id, 'exp': now + timedelta(hours=1)},
                        'another-secret-of-sufficient-length-123', algorithm=TOKEN_ALGORITHM)
    for token, code in ((expired, 'error.token_expired'), (forged, 'error.token_invalid'),
                        ('not.a.jwt', 'error.token_invalid')):
        response = client.get('/api/v1/me', headers={'Authorization': f'Bearer {token}'})
        assert response.status_code == 401
        assert response.json()['code'] == code
        assert response.headers['www-authenticate'] == 'Bearer'


def test_a_token_of_a_deactivated_user_stops_working(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    other = client.post('/api/v1/users', headers=headers,
                        json={'email': 'agent@example.dz', 'password': PASSWORD, 'role': 'agent'}).json()
    agent_headers = bearer(client, 'agent@example.dz', PASSWORD)
    client.patch(f'/api/v1/users/{other["id"]}', headers=headers, json={'is_active': False})
    assert client.get('/api/v1/me', headers=agent_headers).status_code == 401


def test_lockout_through_the_api(client):
    admin = make_tenant()
    for _ in range(10):
        client.post('/api/v1/auth/token', data={'username': admin.email, 'password': 'bad-password'})
    response = client.post('/api/v1/auth/token', data={'username': admin.email, 'password': PASSWORD})
    assert response.status_code == 401
    assert response.json()['code'] == 'error.account_locked'


def test_malformed_requests_get_422_json(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    response = client.post('/api/v1/users', headers={**headers, 'Content-Type': 'application/json'},
                           content=b'{not json')
    assert response.status_code == 422
    assert 'detail' in response.json()
    response = client.post('/api/v1/auth/token', data={'username': admin.email})
    assert response.status_code == 422
    response = client.get('/api/v1/users?limit=500', headers=headers)
    assert response.status_code == 422
    assert any(error['field'] == 'query.limit' for error in response.json()['errors'])


def test_unknown_endpoint_is_a_json_404_and_health_is_200(client):
    response = client.get('/api/v1/does-not-exist')
    assert response.status_code == 404 and response.json()['detail']
    health = client.get('/healthz')
    assert health.status_code == 200 and health.json() == {'status': 'ok', 'database': 'ok'}
