"""A size in a refusal is written the one way the app writes sizes, in the caller's language: «1 Mo», «25 MB»."""

from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_case, make_client, make_tenant


def test_a_body_over_the_limit_names_the_limit_in_the_callers_language(client) -> None:
    big = b'{"name": "' + b'x' * (1024 * 1024 + 10) + b'"}'
    for language, expected in (('en', 'Request too large (1 MB at most).'),
                               ('fr', 'Requête trop volumineuse (1 Mo au plus).')):
        response = client.post('/api/v1/clients', content=big,
                               headers={'Content-Type': 'application/json', 'Accept-Language': language})
        assert (response.status_code, response.json()['detail']) == (413, expected)


def test_an_upload_over_the_limit_names_the_files_limit(client) -> None:
    admin = make_tenant()
    case = make_case(admin, make_client(admin, 'Atlas Négoce').id)
    headers = {**bearer(client, admin.email, PASSWORD), 'Accept-Language': 'en'}
    response = client.post(f'/api/v1/cases/{case.id}/files', headers=headers,
                           files={'file': ('big.bin', b'x' * (27 * 1024 * 1024))})
    assert (response.status_code, response.json()['detail']) == (413, 'File too large: 25 MB at most per upload.')
