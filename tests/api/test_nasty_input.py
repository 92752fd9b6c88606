"""Input no user types but an attacker or a broken client sends: NUL characters, oversized and endless bodies,
deeply nested JSON. Each gets a 4xx naming what is wrong — before anything is parsed or anybody authenticated —
and never a 500, on SQLite and PostgreSQL alike."""

import pytest

from db.engine import NulCharacter
from db.models import Client
from settings import reload_settings
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_case, make_client, make_tenant

FR = {'Accept-Language': 'fr'}


def test_nul_in_a_json_field_is_refused_naming_the_field(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD) | FR
    response = client.post('/api/v1/clients', json={'name': 'Sarl\u0000Atlas', 'city': 'Oran'}, headers=headers)
    assert response.status_code == 422
    assert response.json()['field'] == 'name' and response.json()['code'] == 'error.nul_character'
    assert 'NUL' in response.json()['detail']
    nested = client.post('/api/v1/clients', json={'name': 'Atlas', 'contacts': [{'first_name': 'A\u0000'}]},
                         headers=headers)
    assert nested.status_code == 422 and nested.json()['field'] == 'contacts.0.first_name'
    assert count_rows(Client, tenant_id=admin.tenant_id) == 0


def test_nul_in_a_query_filter_is_refused_naming_the_parameter(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    response = client.get('/api/v1/clients?q=Atlas%00&limit=5', headers=headers)
    assert response.status_code == 422 and response.json()['field'] == 'q'


def test_nul_in_the_anonymous_login_form_is_refused(client):
    response = client.post('/api/v1/auth/token', data={'username': 'admin\u0000@x.dz', 'password': 'x'})
    assert response.status_code == 422 and response.json()['field'] == 'username'


def test_text_with_nul_never_reaches_either_database_whatever_the_face(db):
    admin = make_tenant()
    with pytest.raises(NulCharacter) as refused:
        make_client(admin, 'Nom\u0000caché')
    assert refused.value.field == 'name'
    assert count_rows(Client, tenant_id=admin.tenant_id) == 0


def test_an_anonymous_body_over_the_json_limit_is_refused_before_authentication(client):
    big = b'{"name": "' + b'x' * (1024 * 1024 + 10) + b'"}'
    response = client.post('/api/v1/clients', content=big, headers={'Content-Type': 'application/json'})
    assert response.status_code == 413 and response.json()['field'] == 'body'


def test_a_streamed_body_is_cut_as_soon_as_it_passes_the_limit(client):
    def endless():
        for _ in range(2000):
            yield b'x' * 1024

    response = client.post('/api/v1/auth/token', content=endless(),
                           headers={'Content-Type': 'application/x-www-form-urlencoded'})
    assert response.status_code == 413 and response.json()['field'] == 'body'


def test_a_streamed_upload_is_cut_as_soon_as_it_passes_the_upload_limit(client, data_dir, monkeypatch):
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas').id)
    headers = bearer(client, admin.email, PASSWORD) | {'Content-Type': 'multipart/form-data; boundary=x'}
    monkeypatch.setenv('CRM_MAX_UPLOAD_MB', '1')
    reload_settings()

    def endless_file():
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="gros.bin"\r\n\r\n'
        for _ in range(4000):
            yield b'x' * 1024

    upload = client.post(f'/api/v1/cases/{case.id}/files', content=endless_file(), headers=headers)
    assert upload.status_code == 413 and upload.json()['code'] == 'error.body_too_large'
    assert not [path for path in data_dir.rglob('*') if path.is_file()]


def test_a_body_that_is_not_utf8_json_is_a_translated_400(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD) | FR | {'Content-Type': 'application/json'}
    response = client.post('/api/v1/clients', content=b'{"name": "\xff\xfe"}', headers=headers)
    assert response.status_code in (400, 422)
    assert response.json()['code'] in ('error.body_unreadable', 'error.request_invalid')


def test_uploads_beyond_the_json_limit_need_a_valid_token(client, data_dir):
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas').id)
    document = ('acte.pdf', b'%PDF-1.4\n' + b'0' * (1536 * 1024), 'application/pdf')
    anonymous = client.post(f'/api/v1/cases/{case.id}/files', files={'file': document})
    assert anonymous.status_code == 413  # refused before the 401, nothing spooled
    forged = client.post(f'/api/v1/cases/{case.id}/files', files={'file': document},
                         headers={'Authorization': 'Bearer not.a.token'})
    assert forged.status_code == 413
    signed = client.post(f'/api/v1/cases/{case.id}/files', files={'file': document},
                         headers=bearer(client, admin.email, PASSWORD))
    assert signed.status_code == 201, signed.text


def test_an_upload_over_the_upload_limit_is_refused_from_its_declared_length(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD) | {'Content-Type': 'multipart/form-data; boundary=x',
                                                        'Content-Length': str(300 * 1024 * 1024)}
    response = client.post('/api/v1/cases/1/files', content=b'--x--', headers=headers)
    assert response.status_code == 413


def test_deeply_nested_json_is_refused(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    body = '{"name": "Atlas", "tags": ' + '[' * 5000 + ']' * 5000 + '}'
    response = client.post('/api/v1/clients', content=body, headers=headers | {'Content-Type': 'application/json'})
    assert response.status_code == 422 and response.json()['code'] == 'error.json_too_deep'
