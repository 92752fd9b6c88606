"""A slow LLM stalls nobody: analyses wait on the model in the outgoing pool, not in the threads every request
needs; past the pool's size they are told «busy» (503, Retry-After) at once — on SQLite and PostgreSQL, against a
real local server that hangs."""

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import api
from db.session import session_scope
from services import outgoing
from services.ai import provider
from services.ai.provider import AiSettingsInput
from settings import reload_settings
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_case, make_tenant
from tests.fake_llm import fake_llm_fixture  # noqa: F401 (the `fake_llm` fixture)

WORKERS = 4
ANALYSES = 45  # more than the 40 threads that Starlette runs every synchronous handler and dependency in
PATIENCE = 30.0


@pytest.fixture
def small_pool(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv('CRM_OUTGOING_WORKERS', str(WORKERS))
    reload_settings()
    outgoing.reset_pool()
    yield
    monkeypatch.undo()
    reload_settings()
    outgoing.reset_pool()


@pytest.fixture
def app_client(db) -> Iterator[TestClient]:
    """The REST API on a bare app, like tests/api/conftest.py's `client`, but where a 503 is expected."""
    app = FastAPI()
    api.install(app)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _wait_until(check, seconds: float = PATIENCE) -> None:
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_hanging_llm_leaves_other_requests_answered_and_extra_analyses_are_told_busy(app_client, small_pool,
                                                                                    fake_llm):
    admin = make_tenant()
    case = make_case(admin, description='Litige sur un bail commercial.')
    with session_scope() as session:
        provider.save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=fake_llm.base_url,
                                                                  model='fake-model', timeout_seconds=60))
    headers = bearer(app_client, admin.email, PASSWORD)
    path = f'/api/v1/cases/{case.id}/ai-analyze'
    assert app_client.post(path, headers=headers).json()['provider'] == 'llm'  # warm: the legal index is built
    fake_llm.requests.clear()
    fake_llm.mode, fake_llm.slow_seconds = 'slow', 60
    answers: list = []

    def analyse() -> None:
        answers.append(app_client.post(path, headers=headers))

    threads = [threading.Thread(target=analyse, daemon=True) for _ in range(ANALYSES)]
    for thread in threads:
        thread.start()
    try:
        _wait_until(lambda: len(fake_llm.requests) >= WORKERS and len(answers) >= ANALYSES - WORKERS)
        started = time.perf_counter()
        me = app_client.get('/api/v1/me', headers=headers)
        waited = time.perf_counter() - started
        busy = list(answers)
    finally:
        fake_llm.release()
        for thread in threads:
            thread.join(timeout=PATIENCE)

    assert me.status_code == 200 and waited < 2, f'/api/v1/me took {waited:.1f} s while the model hung'
    assert len(fake_llm.requests) == WORKERS  # never more calls in flight than the pool's threads
    assert len(busy) == ANALYSES - WORKERS
    assert {answer.status_code for answer in busy} == {503}
    assert {answer.headers['retry-after'] for answer in busy} == {str(outgoing.RETRY_AFTER_SECONDS)}
    assert {answer.json()['code'] for answer in busy} == {'error.outgoing_busy'}
    assert 'réessayez' in busy[0].json()['detail']
    done = [answer for answer in answers if answer.status_code == 200]
    assert len(done) == WORKERS and all(answer.json()['provider'] == 'llm' for answer in done)
