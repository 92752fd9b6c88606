"""A tenant's analysis provider: the built-in analyzer (default) or an OpenAI-compatible endpoint.

The API key is never read back: the settings say only whether one is set. Pseudonymisation (Loi 18-07) is on by
default; turning it off is an admin's explicit, audited choice."""

from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from db.models import AiSettings, AuditAction
from services import audit
from services.actor import Actor, require_admin
from services.ai.llm import LlmConfig, LlmError, test_connection
from services.errors import Conflict, Invalid

Provider = Literal['builtin', 'openai']


class AiSettingsInput(BaseModel):
    provider: Provider = 'builtin'
    base_url: str = Field(default='', max_length=300)
    model: str = Field(default='', max_length=120)
    api_key: str | None = Field(default=None, max_length=400, description='None keeps the saved key; "" clears it.')
    timeout_seconds: int = Field(default=30, ge=1, le=300)
    pseudonymize: bool = True


class AiSettingsRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    provider: Provider
    base_url: str
    model: str
    has_api_key: bool
    timeout_seconds: int
    pseudonymize: bool
    version: int


def _row(session: Session, tenant_id: int) -> AiSettings:
    return session.get(AiSettings, tenant_id) or AiSettings(tenant_id=tenant_id, version=0)


def _read(row: AiSettings) -> AiSettingsRead:
    return AiSettingsRead(provider=row.provider, base_url=row.base_url, model=row.model, has_api_key=bool(row.api_key),
                          timeout_seconds=row.timeout_seconds, pseudonymize=row.pseudonymize, version=row.version)


def get_ai_settings(session: Session, actor: Actor) -> AiSettingsRead:
    return _read(_row(session, actor.tenant_id))


def _valid_url(url: str) -> str:
    url = url.strip().rstrip('/')
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise Invalid('error.ai_base_url', field='base_url')
    return url


def _checked(data: AiSettingsInput) -> AiSettingsInput:
    if data.provider == 'builtin':
        return data
    model = data.model.strip()
    if not model:
        raise Invalid('error.ai_model_required', field='model')
    return data.model_copy(update={'base_url': _valid_url(data.base_url), 'model': model})


def save_ai_settings(session: Session, actor: Actor, data: AiSettingsInput,
                     expected_version: int | None = None) -> AiSettingsRead:
    require_admin(actor)
    data = _checked(data)
    row = _row(session, actor.tenant_id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict('error.stale_version')
    before = _read(row).model_dump(exclude={'version'})
    for name in ('provider', 'base_url', 'model', 'timeout_seconds', 'pseudonymize'):
        setattr(row, name, getattr(data, name))
    if data.api_key is not None:
        row.api_key = data.api_key.strip()
    row.version += 1
    session.add(row)
    session.flush()
    after = _read(row).model_dump(exclude={'version'})
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='ai_settings',
                 entity_id=None, changes=audit.diff(before, after))
    return _read(row)


def llm_config(session: Session, tenant_id: int) -> tuple[LlmConfig | None, bool]:
    """The endpoint to ask, or None for the built-in analyzer; and whether to pseudonymise."""
    row = session.get(AiSettings, tenant_id)
    if row is None or row.provider != 'openai':
        return None, True
    return LlmConfig(base_url=row.base_url, model=row.model, api_key=row.api_key,
                     timeout_seconds=row.timeout_seconds), row.pseudonymize


def connection_config(session: Session, actor: Actor, data: AiSettingsInput) -> LlmConfig:
    """The endpoint described by a form not yet saved (its key, when left empty, is the saved one)."""
    require_admin(actor)
    data = _checked(data.model_copy(update={'provider': 'openai'}))
    key = data.api_key if data.api_key is not None else _row(session, actor.tenant_id).api_key
    return LlmConfig(base_url=data.base_url, model=data.model, api_key=key or '', timeout_seconds=data.timeout_seconds)


def check_connection(config: LlmConfig) -> tuple[bool, str]:
    """Ask the endpoint a tiny question (no session held meanwhile): (ok, detail or error key)."""
    try:
        return True, test_connection(config)
    except LlmError as error:
        return False, error.reason
