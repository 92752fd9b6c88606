"""Every operation of the OpenAPI description, called with each role's token (and none) on rows of the admin's, answers
as the permission table of api/permissions.py says: 403 for a refused role, success for an allowed one — so a service
that forgets a role check (the «analyse all» cancel did) fails here. On SQLite and PostgreSQL."""

import pytest
from fastapi import FastAPI

import api
from api.permissions import ACCESS, Access
from db.models import Role
from tests.api.api_world import build_world
from tests.api.openapi_walk import operations
from tests.api.permission_requests import ALLOWED_STATUS, request_arguments, walk_order

UNSIGNED = {'POST /api/v1/webhooks/external-interaction'}  # no token ever: a signature (test_webhooks_api)


def test_the_table_names_every_operation_once_and_the_description_shows_it():
    app = FastAPI()
    api.install(app)
    described = list(operations(app.openapi()))
    labels = [operation.label for operation in described]
    assert sorted(set(labels) - set(ACCESS)) == []  # a new route: say in api/permissions.py who may call it
    assert sorted(set(ACCESS) - set(labels)) == []
    for operation in described:
        access = ACCESS[operation.label]
        restricted = access not in (Access.PUBLIC, Access.MEMBERS)
        assert ('403' in operation.spec['responses']) == restricted, operation.label
        if operation.path != '/healthz':
            assert operation.spec['description'].endswith(f'**Who may call it:** {access.description}')


def _expected(access: Access, role: str) -> str:
    if access is Access.PUBLIC:
        return 'public'
    if role == 'anonymous':
        return 'unauthorized'
    return 'allowed' if Role(role) in access.roles else 'forbidden'


def _wrong(label: str, status: int, expected: str) -> bool:
    if expected == 'allowed' and label in ALLOWED_STATUS:
        return status != ALLOWED_STATUS[label]
    return {'unauthorized': status != 401, 'forbidden': status != 403, 'allowed': status >= 400}.get(expected, False)


@pytest.mark.parametrize('role', ['admin', 'manager', 'agent', 'viewer', 'anonymous'])
def test_each_role_gets_what_the_table_says(client, role):
    world = build_world(client)
    admin = world.headers['admin']
    wrong = []
    for operation in sorted(operations(client.get('/openapi.json').json()), key=walk_order):
        if operation.label in UNSIGNED:
            continue
        stage_ids = [stage['id'] for stage in client.get('/api/v1/pipeline/stages', headers=admin).json()]
        response = client.request(operation.method, world.url(operation.label), headers=world.headers[role],
                                  **request_arguments(world, operation.label, stage_ids))
        expected = _expected(ACCESS[operation.label], role)
        if _wrong(operation.label, response.status_code, expected):
            wrong.append(f'{operation.label}: {expected}, got {response.status_code} {response.text[:200]}')
    assert wrong == []
