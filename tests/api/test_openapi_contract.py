"""Schemathesis over the API's own OpenAPI description, with each role's token and with none: no answer may be a
server error, and every answer must be one the description lists, with its content type and body schema.

Bounded so that it takes a few minutes on two cores: the admin, who passes every role check and so reaches the
services and the database, gets schemathesis's coverage phase (boundary and invalid values of every parameter and
field) and its fuzzing, on SQLite and on PostgreSQL; the other roles and the anonymous caller, whose answers differ
in their 401/403 only, get a few fuzzed examples per operation on SQLite. Generation is derandomized with a fixed seed,
so a run repeats the previous one.
"""

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.specs.openapi import checks as openapi_checks

import api
from db.models import Role
from tests import conftest as root
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_case, make_tenant, make_user

CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]
GENERATION = {'deterministic': True, 'database': 'none', 'allow-x00': True}  # NUL too: refused with a 422

app = FastAPI()
api.install(app)


def _schema(*, max_examples: int, coverage: bool):
    config = schemathesis.Config.from_dict({
        'seed': 13, 'generation': {**GENERATION, 'max-examples': max_examples},
        'phases': {'coverage': {'enabled': coverage, 'unexpected-methods': []}},
    })
    return schemathesis.openapi.from_asgi('/openapi.json', app, config=config)


thorough = _schema(max_examples=5, coverage=True)
light = _schema(max_examples=3, coverage=False)


@pytest.fixture(scope='module', params=['sqlite', 'postgresql'])
def database(request):
    """One tenant for the whole module on each database (the world is never emptied between operations)."""
    url = root.SQLITE_URL if request.param == 'sqlite' else request.getfixturevalue('postgres_url')
    root._fresh(url)
    return request.param


@pytest.fixture(scope='module')
def tokens(database) -> dict[str, dict[str, str]]:
    admin = make_tenant()
    make_case(admin)
    headers = {'anonymous': {}}
    with TestClient(app) as client:
        headers['admin'] = bearer(client, admin.email, PASSWORD)
        for role in (Role.MANAGER, Role.AGENT, Role.VIEWER):
            headers[role.value] = bearer(client, make_user(admin, role=role).email, PASSWORD)
    return headers


@thorough.parametrize()
def test_the_admin_gets_only_described_answers(case, tokens):
    case.call_and_validate(headers=tokens['admin'], checks=CHECKS)


@pytest.mark.parametrize('database', ['sqlite'], indirect=True)  # their answers do not depend on the database
@pytest.mark.parametrize('role', ['manager', 'agent', 'viewer', 'anonymous'])
@light.parametrize()
def test_every_other_caller_gets_only_described_answers(case, role, tokens):
    case.call_and_validate(headers=tokens[role], checks=CHECKS)
