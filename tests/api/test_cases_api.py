"""/api/v1/cases, notes and case files — on SQLite and PostgreSQL."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import Role
from settings import reload_settings
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_tenant, make_user

PNG = b'\x89PNG\r\n\x1a\n' + b'\x00\x00\x00\rIHDR' + b'\x00' * 64
PDF = b'%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'


def stored_files(data_dir) -> list:
    return sorted(path for path in (data_dir / 'documents').rglob('*') if path.is_file()) \
        if (data_dir / 'documents').exists() else []


def workspace(client, name: str | None = None):
    """A tenant, its admin's headers and one client."""
    admin = make_tenant(name)
    headers = bearer(client, admin.email, PASSWORD)
    response = client.post('/api/v1/clients', headers=headers, json={'name': 'SARL Algérie Tech'})
    assert response.status_code == 201, response.text
    return admin, headers, response.json()['id']


def new_case(client, headers, client_id: int, **fields) -> dict:
    response = client.post('/api/v1/cases', headers=headers,
                           json={'title': 'Constitution SARL', 'client_id': client_id, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_and_list_cases_with_filters(client):
    _, headers, client_id = workspace(client)
    year = datetime.now(UTC).year
    first = new_case(client, headers, client_id, case_type='legal', priority='high',
                     description="Création d'une SARL")
    assert first['reference'] == f'DOS-{year}-0001' and first['status'] == 'new' and first['version'] == 1
    assert first['client_name'] == 'SARL Algérie Tech' and first['closed_at'] is None
    late = new_case(client, headers, client_id, title='Déclaration G50', case_type='fiscal',
                    due_date=str(date.today() - timedelta(days=3)))
    done = new_case(client, headers, client_id, title='Registre du commerce', status='closed', priority='low')
    assert late['reference'] == f'DOS-{year}-0002' and done['closed_at'] is not None
    assert client.get(f'/api/v1/cases/{first["id"]}', headers=headers).json() == first

    def titles(**params) -> list[str]:
        response = client.get('/api/v1/cases', headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [item['title'] for item in response.json()['items']]

    assert titles(sort='reference', order='asc') == ['Constitution SARL', 'Déclaration G50', 'Registre du commerce']
    assert titles(open=True, sort='title', order='asc') == ['Constitution SARL', 'Déclaration G50']
    assert titles(status='closed') == ['Registre du commerce']
    assert titles(case_type='fiscal') == titles(overdue=True) == ['Déclaration G50']
    assert titles(priority='high') == ['Constitution SARL']
    assert titles(q='g50') == ['Déclaration G50']
    assert titles(q=first['reference']) == ['Constitution SARL']
    assert titles(q='"(*)&|!:') == []
    assert len(titles(client_id=client_id)) == 3 and titles(client_id=client_id + 1000) == []
    page = client.get('/api/v1/cases', headers=headers, params={'limit': 2, 'offset': 2}).json()
    assert page['total'] == 3 and len(page['items']) == 1
    for bad in ({'sort': 'client_id'}, {'status': 'open'}, {'priority': 'asap'}, {'open': 'maybe'}, {'limit': 500}):
        assert client.get('/api/v1/cases', headers=headers, params=bad).status_code == 422, bad


@pytest.mark.parametrize(('body', 'field', 'code'), [
    ({'title': None}, 'title', 'error.required'),
    ({'title': '  '}, 'title', 'error.required'),
    ({'client_id': 999_999}, 'client_id', 'error.client_unknown'),
    ({'assignee_id': 999_999}, 'assignee_id', 'error.assignee_unknown'),
    ({'case_type': 'criminal'}, 'case_type', 'error.request_invalid'),
    ({'priority': 'asap'}, 'priority', 'error.request_invalid'),
    ({'due_date': '31/12/2026'}, 'due_date', 'error.request_invalid'),
    ({'title': 'x' * 201}, 'title', 'error.request_invalid'),
])
def test_bad_case_input_is_422_with_the_field(client, body, field, code):
    _, headers, client_id = workspace(client)
    payload = {'title': 'Constitution SARL', 'client_id': client_id, **body}
    payload = {key: value for key, value in payload.items() if value is not None}  # None: left out
    response = client.post('/api/v1/cases', headers=headers, json=payload)
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer['code'] == code and answer['detail']
    if code == 'error.request_invalid':
        assert [problem['field'] for problem in answer['errors']] == [field]
    else:
        assert answer['field'] == field


def test_a_case_needs_a_client_of_ones_own_tenant_that_is_not_archived(client):
    _, headers, client_id = workspace(client, 'Cabinet A')
    _, _, their_client_id = workspace(client, 'Cabinet B')
    response = client.post('/api/v1/cases', headers=headers, json={'title': 'X', 'client_id': their_client_id})
    assert response.status_code == 422 and response.json()['code'] == 'error.client_unknown'
    missing = client.post('/api/v1/cases', headers=headers, json={'title': 'X'})
    assert missing.status_code == 422 and missing.json()['errors'][0]['field'] == 'client_id'
    client.post(f'/api/v1/clients/{client_id}/archive', headers=headers)
    archived = client.post('/api/v1/cases', headers=headers, json={'title': 'X', 'client_id': client_id})
    assert archived.status_code == 422 and archived.json()['code'] == 'error.client_archived'


def test_malformed_json_is_422_never_500(client):
    _, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id)
    json_headers = {**headers, 'Content-Type': 'application/json'}
    for method, url in (('POST', '/api/v1/cases'), ('PATCH', f'/api/v1/cases/{case["id"]}'),
                        ('POST', f'/api/v1/cases/{case["id"]}/notes')):
        for raw in ('{"title": ', 'nope', '[1, 2]', '{"title": {"a": 1}}', '{"client_id": "abc"}'):
            response = client.request(method, url, headers=json_headers, content=raw)
            assert response.status_code == 422, (method, raw, response.text)
    assert client.patch(f'/api/v1/cases/{case["id"]}', headers=headers, json={'status': None}).status_code == 422
    assert client.get('/api/v1/cases/1.5', headers=headers).status_code == 422


def test_patch_is_partial_keeps_a_status_history_and_a_stale_version_is_409(client):
    _, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id, priority='high', description='Statuts à rédiger')
    url = f'/api/v1/cases/{case["id"]}'
    moved = client.patch(url, headers=headers, json={'status': 'in_progress', 'version': case['version']})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body['status'] == 'in_progress' and body['version'] == 2
    assert (body['title'], body['priority'], body['description']) == ('Constitution SARL', 'high', 'Statuts à rédiger')
    stale = client.patch(url, headers=headers, json={'status': 'closed', 'version': case['version']})
    assert stale.status_code == 409 and stale.json()['code'] == 'error.stale_version'
    closed = client.patch(url, headers=headers, json={'status': 'closed'}).json()
    assert closed['closed_at'] is not None and closed['version'] == 3
    history = client.get(f'{url}/history', headers=headers).json()
    assert [(h['from_status'], h['to_status']) for h in history] == [('in_progress', 'closed'),
                                                                     ('new', 'in_progress'), (None, 'new')]
    assert history[0]['changed_by']
    empty_title = client.patch(url, headers=headers, json={'title': ''})
    assert empty_title.status_code == 422 and empty_title.json()['field'] == 'title'
    unknown_client = client.patch(url, headers=headers, json={'client_id': 999_999})
    assert unknown_client.status_code == 422 and unknown_client.json()['code'] == 'error.client_unknown'
    assert client.get(url, headers=headers).json()['version'] == 3


def test_notes_of_a_case(client):
    admin, headers, client_id = workspace(client)
    agent = make_user(admin)
    agent_headers = bearer(client, agent.email, PASSWORD)
    case = new_case(client, headers, client_id)
    url = f'/api/v1/cases/{case["id"]}/notes'
    first = client.post(url, headers=headers, json={'body': 'Appel du gérant', 'kind': 'call'})
    assert first.status_code == 201, first.text
    second = client.post(url, headers=headers, json={'content': 'Envoyer les statuts', 'note_type': 'task',
                                                     'due_date': str(date.today())})
    assert second.status_code == 201, second.text
    note, task = first.json(), second.json()
    assert (note['kind'], note['body'], note['author_name']) == ('call', 'Appel du gérant', admin.full_name)
    assert (task['kind'], task['body'], task['due_date']) == ('task', 'Envoyer les statuts', str(date.today()))
    assert {n['id'] for n in client.get(url, headers=headers).json()} == {note['id'], task['id']}
    empty = client.post(url, headers=headers, json={'body': '  '})
    assert empty.status_code == 422 and empty.json()['code'] == 'error.note_empty'
    assert client.post(url, headers=headers, json={'body': 'x', 'kind': 'fax'}).status_code == 422
    done = client.patch(f'/api/v1/notes/{task["id"]}', headers=agent_headers, json={'done': True,
                                                                                    'version': task['version']})
    assert done.status_code == 200, done.text
    assert done.json()['done'] is True and done.json()['body'] == 'Envoyer les statuts'
    stale = client.patch(f'/api/v1/notes/{task["id"]}', headers=headers, json={'done': False,
                                                                              'version': task['version']})
    assert stale.status_code == 409
    not_yours = client.patch(f'/api/v1/notes/{note["id"]}', headers=agent_headers, json={'content': 'Réécrit'})
    assert not_yours.status_code == 403 and not_yours.json()['code'] == 'error.note_not_yours'
    edited = client.patch(f'/api/v1/notes/{note["id"]}', headers=headers, json={'content': 'Réécrit'})
    assert edited.json()['body'] == 'Réécrit' and edited.json()['kind'] == 'call'


def test_case_files_upload_list_and_download(client, data_dir):
    _, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id)
    url = f'/api/v1/cases/{case["id"]}/files'
    several = client.post(url, headers=headers, files=[('files', ('logo.png', PNG, 'image/png')),
                                                       ('files', ('statuts.pdf', PDF, 'application/pdf')),
                                                       ('file', ('Procès-verbal été.txt', 'Réunion'.encode(),
                                                                 'text/plain'))])
    assert several.status_code == 201, several.text
    png, pdf, text = several.json()
    assert (png['content_type'], pdf['content_type'], text['content_type']) == \
        ('image/png', 'application/pdf', 'text/plain')
    assert png['case_id'] == case['id'] and png['size'] == len(PNG) and len(png['sha256']) == 64
    assert {d['id'] for d in client.get(url, headers=headers).json()} == {png['id'], pdf['id'], text['id']}
    download = client.get(f'{url}/{png["id"]}', headers=headers)
    assert download.status_code == 200 and download.content == PNG
    assert download.headers['content-type'] == 'image/png'
    assert download.headers['content-disposition'] == 'attachment; filename="logo.png"'
    assert download.headers['x-content-type-options'] == 'nosniff'
    inline = client.get(f'{url}/{pdf["id"]}', headers=headers, params={'inline': 1})
    assert inline.headers['content-disposition'] == 'inline; filename="statuts.pdf"' and inline.content == PDF
    accented = client.get(f'{url}/{text["id"]}', headers=headers, params={'inline': 1})
    assert accented.content == 'Réunion'.encode()
    assert accented.headers['content-disposition'] == \
        'attachment; filename="Proces-verbal ete.txt"; filename*=UTF-8\'\'Proc%C3%A8s-verbal%20%C3%A9t%C3%A9.txt'
    assert accented.headers['content-type'].startswith('text/plain')


def test_content_type_comes_from_the_bytes_not_the_name(client, data_dir):
    _, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id)
    url = f'/api/v1/cases/{case["id"]}/files'
    [disguised] = client.post(url, headers=headers, files={'file': ('page.html', PNG, 'text/html')}).json()
    [script] = client.post(url, headers=headers,
                           files={'file': ('photo.png', b'<script>alert(1)</script>', 'image/png')}).json()
    assert disguised['content_type'] == 'image/png' and script['content_type'] == 'text/plain'
    shown = client.get(f'{url}/{script["id"]}', headers=headers, params={'inline': 1})
    assert shown.headers['content-disposition'].startswith('attachment;')


def test_a_traversal_filename_is_stored_under_a_random_name_and_given_back_as_its_last_part(client, data_dir):
    admin, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id)
    url = f'/api/v1/cases/{case["id"]}/files'
    response = client.post(url, headers=headers, files={'file': ('../../etc/passwd', b'root:x:0:0', 'text/plain')})
    assert response.status_code == 201, response.text
    [document] = response.json()
    assert document['original_name'] == 'passwd'
    assert [d['original_name'] for d in client.get(url, headers=headers).json()] == ['passwd']
    download = client.get(f'{url}/{document["id"]}', headers=headers)
    assert download.content == b'root:x:0:0'
    assert download.headers['content-disposition'] == 'attachment; filename="passwd"'
    [stored] = stored_files(data_dir)
    tenant_dir = data_dir.resolve() / 'documents' / str(admin.tenant_id)
    assert stored.resolve().is_relative_to(tenant_dir)
    assert len(stored.name) == 32 and all(ch in '0123456789abcdef' for ch in stored.name)
    assert not [path for path in data_dir.rglob('*') if 'passwd' in path.name]
    assert not (data_dir / 'etc').exists() and not (data_dir.parent / 'etc' / 'passwd').exists()


def test_oversized_and_empty_uploads_are_422_and_nothing_is_kept(client, data_dir, monkeypatch):
    _, headers, client_id = workspace(client)
    case = new_case(client, headers, client_id)
    url = f'/api/v1/cases/{case["id"]}/files'
    monkeypatch.setenv('CRM_MAX_UPLOAD_MB', '1')
    reload_settings()
    too_big = client.post(url, headers=headers, files={'file': ('gros.bin', b'x' * (1024 * 1024 + 1))})
    assert too_big.status_code == 422 and too_big.json()['code'] == 'error.file_too_large'
    assert too_big.json()['field'] == 'file'
    exactly = client.post(url, headers=headers, files={'file': ('juste.bin', b'y' * (1024 * 1024))})
    assert exactly.status_code == 201, exactly.text
    kept = stored_files(data_dir)
    assert len(kept) == 1
    mixed = client.post(url, headers=headers, files=[('files', ('ok.txt', b'fine', 'text/plain')),
                                                     ('files', ('gros.bin', b'x' * (1536 * 1024)))])
    assert mixed.status_code == 422 and mixed.json()['code'] == 'error.file_too_large'
    beyond = client.post(url, headers=headers, files=[('files', ('ok.txt', b'fine', 'text/plain')),
                                                      ('files', ('gros.bin', b'x' * (2 * 1024 * 1024 + 1)))])
    assert beyond.status_code == 413 and beyond.json()['code'] == 'error.body_too_large_upload'  # at the door
    empty = client.post(url, headers=headers, files=[('files', ('ok.txt', b'fine', 'text/plain')),
                                                     ('files', ('vide.txt', b'', 'text/plain'))])
    assert empty.status_code == 422 and empty.json()['code'] == 'error.file_empty'
    nothing = client.post(url, headers=headers, data={'comment': 'no file'})
    assert nothing.status_code == 422 and nothing.json()['code'] == 'error.required'
    assert [d['original_name'] for d in client.get(url, headers=headers).json()] == ['juste.bin']
    assert stored_files(data_dir) == kept
    assert not list(data_dir.rglob('*.part'))


def test_deleting_a_case_or_a_file_removes_the_bytes_from_disk(client, data_dir):
    admin, headers, client_id = workspace(client)
    agent_headers = bearer(client, make_user(admin).email, PASSWORD)
    case = new_case(client, headers, client_id)
    other = new_case(client, headers, client_id, title='Autre dossier')
    client.post(f'/api/v1/cases/{case["id"]}/notes', headers=headers, json={'body': 'Note'})
    documents = client.post(f'/api/v1/cases/{case["id"]}/files', headers=headers,
                            files=[('files', ('a.txt', b'aaa')), ('files', ('b.txt', b'bbb'))]).json()
    [kept] = client.post(f'/api/v1/cases/{other["id"]}/files', headers=headers,
                         files={'file': ('c.txt', b'ccc')}).json()
    assert len(stored_files(data_dir)) == 3
    refused_file = client.delete(f'/api/v1/files/{documents[0]["id"]}', headers=agent_headers)
    assert refused_file.status_code == 403 and refused_file.json()['code'] == 'error.document_not_yours'
    assert client.delete(f'/api/v1/files/{documents[0]["id"]}', headers=headers).status_code == 204
    assert len(stored_files(data_dir)) == 2
    refused = client.delete(f'/api/v1/cases/{case["id"]}', headers=agent_headers)
    assert refused.status_code == 403 and refused.json()['code'] == 'error.manager_only'
    assert client.delete(f'/api/v1/cases/{case["id"]}', headers=headers).status_code == 204
    assert [path.read_bytes() for path in stored_files(data_dir)] == [b'ccc']
    assert client.get(f'/api/v1/cases/{case["id"]}', headers=headers).status_code == 404
    assert client.get(f'/api/v1/cases/{case["id"]}/notes', headers=headers).status_code == 404
    assert client.get(f'/api/v1/cases/{other["id"]}/files/{kept["id"]}', headers=headers).content == b'ccc'
    assert client.get(f'/api/v1/cases/{other["id"]}/files/{documents[1]["id"]}', headers=headers).status_code == 404


def test_another_tenants_cases_notes_and_files_are_404(client, data_dir):
    _, headers_a, client_a = workspace(client, 'Cabinet A')
    _, headers_b, client_b = workspace(client, 'Cabinet B')
    mine = new_case(client, headers_a, client_a)
    theirs = new_case(client, headers_b, client_b)
    note = client.post(f'/api/v1/cases/{theirs["id"]}/notes', headers=headers_b, json={'body': 'Secret'}).json()
    [document] = client.post(f'/api/v1/cases/{theirs["id"]}/files', headers=headers_b,
                             files={'file': ('b.txt', b'secret de B')}).json()
    url = f'/api/v1/cases/{theirs["id"]}'
    for method, path, kwargs in [
        ('GET', url, {}), ('PATCH', url, {'json': {'title': 'Pris'}}), ('DELETE', url, {}),
        ('GET', f'{url}/history', {}), ('GET', f'{url}/notes', {}),
        ('POST', f'{url}/notes', {'json': {'body': 'Intrus'}}),
        ('PATCH', f'/api/v1/notes/{note["id"]}', {'json': {'body': 'Intrus'}}),
        ('GET', f'{url}/files', {}), ('GET', f'{url}/files/{document["id"]}', {}),
        ('POST', f'{url}/files', {'files': {'file': ('a.txt', b'x')}}),
        ('GET', f'/api/v1/cases/{mine["id"]}/files/{document["id"]}', {}),
        ('DELETE', f'/api/v1/files/{document["id"]}', {}),
    ]:
        response = client.request(method, path, headers=headers_a, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()['code'].endswith('not_found'), (method, path)
    assert [c['id'] for c in client.get('/api/v1/cases', headers=headers_a).json()['items']] == [mine['id']]
    assert client.get(f'{url}/files/{document["id"]}', headers=headers_b).content == b'secret de B'
    assert client.get(url, headers=headers_b).json()['version'] == 1


def test_a_viewer_reads_but_every_write_is_403(client, data_dir):
    admin, headers, client_id = workspace(client)
    viewer_headers = bearer(client, make_user(admin, role=Role.VIEWER).email, PASSWORD)
    case = new_case(client, headers, client_id)
    note = client.post(f'/api/v1/cases/{case["id"]}/notes', headers=headers, json={'body': 'Note'}).json()
    [document] = client.post(f'/api/v1/cases/{case["id"]}/files', headers=headers,
                             files={'file': ('a.txt', b'abc')}).json()
    url = f'/api/v1/cases/{case["id"]}'
    for path in (url, f'{url}/history', f'{url}/notes', f'{url}/files', f'{url}/files/{document["id"]}'):
        assert client.get(path, headers=viewer_headers).status_code == 200, path
    for method, path, kwargs in [
        ('POST', '/api/v1/cases', {'json': {'title': 'X', 'client_id': client_id}}),
        ('PATCH', url, {'json': {'status': 'closed'}}), ('DELETE', url, {}),
        ('POST', f'{url}/notes', {'json': {'body': 'X'}}),
        ('PATCH', f'/api/v1/notes/{note["id"]}', {'json': {'done': True}}),
        ('POST', f'{url}/files', {'files': {'file': ('b.txt', b'x')}}),
        ('DELETE', f'/api/v1/files/{document["id"]}', {}),
    ]:
        response = client.request(method, path, headers=viewer_headers, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()['code'] == 'error.read_only'
    assert len(stored_files(data_dir)) == 1
    assert client.get('/api/v1/cases', headers=headers).json()['total'] == 1


def test_ten_cases_created_at_once_get_consecutive_references(client):
    _, headers, client_id = workspace(client)
    barrier, answers = threading.Barrier(10), []

    def create(number: int) -> None:
        barrier.wait()
        answers.append(client.post('/api/v1/cases', headers=headers,
                                   json={'title': f'Dossier {number}', 'client_id': client_id}))

    threads = [threading.Thread(target=create, args=(number,)) for number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [response.status_code for response in answers] == [201] * 10, [r.text for r in answers]
    year = datetime.now(UTC).year
    assert sorted(response.json()['reference'] for response in answers) == \
        [f'DOS-{year}-{number:04d}' for number in range(1, 11)]
    assert client.get('/api/v1/cases', headers=headers).json()['total'] == 10
