"""A tenant with one row of every kind the API's paths name, and a token for each role: what the walks over the
OpenAPI description (permissions, contract) send their requests to. Every row is the admin's."""

from dataclasses import dataclass, field
from datetime import date

from fastapi.testclient import TestClient

from db.models import Role
from db.session import session_scope
from services.ai import jobs
from services.analytics import runs
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_client, make_tenant, make_user
from tests.recommendation_data import analyse, build_shop
from tests.sales_factories import make_product

ROLES = ('admin', 'manager', 'agent', 'viewer')


@dataclass
class World:
    admin_email: str
    headers: dict[str, dict[str, str]]
    ids: dict[str, int]
    # Rows of their own for some operations (by label): what a deletion or a one-way change consumes.
    own_ids: dict[str, dict[str, int]] = field(default_factory=dict)

    def path_values(self, label: str) -> dict[str, int]:
        return {**self.ids, **self.own_ids.get(label, {})}

    def url(self, label: str) -> str:
        return label.split(' ', 1)[1].format(**self.path_values(label))


def _created(response) -> dict:
    assert response.status_code in (200, 201, 202), f'{response.request.url}: {response.text}'
    return response.json()


def build_world(client: TestClient) -> World:
    admin = make_tenant()
    headers = {'admin': bearer(client, admin.email, PASSWORD), 'anonymous': {}}
    users = {}
    for role in (Role.MANAGER, Role.AGENT, Role.VIEWER):
        users[role.value] = make_user(admin, role=role)
        headers[role.value] = bearer(client, users[role.value].email, PASSWORD)
    shop = build_shop(admin)
    analyse(admin)
    as_admin = headers['admin']

    def post(path: str, **kwargs) -> dict:
        return _created(client.post(f'/api/v1{path}', headers=as_admin, **kwargs))

    def first(path: str) -> int:
        return _created(client.get(f'/api/v1{path}', headers=as_admin))['items'][0]['id']

    client_id = shop.clients['Camille Croisée']
    case_id, spare_case_id = (post('/cases', json={'client_id': client_id, 'title': title})['id']
                              for title in ('Succession Benali', 'Bail commercial'))
    bare_client_id = make_client(admin, 'Client sans dossier').id
    recommendations = _created(client.get('/api/v1/recommendations', headers=as_admin))['items']
    recommendation = {action: recommendations[index % len(recommendations)]['id']
                      for index, action in enumerate(('dismiss', 'done', 'task', 'log'))}
    recommendation['reopen'] = recommendation['dismiss']
    with session_scope() as session:
        job_id = jobs.queue_job(session, admin.tenant_id, admin.user_id).id
        run_id = runs.queue_run(session, admin.tenant_id, 'api').id
    ids = {
        'client_id': client_id, 'keep_id': client_id, 'merge_id': shop.clients['Filler 1'], 'case_id': case_id,
        'user_id': users['agent'].user_id,
        'contact_id': post(f'/clients/{client_id}/contacts', json={'first_name': 'Amina', 'last_name': 'Benali'})['id'],
        'note_id': post(f'/cases/{case_id}/notes', json={'body': 'Relancer le notaire.'})['id'],
        'file_id': post(f'/cases/{case_id}/files', files={'file': ('acte.txt', b'acte', 'text/plain')})[0]['id'],
        'client_file_id': post(f'/clients/{client_id}/files',
                               files={'file': ('kbis.txt', b'kbis', 'text/plain')})[0]['id'],
        'interaction_id': post(f'/clients/{client_id}/interactions', json={'type': 'call', 'title': 'Appel'})['id'],
        'stage_id': post('/pipeline/stages', json={'name': 'Relance'})['id'],
        'spare_stage_id': post('/pipeline/stages', json={'name': 'Archivage'})['id'],
        'product_id': shop.products['Miel'], 'sale_id': first('/sales'),
        'recommendation_id': recommendation['task'], 'unsold_product_id': make_product(admin, 'Théière bleue'),
        'analysis_id': post(f'/cases/{case_id}/ai-analyze')['id'], 'step': 0, 'job_id': job_id,
        'text_id': first('/ai/legal-texts'), 'audit_id': post('/audit')['id'], 'run_id': run_id,
        'year': date.today().year, 'month': date.today().month,
    }
    own_ids = {
        'GET /api/v1/clients/{client_id}/files/{file_id}': {'file_id': ids['client_file_id']},
        'DELETE /api/crm/case/{case_id}': {'case_id': spare_case_id},
        'DELETE /api/v1/pipeline/stages/{stage_id}': {'stage_id': ids['spare_stage_id']},
        'DELETE /api/v1/products/{product_id}': {'product_id': ids['unsold_product_id']},
        'POST /api/v1/clients/{client_id}/archive': {'client_id': bare_client_id},
        'DELETE /api/v1/clients/{client_id}': {'client_id': bare_client_id},
    } | {f'POST /api/v1/recommendations/{{recommendation_id}}/{action}': {'recommendation_id': recommendation_id}
         for action, recommendation_id in recommendation.items()}
    return World(admin_email=admin.email, headers=headers, ids=ids, own_ids=own_ids)
