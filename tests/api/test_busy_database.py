"""The API on SQLite while other users write: reads are served at once, and a write that cannot get its turn in
time is answered 503 with Retry-After — never a 500 «database is locked»."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import api
import db.engine
from db.models import Client
from tests.api.conftest import bearer
from tests.factories import PASSWORD, count_rows, make_tenant
from tests.services.test_sqlite_concurrency import writer_holding_the_lock


@pytest.fixture
def sqlite_client(sqlite_db) -> Iterator[TestClient]:
    app = FastAPI()
    api.install(app)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_reads_are_served_while_another_user_writes(sqlite_client, monkeypatch):
    admin = make_tenant()
    headers = bearer(sqlite_client, admin.email, PASSWORD)
    monkeypatch.setattr(db.engine, 'WRITE_WAIT_SECONDS', 0.5)  # a read that queued for the lock would fail
    with writer_holding_the_lock(admin), ThreadPoolExecutor(max_workers=25) as pool:
        paths = ['/api/v1/me', '/api/v1/clients'] * 25
        statuses = list(pool.map(lambda path: sqlite_client.get(path, headers=headers).status_code, paths))
    assert statuses == [200] * 50


def test_a_write_that_cannot_get_its_turn_gets_503_with_retry_after(sqlite_client, monkeypatch):
    admin = make_tenant()
    headers = bearer(sqlite_client, admin.email, PASSWORD) | {'Accept-Language': 'fr'}
    monkeypatch.setattr(db.engine, 'WRITE_WAIT_SECONDS', 0.3)
    with writer_holding_the_lock(admin):
        response = sqlite_client.post('/api/v1/clients', json={'name': 'Trop tôt'}, headers=headers)
    assert response.status_code == 503
    assert response.headers['Retry-After'] == '2'
    assert response.json()['code'] == 'error.busy' and 'réessayez' in response.json()['detail']
    assert count_rows(Client, tenant_id=admin.tenant_id, name='Trop tôt') == 0
    retried = sqlite_client.post('/api/v1/clients', json={'name': 'Trop tôt'}, headers=headers)
    assert retried.status_code == 201
