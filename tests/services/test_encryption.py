"""Secrets at rest (services/encryption.py): the LLM API key is stored encrypted, clear values from before are
encrypted at start, keys rotate, and a value no configured key opens gives a translated error — on SQLite and
PostgreSQL."""

from collections.abc import Callable, Iterator

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from cli import run
from db.session import session_scope
from services import encryption
from services.ai import analyses, provider
from services.ai.provider import MAX_API_KEY_LENGTH, AiSettingsInput
from services.errors import Invalid
from settings import Settings, reload_settings
from tests.ai_cases import build
from tests.factories import make_tenant
from tests.fake_llm import fake_llm_fixture  # noqa: F401 (the `fake_llm` fixture)
from tests.services.test_ai_service import OVERDUE
from ui.i18n import translate

KEY = 'sk-proj-Very-Secret-0123456789'
OLD, NEW, STRANGER = encryption.new_key(), encryption.new_key(), encryption.new_key()


@pytest.fixture
def keys(monkeypatch) -> Iterator[Callable[..., None]]:
    """`keys(A, B)`: CRM_SECRETS_KEYS is now `A,B` (A encrypts)."""

    def configure(*values: str) -> None:
        monkeypatch.setenv('CRM_SECRETS_KEYS', ','.join(values))
        reload_settings()

    yield configure
    monkeypatch.undo()
    reload_settings()


def _stored(tenant_id: int) -> str:
    with session_scope() as session:
        return session.execute(text('SELECT api_key FROM ai_settings WHERE tenant_id = :id'), {'id': tenant_id}) \
            .scalar_one()


def _save(admin, base_url: str = 'http://127.0.0.1:11434/v1', key: str | None = KEY):
    with session_scope() as session:
        return provider.save_ai_settings(session, admin, AiSettingsInput(provider='openai', base_url=base_url,
                                                                         model='llama3', api_key=key))


def _key_in_use(admin) -> str:
    with session_scope() as session:
        config, _ = provider.llm_config(session, admin.tenant_id)
    assert not config.key_unreadable
    return config.api_key


def test_the_row_holds_no_clear_key_and_the_api_key_is_never_read_back(db, keys):
    keys(OLD)
    admin = make_tenant()

    saved = _save(admin)

    stored = _stored(admin.tenant_id)
    assert stored.startswith('enc:') and KEY not in stored and 'Secret' not in stored
    assert KEY not in saved.model_dump_json() and saved.has_api_key
    assert _key_in_use(admin) == KEY


def test_the_longest_key_accepted_fits_its_column_once_encrypted(db, keys):
    keys(OLD)
    admin = make_tenant()
    longest = 'k' * MAX_API_KEY_LENGTH

    _save(admin, key=longest)  # PostgreSQL would refuse a value longer than VARCHAR(400)

    assert len(_stored(admin.tenant_id)) <= 400 and _key_in_use(admin) == longest
    with pytest.raises(ValidationError):
        AiSettingsInput(api_key=longest + 'k')
    with pytest.raises(ValidationError):
        AiSettingsInput(api_key='sk-with space')


def test_keys_rotate(db, keys, capsys):
    keys(OLD)
    admin = make_tenant()
    _save(admin)
    before = _stored(admin.tenant_id)

    keys(NEW, OLD)
    assert _key_in_use(admin) == KEY  # the old key still decrypts
    assert run(['rotate-secrets']) == 0
    assert '1 secret(s) re-encrypted' in capsys.readouterr().out

    assert _stored(admin.tenant_id) != before
    keys(NEW)  # the old key removed
    assert _key_in_use(admin) == KEY


def test_a_value_no_configured_key_opens_gives_a_clear_error_not_a_crash(db, keys, fake_llm, capsys):
    keys(OLD)
    admin = make_tenant()
    case = build(admin, OVERDUE)
    _save(admin, base_url=fake_llm.base_url)
    keys(STRANGER)

    with session_scope() as session, pytest.raises(Invalid) as caught:
        provider.connection_config(session, admin, AiSettingsInput(provider='openai', base_url=fake_llm.base_url,
                                                                    model='llama3'))
    analysis = analyses.run_analysis(admin, case.id, 'fr')

    assert (caught.value.key, caught.value.field) == ('error.ai_key_unreadable', 'api_key')
    assert 'déchiffrée' in translate(caught.value.key, 'fr') and 'decrypted' in translate(caught.value.key, 'en')
    assert (analysis.provider, analysis.fallback_reason) == ('builtin', 'ai.llm_key_unreadable')
    assert 'saisir à nouveau' in translate(analysis.fallback_reason, 'fr')
    assert fake_llm.requests == []
    assert run(['rotate-secrets']) == 2
    assert 'cannot be decrypted' in capsys.readouterr().err
    _save(admin, base_url=fake_llm.base_url, key='sk-typed-again')  # typing it again mends it
    assert _key_in_use(admin) == 'sk-typed-again'


def test_clear_keys_saved_before_encryption_are_read_then_encrypted_at_start(db, keys):
    keys(OLD)
    admin = make_tenant()
    _save(admin)
    with session_scope() as session:
        session.execute(text("UPDATE ai_settings SET api_key = 'sk-from-last-year' WHERE tenant_id = :id"),
                        {'id': admin.tenant_id})
    assert _key_in_use(admin) == 'sk-from-last-year'

    with session_scope() as session:
        first = encryption.seal_stored_secrets(session)
    with session_scope() as session:
        second = encryption.seal_stored_secrets(session)

    assert (first.encrypted, second.encrypted) == (1, 0)
    assert _stored(admin.tenant_id).startswith('enc:') and 'last-year' not in _stored(admin.tenant_id)
    assert _key_in_use(admin) == 'sk-from-last-year'


def test_production_needs_explicit_secrets_keys_and_a_bad_key_is_not_echoed():
    with pytest.raises(ValidationError) as missing:
        Settings(environment='production', secret_key='s' * 48, secrets_keys=[])
    with pytest.raises(ValidationError) as malformed:
        Settings(secrets_keys='not-a-fernet-key-but-a-secret')

    assert 'CRM_SECRETS_KEYS must be set in production' in str(missing.value)
    assert 'not a Fernet key' in str(malformed.value) and 'not-a-fernet-key' not in str(malformed.value)
    assert Settings(environment='production', secret_key='s' * 48, secrets_keys=f'{NEW},{OLD}').secrets_keys == \
        [NEW, OLD]
