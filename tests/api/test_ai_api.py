"""The AI analysis over REST, seed 000's path included — on SQLite and PostgreSQL."""

import json
import time

from db.models import Role
from tests.api.conftest import bearer
from tests.api.test_crm_seed_api import seed_client_and_case, seed_headers
from tests.factories import PASSWORD, make_case, make_tenant, make_user
from tests.fake_llm import fake_llm_fixture  # noqa: F401


def test_seed_000s_analysis_path_works_verbatim(client):
    headers = seed_headers(client)
    _, case = seed_client_and_case(client, headers)

    response = client.post(f'/api/crm/case/{case["id"]}/ai-analyze', headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) >= {'summary', 'risk', 'recommendations', 'next_steps', 'legal_references', 'created_at'}
    assert body['risk']['level'] in ('low', 'medium', 'high', 'critical')
    assert 'Constitution SARL' in body['summary'] and 'SARL Algérie Tech' in body['summary']
    assert any('75-59' in reference['reference'] for reference in body['legal_references'])
    assert all(reference['why'] for reference in body['legal_references'])


def test_analyses_are_listed_newest_first_with_the_previous_score(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    case = make_case(admin, case_type='fiscal', description='Vérification de comptabilité en cours.')
    first = client.post(f'/api/v1/cases/{case.id}/ai-analyze', headers=headers).json()
    client.patch(f'/api/v1/cases/{case.id}', headers=headers, json={'priority': 'urgent'})
    second = client.post(f'/api/v1/cases/{case.id}/ai-analyze?language=en', headers=headers).json()

    listed = client.get(f'/api/v1/cases/{case.id}/analyses', headers=headers)

    assert listed.status_code == 200
    assert [item['id'] for item in listed.json()] == [second['id'], first['id']]
    assert listed.json()[0]['previous_score'] == first['risk']['score']
    assert second['language'] == 'en' and second['summary'].startswith('Tax case')


def test_a_next_step_becomes_a_task_and_cases_at_risk_are_listed(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    case = make_case(admin, priority='urgent', description='Mise en demeure et assignation reçues.',
                     due_date='2020-01-10')
    analysis = client.post(f'/api/v1/cases/{case.id}/ai-analyze', headers=headers).json()

    task = client.post(f'/api/v1/analyses/{analysis["id"]}/next-steps/0/task', headers=headers)
    missing = client.post(f'/api/v1/analyses/{analysis["id"]}/next-steps/50/task', headers=headers)
    at_risk = client.get('/api/v1/cases-at-risk', headers=headers)

    assert task.status_code == 201 and task.json()['kind'] == 'task'
    assert task.json()['body'] == analysis['next_steps'][0]['title']
    assert missing.status_code == 404
    assert [row['case_id'] for row in at_risk.json()] == [case.id]
    assert at_risk.json()[0]['level'] == 'critical'


def test_another_tenants_case_is_404_everywhere(client):
    owner, stranger = make_tenant(), make_tenant()
    case = make_case(owner)
    owner_headers = bearer(client, owner.email, PASSWORD)
    analysis = client.post(f'/api/v1/cases/{case.id}/ai-analyze', headers=owner_headers).json()
    headers = bearer(client, stranger.email, PASSWORD)

    assert client.post(f'/api/v1/cases/{case.id}/ai-analyze', headers=headers).status_code == 404
    assert client.post(f'/api/crm/case/{case.id}/ai-analyze', headers=headers).status_code == 404
    assert client.get(f'/api/v1/cases/{case.id}/analyses', headers=headers).status_code == 404
    assert client.post(f'/api/v1/analyses/{analysis["id"]}/next-steps/0/task', headers=headers).status_code == 404
    assert client.get('/api/v1/cases-at-risk', headers=headers).json() == []


def test_bad_requests_are_4xx(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    case = make_case(admin)
    assert client.post('/api/v1/cases/99999999999/ai-analyze', headers=headers).status_code == 422
    assert client.post(f'/api/v1/cases/{case.id}/ai-analyze?language=de', headers=headers).status_code == 422
    assert client.post(f'/api/v1/cases/{case.id}/ai-analyze').status_code == 401
    viewer = make_user(admin, role=Role.VIEWER)
    viewer_headers = bearer(client, viewer.email, PASSWORD)
    assert client.post(f'/api/v1/cases/{case.id}/ai-analyze', headers=viewer_headers).status_code == 403


def test_the_bulk_job_runs_in_the_background_for_managers(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    for _ in range(3):
        make_case(admin)
    agent = make_user(admin, role=Role.AGENT)
    assert client.post('/api/v1/ai/jobs', headers=bearer(client, agent.email, PASSWORD)).status_code == 403

    started = client.post('/api/v1/ai/jobs', headers=headers)
    assert started.status_code == 202 and started.json()['total'] == 3
    for _ in range(200):
        latest = client.get('/api/v1/ai/jobs/latest', headers=headers).json()
        if latest['status'] != 'running' and latest['status'] != 'queued':
            break
        time.sleep(0.05)
    assert (latest['status'], latest['done'], latest['progress']) == ('done', 3, 1.0)


def test_only_managers_and_admins_cancel_the_bulk_job(client):
    admin = make_tenant()
    make_case(admin)
    job = client.post('/api/v1/ai/jobs', headers=bearer(client, admin.email, PASSWORD)).json()
    for role in (Role.VIEWER, Role.AGENT):
        user = make_user(admin, role=role)
        refused = client.post(f'/api/v1/ai/jobs/{job["id"]}/cancel', headers=bearer(client, user.email, PASSWORD))
        assert refused.status_code == 403, role
    manager = make_user(admin, role=Role.MANAGER)
    cancelled = client.post(f'/api/v1/ai/jobs/{job["id"]}/cancel', headers=bearer(client, manager.email, PASSWORD))
    assert cancelled.status_code == 200 and cancelled.json()['id'] == job['id']


def test_provider_settings_and_connection_test_against_a_local_server(client, fake_llm):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    assert client.get('/api/v1/ai/settings', headers=headers).json()['provider'] == 'builtin'
    settings = {'provider': 'openai', 'base_url': fake_llm.base_url, 'model': 'fake-model', 'api_key': 'sk-1'}

    tested = client.post('/api/v1/ai/settings/test', headers=headers, json=settings)
    saved = client.put('/api/v1/ai/settings', headers=headers, json=settings)
    fake_llm.mode = 'error500'
    failing = client.post('/api/v1/ai/settings/test', headers=headers, json=settings)
    bad = client.put('/api/v1/ai/settings', headers=headers, json={**settings, 'base_url': 'nowhere'})

    assert tested.json()['ok'] is True and 'fake-model' in tested.json()['detail']
    assert saved.status_code == 200 and saved.json()['has_api_key'] is True and 'api_key' not in saved.json()
    assert failing.json() == {'ok': False, 'detail': 'ai.llm_http_error',
                              'message': 'Échec de la connexion : réponse refusée par le serveur du modèle (HTTP 500).'}
    assert bad.status_code == 422


def test_the_knowledge_base_is_exported_imported_and_refused_whole(client):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    listed = client.get('/api/v1/ai/legal-texts?q=travail', headers=headers).json()
    exported = client.get('/api/v1/ai/legal-texts/export', headers=headers)
    entries = json.loads(exported.text)
    broken = json.dumps([entries[0], {**entries[1], 'keywords': []}], ensure_ascii=False, indent=1)

    refused = client.post('/api/v1/ai/legal-texts/import', headers=headers,
                          files={'file': ('base.json', broken.encode(), 'application/json')})
    after = client.get('/api/v1/ai/legal-texts', headers=headers).json()['total']
    imported = client.post('/api/v1/ai/legal-texts/import', headers=headers,
                           files={'file': ('base.json', json.dumps(entries[:2]).encode(), 'application/json')})

    assert listed['total'] >= 1 and any('90-11' in item['reference'] for item in listed['items'])
    assert exported.headers['content-disposition'].startswith('attachment')
    assert refused.status_code == 422 and 'n° 2' in refused.json()['detail']
    assert after == len(entries)
    assert imported.json() == {'imported': 2}
    assert client.get('/api/v1/ai/legal-texts', headers=headers).json()['total'] == 2


def test_a_changed_address_needs_the_key_typed_again_and_the_key_is_never_returned(client, fake_llm):
    admin = make_tenant()
    headers = bearer(client, admin.email, PASSWORD)
    settings = {'provider': 'openai', 'base_url': fake_llm.base_url, 'model': 'fake-model', 'api_key': 'sk-first-1'}
    assert client.put('/api/v1/ai/settings', headers=headers, json=settings).status_code == 200
    moved = {**settings, 'base_url': 'http://127.0.0.1:9/v1', 'api_key': None}

    tested = client.post('/api/v1/ai/settings/test', headers=headers, json=moved)
    saved = client.put('/api/v1/ai/settings', headers=headers, json=moved)
    read = client.get('/api/v1/ai/settings', headers=headers)

    for refused in (tested, saved):
        assert refused.status_code == 422 and refused.json()['field'] == 'api_key'
        assert refused.json()['code'] == 'error.ai_key_retype' and 'saisissez à nouveau' in refused.json()['detail']
    assert read.json()['base_url'] == fake_llm.base_url and read.json()['has_api_key'] is True
    assert 'sk-first-1' not in read.text and 'api_key' not in read.json()
    assert fake_llm.requests == []


def test_the_preview_shows_the_pseudonymised_messages_and_sends_nothing(client, fake_llm):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    headers = bearer(client, admin.email, PASSWORD)
    case = make_case(admin, title='Témoignage', description='Le témoin Yacine Saidi (y.saidi@mail.dz) a menti.')
    builtin = client.get(f'/api/v1/cases/{case.id}/ai-preview', headers=headers)
    settings = {'provider': 'openai', 'base_url': fake_llm.base_url, 'model': 'fake-model'}
    assert client.put('/api/v1/ai/settings', headers=headers, json=settings).status_code == 200

    preview = client.get(f'/api/v1/cases/{case.id}/ai-preview', headers=headers)

    assert builtin.status_code == 409 and 'Aucun modèle externe' in builtin.text
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body['model'], body['pseudonymize']) == ('fake-model', True)
    assert [message['role'] for message in body['messages']] == ['system', 'user']
    assert 'témoin [PERSONNE_' in body['messages'][1]['content'] and '[EMAIL_1]' in body['placeholders']
    assert 'Saidi' not in preview.text and 'y.saidi' not in preview.text
    assert fake_llm.requests == []
    assert client.get(f'/api/v1/cases/{case.id}/ai-preview',
                      headers=bearer(client, viewer.email, PASSWORD)).status_code == 403
    assert client.get('/api/v1/cases/99999999999/ai-preview', headers=headers).status_code == 422
