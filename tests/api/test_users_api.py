from db.models import Role
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant, make_user


def test_admin_creates_and_lists_users(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    created = client.post('/api/v1/users', headers=headers,
                          json={'email': 'Nadia@Example.dz', 'password': PASSWORD, 'role': 'manager',
                                'full_name': 'Nadia Kaci'})
    assert created.status_code == 201
    assert created.json()['email'] == 'nadia@example.dz' and created.json()['role'] == 'manager'
    listing = client.get('/api/v1/users', headers=headers, params={'limit': 1, 'offset': 1}).json()
    assert listing['total'] == 2 and listing['limit'] == 1 and len(listing['items']) == 1


def test_duplicate_email_is_409_and_bad_input_is_422(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    duplicate = client.post('/api/v1/users', headers=headers, json={'email': admin.email, 'password': PASSWORD})
    assert duplicate.status_code == 409
    for body in ({'email': 'not-an-email', 'password': PASSWORD}, {'email': 'ok@example.dz', 'password': 'short'},
                 {'email': 'ok@example.dz', 'password': PASSWORD, 'role': 'superuser'}):
        response = client.post('/api/v1/users', headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.json()['detail']


def test_only_admins_manage_users_and_viewers_write_nothing(client):
    admin = make_tenant()
    for role in (Role.VIEWER, Role.AGENT, Role.MANAGER):
        member = make_user(admin, role=role)
        headers = bearer(client, member.email, PASSWORD)
        assert client.get('/api/v1/users', headers=headers).status_code == 200
        response = client.post('/api/v1/users', headers=headers,
                               json={'email': f'new-{role}@example.dz', 'password': PASSWORD})
        assert response.status_code == 403
        assert client.patch(f'/api/v1/users/{admin.user_id}', headers=headers,
                            json={'is_active': False}).status_code == 403


def test_stale_version_is_refused_with_409(client):
    admin = make_tenant()
    agent = make_user(admin)
    headers = bearer(client, admin.email, PASSWORD)
    version = client.get(f'/api/v1/users/{agent.user_id}', headers=headers).json()['version']
    first = client.patch(f'/api/v1/users/{agent.user_id}', headers=headers, json={'role': 'manager',
                                                                                   'version': version})
    assert first.status_code == 200 and first.json()['version'] == version + 1
    second = client.patch(f'/api/v1/users/{agent.user_id}', headers=headers, json={'role': 'viewer',
                                                                                    'version': version})
    assert second.status_code == 409


def test_the_last_admin_cannot_be_removed(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    response = client.patch(f'/api/v1/users/{admin.user_id}', headers=headers, json={'role': 'agent'})
    assert response.status_code == 422


def test_tenant_a_cannot_see_or_change_tenant_b_users(client):
    tenant_a = make_tenant('Cabinet A')
    tenant_b = make_tenant('Cabinet B')
    b_agent = make_user(tenant_b)
    headers = bearer(client, tenant_a.email, PASSWORD)
    emails = {u['email'] for u in client.get('/api/v1/users', headers=headers).json()['items']}
    assert emails == {tenant_a.email}
    assert client.get(f'/api/v1/users/{b_agent.user_id}', headers=headers).status_code == 404
    response = client.patch(f'/api/v1/users/{b_agent.user_id}', headers=headers, json={'is_active': False})
    assert response.status_code == 404
    b_headers = bearer(client, b_agent.email, PASSWORD)
    assert client.get('/api/v1/me', headers=b_headers).status_code == 200
