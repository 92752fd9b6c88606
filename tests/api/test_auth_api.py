from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from db.models import SignInFailure, User
from services.security import TOKEN_ALGORITHM
from settings import get_settings
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_tenant


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
        assert response.json()['detail'].startswith('E-mail ou mot de passe incorrect.')


def test_error_language_follows_accept_language(client):
    response = client.post('/api/v1/auth/token', data={'username': 'x@y.dz', 'password': 'nope-nope'},
                           headers={'Accept-Language': 'en-GB,en;q=0.8'})
    assert response.json()['detail'].startswith('Wrong e-mail or password.')
    response = client.post('/api/v1/auth/token', data={'username': 'x@y.dz', 'password': 'nope-nope'},
                           headers={'Accept-Language': 'fr-FR'})
    assert response.json()['detail'].startswith('E-mail ou mot de passe incorrect.')


def test_missing_expired_and_forged_tokens_get_401(client):
    admin = make_tenant()
    assert client.get('/api/v1/me').status_code == 401
    now = datetime.now(UTC)
    expired = jwt.encode({'sub': str(admin.user_id), 'tid': admin.tenant_id, 'ver': 1, 'iat': now - timedelta(days=2),
                          'exp': now - timedelta(days=1)}, get_settings().secret_key, algorithm=TOKEN_ALGORITHM)
    forged = jwt.encode({'sub': str(admin.user_id), 'tid': admin.tenant_id, 'ver': 1, 'exp': now + timedelta(hours=1)},
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


def _sign_in(client, username: str, password: str, address: str = '127.0.0.1'):
    """A sign-in from `address` (what the server sees as the client's address, once trusted proxies are applied)."""
    other = TestClient(client.app, client=(address, 50000), raise_server_exceptions=False)
    return other.post('/api/v1/auth/token', data={'username': username, 'password': password})


def test_a_locked_account_gives_the_same_answer_as_an_unknown_one(client):
    admin = make_tenant()
    for number in range(10):
        _sign_in(client, admin.email, 'bad-password', f'192.0.2.{number}')
    locked = _sign_in(client, admin.email, PASSWORD, '192.0.2.50')
    unknown = _sign_in(client, 'ghost@example.dz', PASSWORD, '192.0.2.51')
    assert locked.status_code == unknown.status_code == 401
    assert locked.json() == unknown.json() == {'detail': unknown.json()['detail'], 'code': 'error.login_failed'}


def test_ten_failures_from_one_address_get_429_with_retry_after(client):
    admin = make_tenant()
    for number in range(10):
        response = _sign_in(client, f'guess{number}@example.dz', 'password1', '203.0.113.7')
        assert response.status_code == 401
    for password in ('password1', PASSWORD):
        response = _sign_in(client, admin.email, password, '203.0.113.7')
        assert response.status_code == 429
        assert response.json()['code'] == 'error.too_many_attempts'
        assert response.json()['detail'] == ('Trop de tentatives de connexion depuis votre adresse. '
                                             'Réessayez dans 5 min.')
        assert 290 <= int(response.headers['retry-after']) <= 300
    assert _sign_in(client, admin.email, PASSWORD, '203.0.113.8').status_code == 200
    assert count_rows(SignInFailure, source='203.0.113.7') == 10


def test_a_role_change_ends_the_user_tokens(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    agent = client.post('/api/v1/users', headers=headers,
                        json={'email': 'agent@example.dz', 'password': PASSWORD, 'role': 'agent'}).json()
    agent_headers = bearer(client, 'agent@example.dz', PASSWORD)
    assert client.patch(f'/api/v1/users/{agent["id"]}', headers=headers, json={'role': 'viewer'}).status_code == 200
    response = client.get('/api/v1/me', headers=agent_headers)
    assert response.status_code == 401 and response.json()['code'] == 'error.token_invalid'
    assert client.get('/api/v1/me', headers=bearer(client, 'agent@example.dz', PASSWORD)).json()['role'] == 'viewer'
    assert client.get('/api/v1/me', headers=headers).status_code == 200


@pytest.mark.parametrize(('password', 'code'), [
    ('password', 'error.password_common'), ('azertyuiop', 'error.password_common'), (' ' * 8, 'error.password_blank'),
    ('short', 'error.password_too_short'), ('agent@example.dz', 'error.password_personal'),
    ('Karim Haddad', 'error.password_personal'),
])
def test_weak_passwords_are_refused_naming_the_field(client, password, code):
    admin = make_tenant()
    response = client.post('/api/v1/users', headers=bearer(client, admin.email, PASSWORD),
                           json={'email': 'agent@example.dz', 'password': password, 'full_name': 'Karim Haddad'})
    assert response.status_code == 422
    assert response.json()['code'] == code and response.json()['field'] == 'password'
    assert count_rows(User, email='agent@example.dz') == 0


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
