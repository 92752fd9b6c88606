"""/api/v1/audit (run, latest, history, one run) and /api/v1/clients/{id}/merge — on SQLite and PostgreSQL."""

from db.models import Client, ClientStatus, Contact, Role
from db.session import session_scope
from services.contacts import ContactInput, create_contact
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_client, make_tenant, make_user

AUDIT = '/api/v1/audit'


def workspace(client, role: Role = Role.ADMIN):
    admin = make_tenant()
    actor = admin if role == Role.ADMIN else make_user(admin, role=role)
    return admin, bearer(client, actor.email, PASSWORD)


def test_running_an_audit_keeps_it_and_the_journal_reads_it_back(client):
    admin, headers = workspace(client)
    make_client(admin, 'Atlas Négoce', email='contact@atlas.dz')
    make_client(admin, 'SARL Atlas Negoce', email='contact@atlas.dz')
    assert client.get(f'{AUDIT}/latest', headers=headers).json()['code'] == 'error.audit_none'

    ran = client.post(AUDIT, headers=headers)
    assert ran.status_code == 201, ran.text
    body = ran.json()
    assert 0 <= body['score'] <= 100
    assert [c['code'] for c in body['components']] == ['freshness', 'email', 'phone', 'duplicates', 'diversity']
    [pair] = body['details']['duplicates']['pairs']
    assert (pair['a']['name'], pair['b']['name'], pair['reasons']) == ('Atlas Négoce', 'SARL Atlas Negoce',
                                                                       ['email', 'name'])
    assert body['previous_score'] is None

    second = client.post(AUDIT, headers=headers).json()
    latest = client.get(f'{AUDIT}/latest', headers=headers)
    assert latest.status_code == 200
    assert (latest.json()['id'], latest.json()['previous_score']) == (second['id'], body['score'])
    history = client.get(f'{AUDIT}/history', headers=headers, params={'limit': 5}).json()
    assert [point['id'] for point in history] == [body['id'], second['id']]
    assert set(history[0]['components']) == {'freshness', 'email', 'phone', 'duplicates', 'diversity'}
    one = client.get(f'{AUDIT}/{body["id"]}', headers=headers)
    assert (one.status_code, one.json()['score']) == (200, body['score'])


def test_audit_refusals_are_clear_4xx(client):
    _, headers = workspace(client)
    _, agent = workspace(client, Role.AGENT)
    ran = client.post(AUDIT, headers=headers).json()
    refused = client.post(AUDIT, headers=agent)
    assert (refused.status_code, refused.json()['code']) == (403, 'error.manager_only')
    _, other = workspace(client)
    assert client.get(f'{AUDIT}/{ran["id"]}', headers=other).status_code == 404
    assert client.get(f'{AUDIT}/latest', headers=other).status_code == 404
    assert client.get(f'{AUDIT}/history', headers=other).json() == []
    assert client.get(f'{AUDIT}/history', headers=headers, params={'limit': 0}).status_code == 422
    assert client.get(f'{AUDIT}/{2**40}', headers=headers).status_code == 422
    assert client.post(AUDIT).status_code == 401


def test_merging_returns_the_kept_client_and_archives_the_duplicate(client):
    admin, headers = workspace(client)
    keep = make_client(admin, 'Atlas Négoce')
    dup = make_client(admin, 'SARL Atlas Negoce', email='ventes@atlas.dz', tags=['Export'])
    with session_scope() as session:
        create_contact(session, admin, dup.id, ContactInput(first_name='Nadia', last_name='Cherif'))

    response = client.post(f'/api/v1/clients/{keep.id}/merge', headers=headers,
                           json={'merge_id': dup.id, 'keep_version': keep.version, 'merge_version': dup.version})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body['id'], body['email'], body['tags']) == (keep.id, 'ventes@atlas.dz', ['Export'])
    archived = client.get(f'/api/v1/clients/{dup.id}', headers=headers).json()
    assert archived['status'] == 'archived' and archived['notes'].startswith('Fusionné dans Atlas Négoce')
    assert count_rows(Contact, client_id=keep.id) == 1


def test_bad_merges_are_refused_and_write_nothing(client):
    admin, headers = workspace(client)
    keep, dup = make_client(admin, 'Atlas Négoce'), make_client(admin, 'Atlas Negoce')
    other_admin, _ = workspace(client)
    foreign = make_client(other_admin, 'Atlas Négoce')

    def merge(keep_id: int, headers=headers, **body) -> tuple[int, str | None]:
        response = client.post(f'/api/v1/clients/{keep_id}/merge', headers=headers, json=body)
        return response.status_code, response.json().get('code')

    assert merge(keep.id, merge_id=keep.id) == (422, 'error.merge_self')
    assert merge(keep.id, merge_id=foreign.id) == (404, 'error.client_not_found')
    assert merge(foreign.id, merge_id=dup.id) == (404, 'error.client_not_found')
    assert merge(keep.id, merge_id=999_999) == (404, 'error.client_not_found')
    assert merge(keep.id, merge_id=dup.id, keep_version=99) == (409, 'error.stale_version')
    assert merge(keep.id, merge_id=0) == (422, 'error.request_invalid')
    assert merge(keep.id) == (422, 'error.request_invalid')
    with session_scope() as session:
        assert [session.get(Client, c.id).status for c in (keep, dup, foreign)] == [ClientStatus.ACTIVE] * 3


def test_agents_cannot_merge(client):
    admin, _ = workspace(client)
    agent = make_user(admin, role=Role.AGENT)
    headers = bearer(client, agent.email, PASSWORD)
    keep, dup = make_client(admin, 'Atlas Négoce'), make_client(admin, 'Atlas Negoce')
    response = client.post(f'/api/v1/clients/{keep.id}/merge', headers=headers, json={'merge_id': dup.id})
    assert (response.status_code, response.json()['code']) == (403, 'error.manager_only')
    assert count_rows(Client, status=ClientStatus.ARCHIVED) == 0
