"""A tenant's analysis provider: the built-in analyzer (default) or an OpenAI-compatible endpoint.

The API key is stored encrypted (services/encryption.py) and never read back: the settings say only whether one is
set. It is sent only to the scheme, host and port it was typed for: changing the address means typing it again.
Pseudonymisation (Loi 18-07) is on by default; turning it off is an admin's explicit, audited choice."""

from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session

from db.models import AiSettings, AuditAction
from db.session import session_scope
from services import audit, encryption, outgoing
from services.actor import Actor, require_admin
from services.ai.llm import HTTP_ERROR, LlmConfig, LlmError, test_connection
from services.errors import Conflict, Invalid

Provider = Literal['builtin', 'openai']
MAX_API_KEY_LENGTH = encryption.max_clear_length(400)  # what fits the `ai_settings.api_key` column once encrypted


class AiSettingsInput(BaseModel):
    provider: Provider = 'builtin'
    base_url: str = Field(default='', max_length=300)
    model: str = Field(default='', max_length=120)
    api_key: str | None = Field(default=None, max_length=MAX_API_KEY_LENGTH,
                                description='None keeps the saved key (only while the address keeps its scheme, '
                                            'host and port); "" clears it. Printable ASCII, no spaces.')
    timeout_seconds: int = Field(default=30, ge=1, le=300)
    pseudonymize: bool = True

    @field_validator('api_key')
    @classmethod
    def _printable_key(cls, key: str | None) -> str | None:
        if key is None:
            return None
        key = key.strip()
        if not all('!' <= character <= '~' for character in key):  # it goes in an HTTP header
            raise ValueError('an API key is printable ASCII without spaces')
        return key


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
    """An http(s) URL to a host the server may call; no query or fragment (a key there would be shown and logged)."""
    url = url.strip().rstrip('/')
    try:
        outgoing.check_url(url)
    except outgoing.OutgoingError as error:
        key = 'error.ai_refused_address' if error.reason == outgoing.REFUSED_ADDRESS else 'error.ai_base_url'
        raise Invalid(key, field='base_url') from None
    if '?' in url or '#' in url:
        raise Invalid('error.ai_base_url', field='base_url')
    return url


def _checked(data: AiSettingsInput) -> AiSettingsInput:
    if data.provider == 'builtin':
        return data
    model = data.model.strip()
    if not model:
        raise Invalid('error.ai_model_required', field='model')
    return data.model_copy(update={'base_url': _valid_url(data.base_url), 'model': model})


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or '').rstrip('.'), port or {'http': 80, 'https': 443}.get(scheme)


def key_must_be_retyped(saved_url: str, new_url: str) -> bool:
    """A saved key goes only to the scheme, host and port it was typed for; a path change keeps it."""
    return bool(new_url.strip()) and _origin(saved_url) != _origin(new_url)


def _refuse_key_elsewhere(row: AiSettings, data: AiSettingsInput) -> None:
    if data.api_key is None and row.api_key and key_must_be_retyped(row.base_url, data.base_url):
        raise Invalid('error.ai_key_retype', field='api_key')


def save_ai_settings(session: Session, actor: Actor, data: AiSettingsInput,
                     expected_version: int | None = None) -> AiSettingsRead:
    require_admin(actor)
    data = _checked(data)
    row = _row(session, actor.tenant_id)
    if expected_version is not None and expected_version != row.version:
        raise Conflict('error.stale_version')
    _refuse_key_elsewhere(row, data)
    before = _read(row).model_dump(exclude={'version'})
    for name in ('provider', 'base_url', 'model', 'timeout_seconds', 'pseudonymize'):
        setattr(row, name, getattr(data, name))
    if data.api_key is not None:
        row.api_key = encryption.seal(data.api_key)
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
    try:
        key, unreadable = encryption.reveal(row.api_key), False
    except encryption.UnreadableSecret:
        key, unreadable = '', True  # the analysis falls back to the built-in one and says why
    return LlmConfig(base_url=row.base_url, model=row.model, api_key=key, timeout_seconds=row.timeout_seconds,
                     key_unreadable=unreadable), row.pseudonymize


def connection_config(session: Session, actor: Actor, data: AiSettingsInput) -> LlmConfig:
    """The endpoint described by a form not yet saved (its key, when left empty, is the saved one: only for the
    address the key was saved with)."""
    require_admin(actor)
    data = _checked(data.model_copy(update={'provider': 'openai'}))
    key = data.api_key
    if key is None:
        row = _row(session, actor.tenant_id)
        _refuse_key_elsewhere(row, data)
        try:
            key = encryption.reveal(row.api_key)
        except encryption.UnreadableSecret:
            raise Invalid('error.ai_key_unreadable', field='api_key') from None
    return LlmConfig(base_url=data.base_url, model=data.model, api_key=key, timeout_seconds=data.timeout_seconds)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    detail: str  # «model, 240 ms» when ok; otherwise the reason, a translation key (`ai.llm_*`)
    params: dict[str, Any] = field(default_factory=dict)  # for `reason_key`: the HTTP status of a refusal

    @property
    def reason_key(self) -> str:
        """The failure in words: `ai.llm_http_status` («réponse refusée (HTTP 401)») or the reason itself."""
        return 'ai.llm_http_status' if self.detail == HTTP_ERROR and 'status' in self.params else self.detail


def check_connection(config: LlmConfig) -> ConnectionCheck:
    """Ask the endpoint a tiny question (no session held meanwhile; run it in the outgoing pool)."""
    try:
        return ConnectionCheck(True, test_connection(config))
    except LlmError as error:
        return ConnectionCheck(False, error.reason, {'status': error.status} if error.status else {})


def _connection_config_now(actor: Actor, data: AiSettingsInput) -> LlmConfig:
    with session_scope() as session:
        return connection_config(session, actor, data)


async def check_endpoint(actor: Actor, data: AiSettingsInput, *, run_db: outgoing.ThreadRunner) -> ConnectionCheck:
    """Try an endpoint as typed: its settings checked in a unit of work (in the caller's threads), the question
    asked in the outgoing pool (`Busy` when it is full), no transaction open meanwhile."""
    config = await run_db(_connection_config_now, actor, data)
    return await outgoing.run_async(check_connection, config)
