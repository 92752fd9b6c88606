from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import api


@pytest.fixture
def client(db) -> Iterator[TestClient]:
    """The REST API on a bare FastAPI app, over the parametrised database (SQLite and PostgreSQL)."""
    app = FastAPI()
    api.install(app)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(client: TestClient, email: str, password: str) -> dict[str, str]:
    response = client.post('/api/v1/auth/token', data={'username': email, 'password': password})
    assert response.status_code == 200, response.text
    return {'Authorization': f'Bearer {response.json()["access_token"]}'}
