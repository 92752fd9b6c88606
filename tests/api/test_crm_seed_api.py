"""Seed 000's endpoints under /api/crm/, with the seed's own request bodies — on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from db.models import Role
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant, make_user

# The two curl examples of the seed, verbatim (the case's client_id is filled in).
SEED_CLIENT = {
    "name": "SARL Algérie Tech",
    "email": "contact@algerietech.dz",
    "phone": "+213 555 123 456",
    "company": "Algérie Tech SARL",
    "address": "123 Rue Didouche Mourad, Alger"
}
SEED_CASE = {
    "title": "Constitution SARL",
    "client_id": "CLIENT_ID",
    "case_type": "legal",
    "priority": "high",
    "description": "Création d'une SARL dans le secteur technologique"
}


def seed_headers(client, name: str | None = None) -> dict[str, str]:
    admin = make_tenant(name)
    return {**bearer(client, admin.email, PASSWORD), 'Content-Type': 'application/json'}


def seed_client_and_case(client, headers) -> tuple[dict, dict]:
    created = client.post('/api/crm/client', headers=headers, json=SEED_CLIENT)
    assert created.status_code == 201, created.text
    case = client.post('/api/crm/case', headers=headers, json={**SEED_CASE, 'client_id': created.json()['id']})
    assert case.status_code == 201, case.text
    return created.json(), case.json()


def test_the_seed_curl_examples_work_verbatim(client):
    headers = seed_headers(client)
    seed_client, case = seed_client_and_case(client, headers)
    assert {key: seed_client[key] for key in SEED_CLIENT} == {**SEED_CLIENT, 'phone': '+213555123456'}
    assert case['reference'] == f'DOS-{datetime.now(UTC).year}-0001'
    assert (case['title'], case['client_id'], case['case_type'], case['priority'], case['status']) == \
        ('Constitution SARL', seed_client['id'], 'legal', 'high', 'new')
    assert case['description'] == SEED_CASE['description'] and case['client_name'] == 'SARL Algérie Tech'
    # the same bodies, sent as curl sends them (raw JSON text), and with the id as a string
    raw = client.post('/api/crm/client', headers=headers, content='''{
    "name": "SARL Algérie Tech",
    "email": "contact@algerietech.dz",
    "phone": "+213 555 123 456",
    "company": "Algérie Tech SARL",
    "address": "123 Rue Didouche Mourad, Alger"
  }'''.encode())
    assert raw.status_code == 201, raw.text
    as_text = client.post('/api/crm/case', headers=headers, json={**SEED_CASE, 'client_id': str(raw.json()['id'])})
    assert as_text.status_code == 201 and as_text.json()['client_id'] == raw.json()['id']
    placeholder = client.post('/api/crm/case', headers=headers, json=SEED_CASE)
    assert placeholder.status_code == 422 and placeholder.json()['errors'][0]['field'] == 'client_id'


def test_clients_and_cases_read_update_and_delete_under_api_crm(client):
    headers = seed_headers(client)
    seed_client, case = seed_client_and_case(client, headers)
    listing = client.get('/api/crm/client', headers=headers, params={'limit': 10, 'offset': 0}).json()
    assert listing['total'] == 1 and listing['items'][0]['id'] == seed_client['id']
    assert client.get(f'/api/crm/client/{seed_client["id"]}', headers=headers).json() == seed_client
    cases = client.get('/api/crm/case', headers=headers).json()
    assert cases['total'] == 1 and cases['items'][0]['id'] == case['id']
    url = f'/api/crm/case/{case["id"]}'
    assert client.get(url, headers=headers).json() == case
    patched = client.patch(url, headers=headers, json={'status': 'in_progress', 'priority': 'urgent'})
    assert patched.status_code == 200, patched.text
    assert (patched.json()['status'], patched.json()['priority'], patched.json()['title']) == \
        ('in_progress', 'urgent', 'Constitution SARL')
    stale = client.patch(url, headers=headers, json={'status': 'closed', 'version': case['version']})
    assert stale.status_code == 409
    assert client.get(f'/api/v1/cases/{case["id"]}', headers=headers).json() == patched.json()
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.get('/api/crm/case', headers=headers).json()['total'] == 0


def test_notes_accept_both_spellings(client):
    headers = seed_headers(client)
    _, case = seed_client_and_case(client, headers)
    url = f'/api/crm/case/{case["id"]}/note'
    for body in ({'content': 'Appel du gérant', 'note_type': 'call'}, {'body': 'Réunion au cabinet', 'kind': 'meeting'},
                 {'content': 'Sans type'}):
        response = client.post(url, headers=headers, json=body)
        assert response.status_code == 201, (body, response.text)
    notes = {(note['kind'], note['body']) for note in client.get(url, headers=headers).json()}
    assert notes == {('call', 'Appel du gérant'), ('meeting', 'Réunion au cabinet'), ('general', 'Sans type')}
    empty = client.post(url, headers=headers, json={'content': ''})
    assert empty.status_code == 422 and empty.json()['code'] == 'error.note_empty'
    assert client.post(url, headers=headers, json={'content': 'x', 'note_type': 'fax'}).status_code == 422


def test_files_upload_list_and_download(client, data_dir):
    headers = seed_headers(client)
    headers.pop('Content-Type')
    _, case = seed_client_and_case(client, {**headers, 'Content-Type': 'application/json'})
    url = f'/api/crm/case/{case["id"]}/file'
    uploaded = client.post(url, headers=headers, files={'file': ('statuts.txt', b'Statuts de la SARL', 'text/plain')})
    assert uploaded.status_code == 201, uploaded.text
    document = uploaded.json()
    assert document['original_name'] == 'statuts.txt' and document['case_id'] == case['id']
    assert [d['id'] for d in client.get(url, headers=headers).json()] == [document['id']]
    download = client.get(f'{url}/{document["id"]}', headers=headers)
    assert download.status_code == 200 and download.content == b'Statuts de la SARL'
    assert download.headers['content-disposition'] == 'attachment; filename="statuts.txt"'
    missing = client.post(url, headers=headers, data={'note': 'pas de fichier'})
    assert missing.status_code == 422
    empty = client.post(url, headers=headers, files={'file': ('vide.txt', b'')})
    assert empty.status_code == 422 and empty.json()['code'] == 'error.file_empty'
    traversal = client.post(url, headers=headers, files={'file': ('../../etc/passwd', b'root')}).json()
    assert traversal['original_name'] == 'passwd'


def test_tokens_tenants_roles_and_unknown_paths(client, data_dir):
    headers_a = seed_headers(client, 'Cabinet A')
    headers_b = seed_headers(client, 'Cabinet B')
    their_client, their_case = seed_client_and_case(client, headers_b)
    [document] = client.post(f'/api/v1/cases/{their_case["id"]}/files', headers={
        'Authorization': headers_b['Authorization']}, files={'file': ('b.txt', b'secret')}).json()
    case_url = f'/api/crm/case/{their_case["id"]}'
    for method, path in [('GET', f'/api/crm/client/{their_client["id"]}'), ('GET', case_url),
                         ('PATCH', case_url), ('DELETE', case_url), ('GET', f'{case_url}/note'),
                         ('POST', f'{case_url}/note'), ('GET', f'{case_url}/file'),
                         ('GET', f'{case_url}/file/{document["id"]}')]:
        response = client.request(method, path, headers=headers_a, json={'content': 'x', 'title': 'x'})
        assert response.status_code == 404, (method, path, response.text)
    assert client.get('/api/crm/client', headers=headers_a).json()['total'] == 0
    foreign = client.post('/api/crm/case', headers=headers_a, json={**SEED_CASE, 'client_id': their_client['id']})
    assert foreign.status_code == 422 and foreign.json()['code'] == 'error.client_unknown'

    assert client.get('/api/crm/client').status_code == 401
    assert client.post('/api/crm/client', json=SEED_CLIENT).status_code == 401
    viewer = make_user(make_tenant(), role=Role.VIEWER)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    assert client.post('/api/crm/client', headers=viewer_headers, json=SEED_CLIENT).status_code == 403
    assert client.get('/api/crm/client', headers=viewer_headers).status_code == 200

    for method, path in [('GET', '/api/crm/'), ('GET', '/api/crm/clients'), ('POST', '/api/crm/case/1/ai-analysis'),
                         ('PUT', '/api/crm/case/1'), ('GET', '/api/crm/nothing/here')]:
        response = client.request(method, path, headers=headers_a)
        assert response.status_code == 404, (method, path)
        assert response.json()['detail'].startswith('Unknown endpoint')


def test_bad_seed_input_is_422_never_500(client):
    headers = seed_headers(client)
    for body, field in [({**SEED_CLIENT, 'email': 'contact@'}, 'email'), ({**SEED_CLIENT, 'phone': '555'}, 'phone'),
                        ({'email': 'contact@algerietech.dz'}, 'name')]:
        response = client.post('/api/crm/client', headers=headers, json=body)
        assert response.status_code == 422 and response.json()['field'] == field, body
    for raw in ('{"name": "SARL Algérie Tech",', "{'name': 'x'}", 'null'):
        response = client.post('/api/crm/client', headers=headers, content=raw.encode())
        assert response.status_code == 422 and response.json()['code'] == 'error.request_invalid', raw
    seed_client = client.post('/api/crm/client', headers=headers, json=SEED_CLIENT).json()
    without_title = {key: value for key, value in SEED_CASE.items() if key != 'title'}
    missing_title = client.post('/api/crm/case', headers=headers, json={**without_title,
                                                                         'client_id': seed_client['id']})
    assert missing_title.status_code == 422 and missing_title.json()['field'] == 'title'
    unknown = client.post('/api/crm/case', headers=headers, json={**SEED_CASE, 'client_id': 999_999})
    assert unknown.status_code == 422 and unknown.json()['code'] == 'error.client_unknown'
    for method, path in [('GET', '/api/crm/client/abc'), ('GET', '/api/crm/case/abc'), ('PATCH', '/api/crm/case/1'),
                         ('GET', '/api/crm/case/1/file/x')]:
        assert client.request(method, path, headers=headers, content=b'{').status_code in (404, 422), path
