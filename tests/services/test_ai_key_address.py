"""The saved LLM API key goes only to the address it was typed for, and the settings refuse addresses the server must
not reach — on SQLite and PostgreSQL, against real local servers."""

import asyncio
from collections.abc import Iterator

import pytest

from db.session import session_scope
from services.ai import provider
from services.ai.provider import AiSettingsInput, key_must_be_retyped
from services.errors import Invalid
from settings import reload_settings
from tests.factories import make_tenant
from tests.fake_llm import FakeLlmServer, fake_llm_fixture  # noqa: F401 (the `fake_llm` fixture)

KEY = 'sk-typed-for-the-first-address'


async def _in_thread(function, *args):
    return await asyncio.to_thread(function, *args)


def _form(base_url: str, key: str | None = None, **changes) -> AiSettingsInput:
    return AiSettingsInput(**{'provider': 'openai', 'base_url': base_url, 'model': 'fake-model', 'api_key': key,
                              **changes})


def _check(admin, data: AiSettingsInput):
    return asyncio.run(provider.check_endpoint(admin, data, run_db=_in_thread))


def _save(admin, data: AiSettingsInput):
    with session_scope() as session:
        return provider.save_ai_settings(session, admin, data)


def test_a_changed_address_must_come_with_its_key_typed_again(db, fake_llm):
    admin = make_tenant()
    _save(admin, _form(fake_llm.base_url, KEY))
    with FakeLlmServer() as elsewhere:
        with pytest.raises(Invalid) as tested:
            _check(admin, _form(elsewhere.base_url))
        with pytest.raises(Invalid) as saved:
            _save(admin, _form(elsewhere.base_url))
        assert elsewhere.requests == []

        assert _check(admin, _form(elsewhere.base_url, 'sk-for-elsewhere')).ok
        assert elsewhere.requests[0]['headers']['authorization'] == 'Bearer sk-for-elsewhere'
    for problem in (tested.value, saved.value):
        assert (problem.key, problem.field) == ('error.ai_key_retype', 'api_key')
    assert _check(admin, _form(fake_llm.base_url + '/')).ok  # the same address: the saved key goes
    assert fake_llm.requests[-1]['headers']['authorization'] == f'Bearer {KEY}'
    with session_scope() as session:
        assert provider.get_ai_settings(session, admin).base_url == fake_llm.base_url


def test_leaving_the_llm_keeps_nothing_that_could_follow_a_new_address(db, fake_llm):
    admin = make_tenant()
    _save(admin, _form(fake_llm.base_url, KEY))

    _save(admin, AiSettingsInput(provider='builtin'))  # the API's default: no address
    with FakeLlmServer() as elsewhere, pytest.raises(Invalid):
        _save(admin, _form(elsewhere.base_url))


@pytest.mark.parametrize(('saved', 'new', 'retype'), [
    ('http://h:8000/v1', 'http://h:8000/v2', False),
    ('http://h/v1', 'http://H:80/v1', False),
    ('https://api.mistral.ai/v1', 'https://api.mistral.ai:443/v1/', False),
    ('https://api.mistral.ai/v1', 'http://api.mistral.ai/v1', True),
    ('http://h:8000/v1', 'http://h:8001/v1', True),
    ('http://h:8000/v1', 'http://h.evil.dz:8000/v1', True),
    ('', 'http://h:8000/v1', True),
    ('http://h:8000/v1', '', False),
])
def test_which_changes_need_the_key_again(saved, new, retype):
    assert key_must_be_retyped(saved, new) is retype


@pytest.fixture
def no_allow_list(monkeypatch) -> Iterator[None]:
    monkeypatch.setenv('CRM_OUTGOING_ALLOWED_HOSTS', '')
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


@pytest.mark.parametrize('url', ['http://127.0.0.1:11434/v1', 'http://169.254.169.254/latest', 'http://[::1]:8000/v1',
                                 'http://10.1.2.3/v1'])
def test_a_local_address_is_refused_on_the_address_field_unless_allowed(db, no_allow_list, url):
    admin = make_tenant()

    with pytest.raises(Invalid) as caught:
        _save(admin, _form(url, KEY))

    assert (caught.value.key, caught.value.field) == ('error.ai_refused_address', 'base_url')
    with session_scope() as session:
        assert provider.get_ai_settings(session, admin).version == 0


def test_a_name_that_resolves_to_a_local_address_fails_the_test_without_a_connection(db, no_allow_list, fake_llm):
    admin = make_tenant()
    port = fake_llm.base_url.rsplit(':', 1)[1]

    check = _check(admin, _form(f'http://localhost:{port}', KEY))

    assert (check.ok, check.detail) == (False, 'ai.llm_refused_address')
    assert fake_llm.requests == []


@pytest.mark.parametrize('url', ['http://127.0.0.1:11434/v1?key=sk-in-the-url', 'http://127.0.0.1:11434/v1#sk',
                                 'http://user:sk-secret@127.0.0.1:11434/v1', 'ftp://127.0.0.1/v1'])
def test_an_address_that_could_carry_a_secret_is_refused(db, url):
    admin = make_tenant()

    with pytest.raises(Invalid) as caught:
        _save(admin, _form(url))

    assert (caught.value.key, caught.value.field) == ('error.ai_base_url', 'base_url')
