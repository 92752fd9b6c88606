"""/api/v1/clients, contacts, client files, client types and tags — on SQLite and PostgreSQL."""

import pytest

from db.models import Role
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant, make_user

SEED_CLIENT = {'name': 'SARL Algérie Tech', 'email': 'contact@algerietech.dz', 'phone': '+213 555 123 456',
               'company': 'Algérie Tech SARL', 'address': '123 Rue Didouche Mourad, Alger'}


def admin_headers(client, name: str | None = None):
    admin = make_tenant(name)
    return admin, bearer(client, admin.email, PASSWORD)


def new_client(client, headers, **fields) -> dict:
    response = client.post('/api/v1/clients', headers=headers, json={'name': 'Client', **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_and_list_clients_with_filters_sort_and_paging(client):
    admin, headers = admin_headers(client)
    created = new_client(client, headers, **SEED_CLIENT, city='Alger', client_type='CGPI',
                         tags=['VIP', 'vip', 'Export'], owner_id=admin.user_id)
    assert created['phone'] == '+213555123456' and created['country'] == 'DZ' and created['version'] == 1
    assert sorted(created['tags']) == ['Export', 'VIP'] and created['status'] == 'active'
    new_client(client, headers, name='Boulangerie Zitouni', city='Oran', client_type='Particulier', owner_id=None)
    new_client(client, headers, name='Cabinet Benali', city='Constantine', owner_id=None)
    assert client.get(f'/api/v1/clients/{created["id"]}', headers=headers).json() == created

    def names(**params) -> list[str]:
        response = client.get('/api/v1/clients', headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [item['name'] for item in response.json()['items']]

    assert names() == ['Boulangerie Zitouni', 'Cabinet Benali', 'SARL Algérie Tech']
    assert names(sort='city', order='desc') == ['Boulangerie Zitouni', 'Cabinet Benali', 'SARL Algérie Tech']
    assert names(q='algerie') == ['SARL Algérie Tech']
    assert names(q='zit') == ['Boulangerie Zitouni']
    assert names(q="l'%_\"*") == []
    assert names(tag='VIP') == ['SARL Algérie Tech']
    assert names(client_type='Particulier') == ['Boulangerie Zitouni']
    assert names(owner_id=admin.user_id) == ['SARL Algérie Tech'] and created['owner_name'] == admin.full_name
    page = client.get('/api/v1/clients', headers=headers, params={'limit': 1, 'offset': 1}).json()
    assert page['total'] == 3 and page['limit'] == 1 and page['offset'] == 1
    assert [item['name'] for item in page['items']] == ['Cabinet Benali']
    assert client.get('/api/v1/client-types', headers=headers).json()[:2] == ['CGPI', 'Distributeur']
    assert client.get('/api/v1/tags', headers=headers).json() == ['Export', 'VIP']
    for bad in ({'sort': 'password'}, {'order': 'up'}, {'limit': 0}, {'limit': 201}, {'offset': -1},
                {'status': 'deleted'}):
        assert client.get('/api/v1/clients', headers=headers, params=bad).status_code == 422, bad


def test_a_client_created_without_an_owner_is_its_creators(client):
    admin, headers = admin_headers(client)
    agent = make_user(admin)
    agent_headers = bearer(client, agent.email, PASSWORD)
    created = new_client(client, agent_headers, name='Sans responsable indiqué')
    assert (created['owner_id'], created['owner_name']) == (agent.user_id, agent.full_name)
    assert new_client(client, agent_headers, name='Sans responsable', owner_id=None)['owner_id'] is None
    assert new_client(client, agent_headers, name='Au patron', owner_id=admin.user_id)['owner_id'] == admin.user_id
    listed = client.get('/api/v1/clients', headers=headers, params={'owner_id': agent.user_id}).json()
    assert [item['name'] for item in listed['items']] == ['Sans responsable indiqué']


def test_algerian_phones_are_stored_in_e164(client):
    _, headers = admin_headers(client)
    for phone in ('+213 555 123 456', '0555 12 34 56'):
        assert new_client(client, headers, name=f'Client {phone}', phone=phone)['phone'] == '+213555123456'


@pytest.mark.parametrize(('body', 'field', 'code'), [
    ({'name': 'X', 'email': 'not-an-email'}, 'email', 'error.email_invalid'),
    ({'name': 'X', 'phone': '12'}, 'phone', 'error.phone_invalid'),
    ({'name': 'X', 'phone': 'call me'}, 'phone', 'error.phone_invalid'),
    ({'name': '   '}, 'name', 'error.required'),
    ({'email': 'a@b.dz'}, 'name', 'error.required'),
    ({'name': 'X', 'client_type': 'Martian'}, 'client_type', 'error.client_type_unknown'),
    ({'name': 'X', 'country': 'Algeria'}, 'country', None),
    ({'name': 'X', 'owner_id': 999_999}, 'owner_id', 'error.owner_unknown'),
    ({'name': 'X', 'kind': 'robot'}, 'kind', 'error.request_invalid'),
    ({'name': 'X' * 201}, 'name', 'error.request_invalid'),
])
def test_bad_client_input_is_422_with_the_field(client, body, field, code):
    _, headers = admin_headers(client)
    response = client.post('/api/v1/clients', headers=headers, json=body)
    assert response.status_code == 422, response.text
    payload = response.json()
    assert payload['detail']
    if code:
        assert payload['code'] == code
    if payload['code'] == 'error.request_invalid':
        assert [problem['field'] for problem in payload['errors']] == [field]
    else:
        assert payload['field'] == field


def test_malformed_or_wrongly_typed_bodies_are_422_never_500(client):
    _, headers = admin_headers(client)
    json_headers = {**headers, 'Content-Type': 'application/json'}
    for raw in ('{"name": "X",', 'not json', '', '[]', '"name"', '{"name": 42}', '{"name": "X", "tags": "a"}'):
        response = client.post('/api/v1/clients', headers=json_headers, content=raw)
        assert response.status_code == 422, raw
        assert response.json()['code'] == 'error.request_invalid'
    created = new_client(client, headers)
    for raw in ('{"city": ', '{"name": null}', '{"version": "x"}', '{"tags": null}'):
        response = client.patch(f'/api/v1/clients/{created["id"]}', headers=json_headers, content=raw)
        assert response.status_code == 422, raw
    assert client.get('/api/v1/clients/abc', headers=headers).status_code == 422


def test_patch_changes_only_the_given_fields_and_a_stale_version_is_409(client):
    _, headers = admin_headers(client)
    created = new_client(client, headers, **SEED_CLIENT, tags=['VIP'])
    url = f'/api/v1/clients/{created["id"]}'
    patched = client.patch(url, headers=headers, json={'city': 'Oran', 'version': created['version']})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body['city'] == 'Oran' and body['version'] == created['version'] + 1
    assert {key: body[key] for key in (*SEED_CLIENT, 'tags')} == {**SEED_CLIENT, 'phone': '+213555123456',
                                                                  'tags': ['VIP']}
    stale = client.patch(url, headers=headers, json={'city': 'Blida', 'version': created['version']})
    assert stale.status_code == 409 and stale.json()['code'] == 'error.stale_version'
    assert client.get(url, headers=headers).json()['city'] == 'Oran'
    cleared = client.patch(url, headers=headers, json={'email': None, 'tags': []}).json()
    assert cleared['email'] is None and cleared['tags'] == [] and cleared['name'] == SEED_CLIENT['name']
    invalid = client.patch(url, headers=headers, json={'phone': '12'})
    assert invalid.status_code == 422 and invalid.json()['field'] == 'phone'


def test_archive_restore_and_delete_rules(client):
    admin, headers = admin_headers(client)
    manager = make_user(admin, role=Role.MANAGER)
    manager_headers = bearer(client, manager.email, PASSWORD)
    created = new_client(client, headers, name='Ancien client')
    url = f'/api/v1/clients/{created["id"]}'
    not_archived = client.delete(url, headers=headers)
    assert not_archived.status_code == 409 and not_archived.json()['code'] == 'error.client_not_archived'
    archived = client.post(f'{url}/archive', headers=manager_headers)
    assert archived.status_code == 200 and archived.json()['status'] == 'archived'
    assert client.get('/api/v1/clients', headers=headers).json()['total'] == 0
    assert client.get('/api/v1/clients', headers=headers, params={'status': 'archived'}).json()['total'] == 1
    assert client.post(f'{url}/restore', headers=headers).json()['status'] == 'active'
    case = client.post('/api/v1/cases', headers=headers, json={'title': 'Dossier', 'client_id': created['id']})
    assert case.status_code == 201
    client.post(f'{url}/archive', headers=headers)
    assert client.delete(url, headers=manager_headers).status_code == 403
    has_cases = client.delete(url, headers=headers)
    assert has_cases.status_code == 409 and has_cases.json()['code'] == 'error.client_has_cases'
    assert client.delete(f'/api/v1/cases/{case.json()["id"]}', headers=headers).status_code == 204
    deleted = client.delete(url, headers=headers)
    assert deleted.status_code == 204 and deleted.content == b''
    assert client.get(url, headers=headers).status_code == 404


def test_duplicates_are_offered_but_never_block_creation(client):
    _, headers = admin_headers(client)
    first = new_client(client, headers, **SEED_CLIENT)
    candidates = client.get('/api/v1/clients/duplicates', headers=headers,
                            params={'name': 'Sarl Algerie Tech', 'email': ''}).json()
    assert [(c['id'], c['reason']) for c in candidates] == [(first['id'], 'name')]
    by_email = client.get('/api/v1/clients/duplicates', headers=headers,
                          params={'name': 'Autre', 'email': 'CONTACT@algerietech.dz'}).json()
    assert [(c['id'], c['reason'], c['score']) for c in by_email] == [(first['id'], 'email', 100)]
    assert client.get('/api/v1/clients/duplicates', headers=headers,
                      params={'name': 'Sarl Algerie Tech', 'exclude_id': first['id']}).json() == []
    second = new_client(client, headers, **SEED_CLIENT)
    assert second['id'] != first['id']


def test_contacts_of_a_client(client):
    _, headers = admin_headers(client)
    owner = new_client(client, headers)
    url = f'/api/v1/clients/{owner["id"]}/contacts'
    created = client.post(url, headers=headers, json={'first_name': 'Nadia', 'last_name': 'Kaci',
                                                      'phone': '0555 12 34 56', 'email': 'Nadia@Example.dz'})
    assert created.status_code == 201, created.text
    contact = created.json()
    assert contact['phone'] == '+213555123456' and contact['email'] == 'nadia@example.dz'
    assert [c['id'] for c in client.get(url, headers=headers).json()] == [contact['id']]
    missing_name = client.post(url, headers=headers, json={'first_name': 'Sans nom'})
    assert missing_name.status_code == 422 and missing_name.json()['field'] == 'last_name'
    bad_email = client.post(url, headers=headers, json={'last_name': 'X', 'email': 'nope'})
    assert bad_email.status_code == 422 and bad_email.json()['field'] == 'email'
    patched = client.patch(f'/api/v1/contacts/{contact["id"]}', headers=headers,
                           json={'role': 'Gérante', 'version': contact['version']})
    assert patched.status_code == 200
    assert patched.json()['role'] == 'Gérante' and patched.json()['last_name'] == 'Kaci'
    stale = client.patch(f'/api/v1/contacts/{contact["id"]}', headers=headers,
                         json={'role': 'DAF', 'version': contact['version']})
    assert stale.status_code == 409
    assert client.delete(f'/api/v1/contacts/{contact["id"]}', headers=headers).status_code == 204
    assert client.get(url, headers=headers).json() == []
    assert client.patch(f'/api/v1/contacts/{contact["id"]}', headers=headers, json={}).status_code == 404


def test_client_files(client, data_dir):
    _, headers = admin_headers(client)
    owner = new_client(client, headers)
    other = new_client(client, headers, name='Autre')
    url = f'/api/v1/clients/{owner["id"]}/files'
    uploaded = client.post(url, headers=headers, files={'file': ('statuts.txt', b'Statuts de la SARL', 'text/plain')})
    assert uploaded.status_code == 201, uploaded.text
    [document] = uploaded.json()
    assert document['client_id'] == owner['id'] and document['case_id'] is None and document['size'] == 18
    assert [d['id'] for d in client.get(url, headers=headers).json()] == [document['id']]
    download = client.get(f'{url}/{document["id"]}', headers=headers)
    assert download.status_code == 200 and download.content == b'Statuts de la SARL'
    assert download.headers['content-disposition'] == 'attachment; filename="statuts.txt"'
    assert client.get(f'/api/v1/clients/{other["id"]}/files/{document["id"]}', headers=headers).status_code == 404
    assert client.get(f'/api/v1/clients/{other["id"]}/files', headers=headers).json() == []
    assert client.delete(f'/api/v1/files/{document["id"]}', headers=headers).status_code == 204
    assert client.get(f'{url}/{document["id"]}', headers=headers).status_code == 404
    assert not [path for path in data_dir.rglob('*') if path.is_file()]


def test_another_tenants_clients_are_404(client, data_dir):
    _, headers_a = admin_headers(client, 'Cabinet A')
    _, headers_b = admin_headers(client, 'Cabinet B')
    theirs = new_client(client, headers_b, name='Client de B')
    contact = client.post(f'/api/v1/clients/{theirs["id"]}/contacts', headers=headers_b,
                          json={'last_name': 'Kaci'}).json()
    document = client.post(f'/api/v1/clients/{theirs["id"]}/files', headers=headers_b,
                           files={'file': ('b.txt', b'secret de B', 'text/plain')}).json()[0]
    url = f'/api/v1/clients/{theirs["id"]}'
    for method, path, kwargs in [
        ('GET', url, {}), ('PATCH', url, {'json': {'city': 'Oran'}}), ('DELETE', url, {}),
        ('POST', f'{url}/archive', {}), ('POST', f'{url}/restore', {}),
        ('GET', f'{url}/contacts', {}), ('POST', f'{url}/contacts', {'json': {'last_name': 'X'}}),
        ('PATCH', f'/api/v1/contacts/{contact["id"]}', {'json': {'role': 'X'}}),
        ('DELETE', f'/api/v1/contacts/{contact["id"]}', {}),
        ('GET', f'{url}/files', {}), ('GET', f'{url}/files/{document["id"]}', {}),
        ('POST', f'{url}/files', {'files': {'file': ('a.txt', b'x', 'text/plain')}}),
        ('DELETE', f'/api/v1/files/{document["id"]}', {}),
    ]:
        response = client.request(method, path, headers=headers_a, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()['code'].endswith('not_found'), (method, path)
    assert client.get('/api/v1/clients', headers=headers_a).json()['total'] == 0
    assert client.get('/api/v1/clients/duplicates', headers=headers_a, params={'name': 'Client de B'}).json() == []
    assert client.get(url, headers=headers_b).json()['name'] == 'Client de B'


def test_a_viewer_reads_but_every_write_is_403(client, data_dir):
    admin, headers = admin_headers(client)
    viewer = make_user(admin, role=Role.VIEWER)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    owner = new_client(client, headers)
    contact = client.post(f'/api/v1/clients/{owner["id"]}/contacts', headers=headers,
                          json={'last_name': 'Kaci'}).json()
    document = client.post(f'/api/v1/clients/{owner["id"]}/files', headers=headers,
                           files={'file': ('a.txt', b'abc', 'text/plain')}).json()[0]
    url = f'/api/v1/clients/{owner["id"]}'
    assert client.get(url, headers=viewer_headers).status_code == 200
    assert client.get(f'{url}/files/{document["id"]}', headers=viewer_headers).status_code == 200
    for method, path, kwargs in [
        ('POST', '/api/v1/clients', {'json': {'name': 'Nouveau'}}), ('PATCH', url, {'json': {'city': 'Oran'}}),
        ('POST', f'{url}/archive', {}), ('POST', f'{url}/restore', {}), ('DELETE', url, {}),
        ('POST', f'{url}/contacts', {'json': {'last_name': 'X'}}),
        ('PATCH', f'/api/v1/contacts/{contact["id"]}', {'json': {'role': 'X'}}),
        ('DELETE', f'/api/v1/contacts/{contact["id"]}', {}),
        ('POST', f'{url}/files', {'files': {'file': ('b.txt', b'x', 'text/plain')}}),
        ('DELETE', f'/api/v1/files/{document["id"]}', {}),
    ]:
        response = client.request(method, path, headers=viewer_headers, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
    assert client.get(url, headers=headers).json()['version'] == owner['version']
    assert len(client.get(f'{url}/files', headers=headers).json()) == 1


def test_without_a_token_everything_is_401_and_unknown_paths_are_404(client):
    assert client.get('/api/v1/clients').status_code == 401
    assert client.post('/api/v1/clients', json={'name': 'X'}).status_code == 401
    assert client.get('/api/v1/tags', headers={'Authorization': 'Bearer nonsense'}).status_code == 401
    unknown = client.get('/api/v1/clientz')
    assert unknown.status_code == 404 and unknown.json()['detail']


def test_out_of_range_ids_and_offsets_are_refused_not_crashed(client) -> None:
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    for path in ('/api/v1/clients/99999999999', '/api/v1/cases/99999999999', '/api/v1/users/99999999999',
                 '/api/v1/clients?owner_id=99999999999', '/api/v1/clients?offset=10000000000000000000'):
        response = client.get(path, headers=headers)
        assert response.status_code == 422, path
