from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import api
from settings import reload_settings


@pytest.fixture
def client(db) -> Iterator[TestClient]:
    """The REST API on a bare FastAPI app, over the parametrised database (SQLite and PostgreSQL).
    No request may end in a 5xx: the app answers 500 instead of raising, and the test fails on it."""
    app = FastAPI()
    api.install(app)
    failures: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.event_hooks['response'].append(
            lambda response: failures.append(f'{response.request.method} {response.request.url}')
            if response.status_code >= 500 else None)
        yield test_client
    assert failures == []


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Iterator:
    """Files of this test only, under a fresh CRM_DATA_DIR."""
    monkeypatch.setenv('CRM_DATA_DIR', str(tmp_path))
    reload_settings()
    yield tmp_path
    monkeypatch.undo()
    reload_settings()


def bearer(client: TestClient, email: str, password: str) -> dict[str, str]:
    response = client.post('/api/v1/auth/token', data={'username': email, 'password': password})
    assert response.status_code == 200, response.text
    return {'Authorization': f'Bearer {response.json()["access_token"]}'}
