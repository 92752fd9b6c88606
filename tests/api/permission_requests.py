"""One valid request for each operation of the API, on the rows of tests.api.api_world: what the permission walk
sends with each role's token. Destructive operations come last, children before parents."""

import json
from datetime import date, timedelta

from tests.api.api_world import World
from tests.api.openapi_walk import Operation
from tests.factories import PASSWORD

TEXT_FILE = {'file': ('note.txt', b'une note', 'text/plain')}
LEGAL_ENTRY = {'code': 'code-civil', 'reference': 'Art. 1', 'title': 'Titre', 'covers': 'Tout',
               'keywords': ['succession']}


def json_bodies(world: World) -> dict[str, object]:
    """The JSON body of each operation that takes one, by its label."""
    ids, today = world.ids, date.today().isoformat()
    next_week = (date.today() + timedelta(days=7)).isoformat()  # «today» in UTC is yesterday in Algiers after 23:00
    interaction = {'type': 'call', 'title': 'Appel de suivi'}
    return {
        'POST /api/v1/users': {'email': 'nouvelle@example.dz', 'password': 'Un-mot-de-passe-42', 'role': 'agent'},
        'PATCH /api/v1/users/{user_id}': {'full_name': 'Amina B.'},
        'POST /api/v1/clients/{keep_id}/merge': {'merge_id': ids['merge_id']},
        'POST /api/v1/clients': {'name': 'SARL Nouvelle'},
        'PATCH /api/v1/clients/{client_id}': {'city': 'Oran'},
        'POST /api/v1/clients/{client_id}/contacts': {'first_name': 'Karim', 'last_name': 'Haddad'},
        'PATCH /api/v1/contacts/{contact_id}': {'role': 'Gérant'},
        'POST /api/v1/cases': {'client_id': ids['client_id'], 'title': 'Nouveau dossier'},
        'PATCH /api/v1/cases/{case_id}': {'title': 'Dossier renommé'},
        'POST /api/v1/cases/{case_id}/notes': {'body': 'Une note'},
        'PATCH /api/v1/notes/{note_id}': {'body': 'Note corrigée'},
        'POST /api/v1/pipeline/stages': {'name': 'Signature'},
        'PATCH /api/v1/pipeline/stages/{stage_id}': {'name': 'Relance client'},
        'POST /api/v1/clients/{client_id}/stage': {'stage_id': ids['stage_id']},
        'POST /api/v1/interactions': {**interaction, 'client_id': ids['client_id']},
        'POST /api/v1/clients/{client_id}/interactions': interaction,
        'POST /api/v1/interactions/investor/{client_id}': interaction,
        'PATCH /api/v1/interactions/{interaction_id}': {'title': 'Appel corrigé'},
        'PUT /api/v1/interactions/{interaction_id}': {'title': 'Appel corrigé'},
        'POST /api/v1/kpis/investor/{client_id}': {'year': ids['year'], 'month': ids['month'], 'meetings': 2},
        'PUT /api/v1/clients/{client_id}/kpis/{year}/{month}': {'meetings': 3},
        'POST /api/v1/webhooks/external-interaction': {'organisation_id': ids['client_id'], 'type': 'call'},
        'PUT /api/v1/analytics/settings': {'window_months': 12},
        'POST /api/v1/recommendations/{recommendation_id}/task': {'due': next_week},
        'POST /api/v1/recommendations/{recommendation_id}/log': {'type': 'call'},
        'POST /api/v1/products': {'sku': 'NEW-1', 'name': 'Confiture', 'family': 'Épicerie', 'price': '4.50'},
        'PUT /api/v1/products/{product_id}': {'sku': 'MIEL-1', 'name': 'Miel', 'family': 'Épicerie', 'price': '12'},
        'POST /api/v1/sales': {'client_id': ids['client_id'], 'sold_on': today, 'amount': '10'},
        'PUT /api/v1/ai/settings': {'provider': 'builtin'},
        'POST /api/v1/ai/settings/test': {'provider': 'builtin', 'model': 'builtin',
                                            'base_url': 'http://localhost:11434/v1'},
        'POST /api/v1/ai/legal-texts': LEGAL_ENTRY,
        'PUT /api/v1/ai/legal-texts/{text_id}': {**LEGAL_ENTRY, 'code': 'code-civil-art-2'},
        'POST /api/crm/client': {'name': 'SARL Seed'},
        'POST /api/crm/case': {'client_id': ids['client_id'], 'title': 'Dossier seed'},
        'PATCH /api/crm/case/{case_id}': {'title': 'Dossier seed renommé'},
        'POST /api/crm/case/{case_id}/note': {'body': 'Note seed'},
    }


FILE_BODIES = {
    'POST /api/v1/clients/{client_id}/files': TEXT_FILE,
    'POST /api/v1/cases/{case_id}/files': TEXT_FILE,
    'POST /api/crm/case/{case_id}/file': TEXT_FILE,
    'POST /api/v1/ai/legal-texts/import': {'file': ('base.json', json.dumps([LEGAL_ENTRY]).encode(),
                                                    'application/json')},
}

# What an allowed role gets where the world cannot give success: no external LLM is configured in it.
ALLOWED_STATUS = {'GET /api/v1/cases/{case_id}/ai-preview': 409}

# Last, in this order: what removes rows that other operations need.
DESTRUCTIVE = [
    'DELETE /api/v1/ai/legal-texts/{text_id}', 'POST /api/v1/ai/legal-texts/import',
    'POST /api/v1/ai/legal-texts/reset', 'POST /api/v1/recommendations/generate',
    'DELETE /api/v1/files/{file_id}', 'DELETE /api/v1/contacts/{contact_id}',
    'DELETE /api/v1/interactions/{interaction_id}', 'DELETE /api/v1/sales/{sale_id}',
    'DELETE /api/v1/products/{product_id}', 'POST /api/v1/clients/{keep_id}/merge',
    'DELETE /api/v1/cases/{case_id}', 'DELETE /api/crm/case/{case_id}', 'DELETE /api/v1/pipeline/stages/{stage_id}',
    'POST /api/v1/clients/{client_id}/archive', 'DELETE /api/v1/clients/{client_id}',
]


def request_arguments(world: World, label: str, stage_ids: list[int]) -> dict:
    """The body of an operation's request, as keyword arguments of TestClient.request."""
    if label == 'POST /api/v1/auth/token':
        return {'data': {'username': world.admin_email, 'password': PASSWORD}}
    if label == 'PUT /api/v1/pipeline/stages/order':
        return {'json': {'ids': stage_ids}}
    if label in FILE_BODIES:
        return {'files': FILE_BODIES[label]}
    bodies = json_bodies(world)
    return {'json': bodies[label]} if label in bodies else {}


def walk_order(operation: Operation) -> tuple[int, int]:
    if operation.label in DESTRUCTIVE:
        return 2, DESTRUCTIVE.index(operation.label)
    return (0 if operation.method == 'get' else 1), 0
