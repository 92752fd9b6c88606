"""/api/v1/interactions, a client's timeline and the recent-activities widget (seed 003) — on SQLite and
PostgreSQL."""

from datetime import UTC, datetime, timedelta

from db.models import Role
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant, make_user

# Seed 003's request body and response, verbatim (the organisation id is filled in).
SEED_BODY = {
    "organisation_id": 42,
    "type": "email",
    "title": "Email: Proposition commerciale Q4",
    "description": "Envoi de la proposition tarifaire 2025",
    "recipients": [
        {
            "email": "john.doe@example.com",
            "name": "John Doe",
            "role": "CEO"
        }
    ],
    "metadata": {
        "source": "manual",
        "urgency": "high"
    }
}
SEED_RESPONSE = {
    "id": 123,
    "organisation_id": 42,
    "type": "email",
    "title": "Email: Proposition commerciale Q4",
    "description": "Envoi de la proposition tarifaire 2025",
    "occurred_at": "2025-10-21T14:30:00Z",
    "participants": [
        {
            "id": 456,
            "external_name": "John Doe",
            "external_email": "john.doe@example.com",
            "external_role": "CEO",
            "is_organizer": False,
            "attendance_status": "confirmed"
        }
    ],
    "attachments_count": 0
}
URL = '/api/v1/interactions'


def workspace(client, name: str | None = None):
    """A tenant, its admin's headers and one client."""
    admin = make_tenant(name)
    return admin, bearer(client, admin.email, PASSWORD), make_client(admin, 'SARL Algérie Tech')


def log(client, headers, client_id: int, **fields) -> dict:
    response = client.post(URL, headers=headers, json={'organisation_id': client_id, 'type': 'email',
                                                       'title': 'Interaction', **fields})
    assert response.status_code == 201, response.text
    return response.json()


def new_contact(client, headers, client_id: int, **fields) -> dict:
    response = client.post(f'/api/v1/clients/{client_id}/contacts', headers=headers,
                           json={'first_name': 'Nadia', 'last_name': 'Kaci', **fields})
    assert response.status_code == 201, response.text
    return response.json()


def total(client, headers, **params) -> int:
    response = client.get(URL, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()['total']


def at(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()


def same_shape(value, seed) -> bool:
    """`value` has every key of `seed`, recursively, with a value of the same JSON type."""
    if isinstance(seed, dict):
        return isinstance(value, dict) and all(key in value and same_shape(value[key], seed[key]) for key in seed)
    if isinstance(seed, list):
        return isinstance(value, list) and len(value) == len(seed) and all(map(same_shape, value, seed))
    return type(value) is type(seed)


def test_the_seed_body_gives_the_seed_response(client):
    _, headers, organisation = workspace(client)
    response = client.post(URL, headers=headers, json={**SEED_BODY, 'organisation_id': organisation.id})
    assert response.status_code == 201, response.text
    body = response.json()
    assert same_shape(body, SEED_RESPONSE)
    expected = {**SEED_RESPONSE, 'id': body['id'], 'organisation_id': organisation.id,
                'occurred_at': body['occurred_at']}
    assert {key: body[key] for key in SEED_RESPONSE if key != 'participants'} == \
        {key: expected[key] for key in SEED_RESPONSE if key != 'participants'}
    [participant] = body['participants']
    assert {key: participant[key] for key in SEED_RESPONSE['participants'][0]} == \
        {**SEED_RESPONSE['participants'][0], 'id': participant['id']}
    assert participant['contact_id'] is None and participant['person_id'] is None
    assert body['occurred_at'].endswith('Z')
    assert abs(datetime.fromisoformat(body['occurred_at']) - datetime.now(UTC)) < timedelta(minutes=5)
    assert (body['client_id'], body['client_name'], body['source']) == (organisation.id, 'SARL Algérie Tech', 'manual')
    assert body['metadata'] == SEED_BODY['metadata'] and body['is_planned'] is False and body['version'] == 1
    assert client.get(f'{URL}/{body["id"]}', headers=headers).json() == body
    # seed 003's "Test 1", sent as curl sends it
    raw = client.post(URL, headers={**headers, 'Content-Type': 'application/json'}, content=f'''{{
    "organisation_id": {organisation.id},
    "type": "email",
    "title": "Test email rapide",
    "recipients": [{{"email": "test@example.com", "name": "Test User"}}]
  }}'''.encode())
    assert raw.status_code == 201, raw.text
    assert raw.json()['participants'][0]['external_name'] == 'Test User' and raw.json()['description'] == ''


def test_type_aliases_full_participants_and_the_seed_001_paths(client):
    admin, headers, organisation = workspace(client)
    contact = new_contact(client, headers, organisation.id, email='nadia@algerietech.dz')
    for alias, canonical in (('appel', 'call'), ('reunion', 'meeting'), ('Réunion', 'meeting'),
                             ('dejeuner', 'lunch'), ('note', 'note')):
        assert log(client, headers, organisation.id, type=alias)['type'] == canonical
    full = log(client, headers, organisation.id, type='reunion', title='Réunion Q4 - Stratégie',
               occurred_at='2025-10-21T10:00:00+01:00', duration_minutes=90, person_id=contact['id'], is_pitch=True,
               metadata={'source': 'email'}, participants=[
                   {'person_id': contact['id'], 'is_organizer': True, 'role': 'DAF'},
                   {'external_name': 'Karim Haddad', 'external_email': 'karim@partner.dz', 'external_role': 'Avocat',
                    'attendance_status': 'invited'},
                   {'name': 'Sans e-mail'}],
               recipients=[{'email': 'NADIA@algerietech.dz'}])
    assert full['occurred_at'] == '2025-10-21T09:00:00Z' and full['duration_minutes'] == 90
    assert (full['contact_id'], full['person_id'], full['contact_name']) == (contact['id'], contact['id'],
                                                                              'Nadia Kaci')
    assert full['is_pitch'] is True and full['source'] == 'email' and full['created_by'] == admin.user_id
    people = [(p['contact_id'], p['external_name'], p['external_email'], p['external_role'], p['is_organizer'],
               p['attendance_status']) for p in full['participants']]
    assert people == [(contact['id'], None, None, None, False, 'confirmed'),  # the recipient, found by e-mail
                      (None, 'Karim Haddad', 'karim@partner.dz', 'Avocat', False, 'invited'),
                      (None, 'Sans e-mail', None, None, False, 'confirmed')]
    assert full['participants'][0]['person_id'] == contact['id']
    assert full['participants'][0]['contact_name'] == 'Nadia Kaci'
    assert log(client, headers, organisation.id, metadata={'source': 'zapier'})['source'] == 'manual'
    investor = client.post(f'{URL}/investor/{organisation.id}', headers=headers,
                           json={'type': 'appel', 'title': 'Call'})
    assert investor.status_code == 201 and investor.json()['organisation_id'] == organisation.id
    other = make_client(admin, 'Autre client')
    by_path = client.post(f'/api/v1/clients/{other.id}/interactions', headers=headers,
                          json={'organisation_id': organisation.id, 'type': 'note', 'title': 'Note'})
    assert by_path.status_code == 201 and by_path.json()['client_id'] == other.id  # the path wins
    listed = client.get(f'{URL}/investor/{organisation.id}', headers=headers).json()
    assert listed['total'] == 8 and investor.json() in listed['items']
    assert client.get(f'/api/v1/clients/{other.id}/interactions', headers=headers).json()['items'] == \
        [by_path.json()]


def test_an_idempotency_key_in_the_body_or_the_header_logs_once(client):
    _, headers, organisation = workspace(client)
    first = client.post(URL, headers={**headers, 'Idempotency-Key': 'send-42'},
                        json={**SEED_BODY, 'organisation_id': organisation.id})
    again = client.post(URL, headers={**headers, 'Idempotency-Key': 'send-42'},
                        json={**SEED_BODY, 'organisation_id': organisation.id, 'title': 'Autre titre'})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    by_body = log(client, headers, organisation.id, idempotency_key='import:7')
    assert log(client, headers, organisation.id, idempotency_key='import:7', type='appel') == by_body
    assert total(client, headers) == 2
    assert client.post(URL, headers={**headers, 'Idempotency-Key': 'k' * 121},
                       json={**SEED_BODY, 'organisation_id': organisation.id}).status_code == 422
    assert total(client, headers) == 2


def test_list_filters_paging_and_order(client):
    admin, headers, organisation = workspace(client)
    agent = make_user(admin, role=Role.AGENT)
    agent_headers = bearer(client, agent.email, PASSWORD)
    other = make_client(admin, 'Boulangerie Zitouni')
    contact = new_contact(client, headers, organisation.id)
    email = log(client, headers, organisation.id, title='E-mail', occurred_at=at(1))
    call = log(client, agent_headers, organisation.id, type='appel', title='Appel', occurred_at=at(3),
               contact_id=contact['id'])
    meeting = log(client, headers, other.id, type='reunion', title='Réunion', occurred_at=at(10),
                  participants=[{'contact_id': contact['id']}])
    planned = log(client, headers, other.id, type='dejeuner', title='Déjeuner', occurred_at=at(-5))
    assert planned['is_planned'] is True

    def titles(**params) -> list[str]:
        response = client.get(URL, headers=headers, params=params)
        assert response.status_code == 200, response.text
        return [item['title'] for item in response.json()['items']]

    assert titles() == ['Déjeuner', 'E-mail', 'Appel', 'Réunion']
    assert titles(organisation_id=organisation.id) == titles(client_id=organisation.id) == ['E-mail', 'Appel']
    assert titles(contact_id=contact['id']) == ['Appel', 'Réunion']
    assert titles(activity_types='email,appel') == ['E-mail', 'Appel']
    assert titles(type='reunion,lunch') == ['Déjeuner', 'Réunion']
    assert titles(created_by=agent.user_id) == ['Appel']
    assert titles(since=at(5), until=at(0)) == ['E-mail', 'Appel']
    assert titles(since='2000-01-01', until='2000-01-02') == []
    page = client.get(URL, headers=headers, params={'limit': 2, 'offset': 1}).json()
    assert page['total'] == 4 and (page['limit'], page['offset']) == (2, 1)
    assert [item['id'] for item in page['items']] == [email['id'], call['id']]
    assert meeting['id'] not in [item['id'] for item in page['items']]
    for far in ({'since': '0001-01-01T00:00:00+05:00'}, {'until': '9999-12-31T23:59:59-05:00'},
                {'since': '0001-01-01'}):
        response = client.get(URL, headers=headers, params=far)
        assert response.status_code == 422 and response.json()['code'] == 'error.date_out_of_range', far
        assert response.json()['field'] in far
    unknown = client.get(URL, headers=headers, params={'activity_types': 'email,fax'})
    assert unknown.status_code == 422 and unknown.json()['code'] == 'error.interaction_type_unknown'
    for bad in ({'limit': 0}, {'limit': 201}, {'since': 'hier'}, {'organisation_id': 'x'},
                {'organisation_id': 2**31}, {'contact_id': 99_999_999_999}):
        assert client.get(URL, headers=headers, params=bad).status_code == 422, bad
    assert client.get(URL, headers=headers, params={'organisation_id': 999_999}).status_code == 404


def test_recent_activities_take_a_limit_and_types_and_leave_planned_ones_out(client):
    _, headers, organisation = workspace(client)
    contact = new_contact(client, headers, organisation.id)
    for index, kind in enumerate(('email', 'appel', 'reunion', 'note', 'email', 'appel', 'dejeuner')):
        log(client, headers, organisation.id, type=kind, title=f'{kind} {index}', occurred_at=at(index + 1),
            contact_id=contact['id'] if index % 2 else None)
    log(client, headers, organisation.id, title='Prévue', occurred_at=at(-1))
    url = f'/api/v1/organisations/{organisation.id}/activities/recent'

    def titles(path: str = url, **params) -> list[str]:
        response = client.get(path, headers=headers, params=params)
        assert response.status_code == 200, response.text
        assert all(same_shape(item, SEED_RESPONSE | {'participants': []}) for item in response.json())
        return [item['title'] for item in response.json()]

    assert titles() == ['email 0', 'appel 1', 'reunion 2', 'note 3', 'email 4']
    assert titles(limit=2) == ['email 0', 'appel 1']
    assert titles(limit=5, activity_types='email,appel') == ['email 0', 'appel 1', 'email 4', 'appel 5']
    assert titles(activity_types='reunion,dejeuner') == ['reunion 2', 'dejeuner 6']
    assert titles(f'/api/v1/clients/{organisation.id}/activities/recent', limit=1) == ['email 0']
    contact_url = f'/api/v1/contacts/{contact["id"]}/activities/recent'
    assert titles(contact_url) == titles(f'/api/v1/persons/{contact["id"]}/activities/recent') == \
        ['appel 1', 'note 3', 'appel 5']
    assert titles(contact_url, activity_types='appel', limit=1) == ['appel 1']
    for bad in ({'limit': 0}, {'limit': 51}, {'activity_types': 'fax'}):
        response = client.get(url, headers=headers, params=bad)
        assert response.status_code == 422 and response.json()['code'] != 'error.request_invalid', bad
    assert client.get('/api/v1/contacts/999999/activities/recent', headers=headers).status_code == 404


def test_update_and_delete_an_interaction(client):
    admin, headers, organisation = workspace(client)
    other = make_client(admin, 'Autre client')
    created = client.post(URL, headers=headers, json={**SEED_BODY, 'organisation_id': organisation.id}).json()
    url = f'{URL}/{created["id"]}'
    patched = client.patch(url, headers=headers, json={'title': 'Relance Q4', 'version': created['version']})
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body['title'] == 'Relance Q4' and body['version'] == 2
    assert {key: body[key] for key in ('type', 'description', 'occurred_at', 'metadata', 'source')} == \
        {key: created[key] for key in ('type', 'description', 'occurred_at', 'metadata', 'source')}
    assert [p['external_email'] for p in body['participants']] == ['john.doe@example.com']
    stale = client.patch(url, headers=headers, json={'title': 'Trop tard', 'version': created['version']})
    assert stale.status_code == 409 and stale.json()['code'] == 'error.stale_version'
    put = client.put(url, headers=headers, json={'type': 'appel', 'organisation_id': other.id, 'duration_minutes': 15,
                                                 'participants': [{'name': 'Karim', 'is_organizer': True}]})
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body['type'], body['client_id'], body['duration_minutes'], body['title']) == \
        ('call', other.id, 15, 'Relance Q4')
    assert [(p['external_name'], p['is_organizer']) for p in body['participants']] == [('Karim', True)]
    for bad, code in (({'type': 'fax'}, 'error.interaction_type_unknown'), ({'title': ' '}, 'error.required'),
                      ({'duration_minutes': -1}, 'error.duration_invalid'), ({'type': None}, 'error.request_invalid'),
                      ({'organisation_id': 999_999}, 'error.client_not_found')):
        response = client.patch(url, headers=headers, json=bad)
        assert response.json()['code'] == code, bad
    assert client.get(url, headers=headers).json() == body
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404


REFUSED = [  # (change to the seed body, status, code, field)
    ({'recipients': [{'email': f'r{i}@example.com'} for i in range(51)]}, 422, 'error.too_many_participants',
     'participants'),
    ({'recipients': [{'email': f'r{i}@example.com'} for i in range(30)],
      'participants': [{'name': f'P{i}'} for i in range(21)]}, 422, 'error.too_many_participants', 'participants'),
    ({'type': 'fax'}, 422, 'error.interaction_type_unknown', 'type'),
    ({'type': None}, 422, 'error.request_invalid', None),
    ({'organisation_id': None}, 422, 'error.required', 'organisation_id'),
    ({'organisation_id': 2**31}, 422, 'error.request_invalid', None),
    ({'title': ''}, 422, 'error.required', 'title'),
    ({'occurred_at': '2025-10-21T14:30:00'}, 422, 'error.datetime_without_zone', 'occurred_at'),
    ({'recipients': [{'email': 'pas-un-email'}]}, 422, 'error.email_invalid', 'participants.0.email'),
    ({'recipients': [{'role': 'CEO'}]}, 422, 'error.participant_empty', 'participants.0'),
    ({'person_id': 999_999}, 422, 'error.contact_unknown', 'contact_id'),
    ({'metadata': {'blob': 'x' * 20_000}}, 422, 'error.metadata_too_large', 'metadata'),
    ({'duration_minutes': 24 * 60 + 1}, 422, 'error.duration_invalid', 'duration_minutes'),
    ({'occurred_at': '0001-01-01T00:00:00+05:00'}, 422, 'error.date_out_of_range', 'occurred_at'),
]


def test_refused_interactions_write_nothing(client):
    _, headers, organisation = workspace(client)
    for change, status, code, field in REFUSED:
        response = client.post(URL, headers=headers, json={**SEED_BODY, 'organisation_id': organisation.id, **change})
        assert response.status_code == status, response.text
        assert response.json()['code'] == code and response.json()['detail'], response.text
        assert response.json().get('field') == field, response.text
    assert total(client, headers) == 0


def test_malformed_json_is_422_and_writes_nothing(client):
    _, headers, _ = workspace(client)
    json_headers = {**headers, 'Content-Type': 'application/json'}
    for raw in ('{"organisation_id": 1,', 'not json', '', '[]', '{"type": 5}', '{"recipients": "a@b.dz"}'):
        response = client.post(URL, headers=json_headers, content=raw)
        assert response.status_code == 422, raw
        assert response.json()['code'] == 'error.request_invalid'
    assert total(client, headers) == 0


def test_another_tenants_interactions_are_404_and_nothing_is_written(client):
    _, headers_a, _ = workspace(client, 'Cabinet A')
    _, headers_b, theirs = workspace(client, 'Cabinet B')
    contact = new_contact(client, headers_b, theirs.id)
    interaction = log(client, headers_b, theirs.id, contact_id=contact['id'])
    url = f'{URL}/{interaction["id"]}'
    for method, path, kwargs in [
        ('GET', url, {}), ('PATCH', url, {'json': {'title': 'X'}}), ('PUT', url, {'json': {'title': 'X'}}),
        ('DELETE', url, {}),
        ('POST', URL, {'json': {**SEED_BODY, 'organisation_id': theirs.id}}),
        ('POST', f'{URL}/investor/{theirs.id}', {'json': {'type': 'email', 'title': 'X'}}),
        ('GET', f'{URL}/investor/{theirs.id}', {}), ('GET', f'/api/v1/clients/{theirs.id}/interactions', {}),
        ('GET', f'/api/v1/clients/{theirs.id}/timeline', {}),
        ('GET', f'/api/v1/organisations/{theirs.id}/activities/recent', {}),
        ('GET', f'/api/v1/contacts/{contact["id"]}/activities/recent', {}),
        ('GET', URL, {'params': {'organisation_id': theirs.id}}),
        ('GET', URL, {'params': {'contact_id': contact['id']}}),
    ]:
        response = client.request(method, path, headers=headers_a, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()['code'].endswith('not_found'), (method, path)
    assert total(client, headers_a) == 0
    assert client.get(url, headers=headers_b).json() == interaction
    assert total(client, headers_b) == 1


def test_a_viewer_reads_but_every_write_is_403(client):
    admin, headers, organisation = workspace(client)
    viewer_headers = bearer(client, make_user(admin, role=Role.VIEWER).email, PASSWORD)
    interaction = log(client, headers, organisation.id)
    url = f'{URL}/{interaction["id"]}'
    assert client.get(url, headers=viewer_headers).json() == interaction
    assert client.get(f'/api/v1/organisations/{organisation.id}/activities/recent',
                      headers=viewer_headers).status_code == 200
    for method, path, kwargs in [
        ('POST', URL, {'json': {**SEED_BODY, 'organisation_id': organisation.id}}),
        ('POST', f'{URL}/investor/{organisation.id}', {'json': {'type': 'email', 'title': 'X'}}),
        ('PATCH', url, {'json': {'title': 'X'}}), ('PUT', url, {'json': {'title': 'X'}}), ('DELETE', url, {}),
    ]:
        response = client.request(method, path, headers=viewer_headers, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()['code'] == 'error.read_only'
    assert client.get(url, headers=headers).json() == interaction and total(client, headers) == 1
    assert client.get(URL).status_code == 401


def test_the_timeline_mixes_interactions_and_stage_moves(client):
    _, headers, organisation = workspace(client)
    interaction = log(client, headers, organisation.id)
    moved = client.post(f'/api/v1/clients/{organisation.id}/move-to-next-stage', headers=headers)
    assert moved.status_code == 200, moved.text
    response = client.get(f'/api/v1/clients/{organisation.id}/timeline', headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    entries = [(e['kind'], e['from_stage'], e['to_stage'], e['interaction'] and e['interaction']['id'])
               for e in page['items']]
    assert entries == [('stage', 'Prospect froid', 'Prospect tiède', None),
                       ('interaction', None, None, interaction['id']),
                       ('stage', None, 'Prospect froid', None)]
    assert page['total'] == 3 and page['items'][1]['interaction'] == interaction
    assert page['items'][0]['changed_by']
    second = client.get(f'/api/v1/clients/{organisation.id}/timeline', headers=headers,
                        params={'limit': 1, 'offset': 1}).json()
    assert [e['kind'] for e in second['items']] == ['interaction'] and second['total'] == 3
