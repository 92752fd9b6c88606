"""Application configuration, read from `CRM_*` environment variables and an optional `.env` file."""

import base64
import binascii
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = 'change-me-insecure-development-key'


class Settings(BaseSettings):
    # hide_input_in_errors: a refused value (a secret key, say) is never echoed in the startup error.
    model_config = SettingsConfigDict(env_prefix='CRM_', env_file='.env', extra='ignore', hide_input_in_errors=True)

    environment: Literal['development', 'production'] = 'development'
    database_url: str = 'sqlite:///./data/crm.db'
    host: str = '127.0.0.1'
    port: int = 8080
    data_dir: Path = Path('./data')
    secret_key: str = DEFAULT_SECRET_KEY
    demo_data: bool = True
    demo_clients: int = 200
    tenant_name: str = 'Démo'
    admin_email: str = 'admin@demo.dz'
    admin_password: str | None = None
    language: Literal['fr', 'en'] = 'fr'
    token_expiry_hours: int = 24
    login_max_failures: int = 10
    login_lockout_minutes: int = 15
    max_upload_mb: int = 25
    max_json_kb: int = 1024  # JSON and form bodies (file uploads have max_upload_mb)
    timezone: str = 'Africa/Algiers'
    # Proxies (addresses or networks, comma-separated) whose X-Forwarded-* headers are believed; nobody's by default.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    # Origins allowed to show the app in a frame besides itself (the firm's intranet portal), comma-separated.
    frame_ancestors: Annotated[list[str], NoDecode] = []
    # Outgoing calls (services/outgoing.py): hosts or networks on private, loopback or link-local addresses that
    # may be called anyway (an intranet LLM), e.g. `llm.intranet,10.20.0.0/16,127.0.0.1`; threads for them.
    outgoing_allowed_hosts: Annotated[list[str], NoDecode] = []
    outgoing_connect_timeout: float = 5.0
    outgoing_workers: int = 8
    # Secrets at rest (services/encryption.py): Fernet keys, comma-separated; the first encrypts, all decrypt.
    secrets_keys: Annotated[list[str], NoDecode] = []
    # Sign-in hardening: failed sign-ins allowed per source address in a sliding window, then 429 / a pause.
    login_address_max_failures: int = Field(default=10, ge=1)
    login_address_window_minutes: int = Field(default=5, ge=1)
    # The session cookie's Secure flag; unset: on in production, off in development (plain http://localhost).
    cookie_secure: bool | None = None

    @field_validator('database_url')
    @classmethod
    def _normalise_postgres_driver(cls, url: str) -> str:
        for prefix in ('postgres://', 'postgresql://'):
            if url.startswith(prefix):
                return 'postgresql+psycopg://' + url[len(prefix):]
        return url

    @field_validator('trusted_proxies', mode='before')
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(',') if part.strip()]
        if isinstance(value, list):
            import ipaddress

            for entry in value:
                try:
                    ipaddress.ip_network(str(entry), strict=False)
                except ValueError as error:
                    raise ValueError(f'not an address or network: {entry!r} (e.g. 127.0.0.1, 10.0.0.0/8)') from error
        return value

    @field_validator('frame_ancestors', mode='before')
    @classmethod
    def _split_origins(cls, value: object) -> object:
        import re

        if isinstance(value, str):
            value = [part.strip().rstrip('/') for part in value.split(',') if part.strip()]
        for origin in value if isinstance(value, list) else []:
            if not re.fullmatch(r'https?://[A-Za-z0-9.-]+(:\d{1,5})?', str(origin)):
                raise ValueError(f'not an origin: {origin!r} (e.g. https://intranet.example.dz)')
        return value

    @field_validator('timezone')
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f'unknown time zone {name!r} (e.g. Africa/Algiers, Europe/Paris)') from error
        return name

    @field_validator('outgoing_allowed_hosts', 'secrets_keys', mode='before')
    @classmethod
    def _split_list(cls, value: object) -> object:
        """`a,b c` or a JSON list, from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith('['):
                return json.loads(text)
            return [part for part in text.replace(',', ' ').split() if part]
        return value

    @field_validator('outgoing_allowed_hosts')
    @classmethod
    def _valid_hosts(cls, hosts: list[str]) -> list[str]:
        from ipaddress import ip_network

        cleaned = [host.strip().lower().rstrip('.') for host in hosts if host.strip()]
        for host in cleaned:
            try:
                ip_network(host, strict=False)
            except ValueError:
                if not re.fullmatch(r'(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*', host):
                    raise ValueError(f'CRM_OUTGOING_ALLOWED_HOSTS: {host!r} is neither a host name (or *.domain) '
                                     'nor an address or network') from None
        return cleaned

    @field_validator('outgoing_connect_timeout')
    @classmethod
    def _positive_timeout(cls, seconds: float) -> float:
        if not 0 < seconds <= 120:
            raise ValueError('CRM_OUTGOING_CONNECT_TIMEOUT must be between 0 and 120 seconds')
        return seconds

    @field_validator('outgoing_workers')
    @classmethod
    def _positive_workers(cls, workers: int) -> int:
        if not 1 <= workers <= 256:
            raise ValueError('CRM_OUTGOING_WORKERS must be between 1 and 256')
        return workers

    @field_validator('secrets_keys')
    @classmethod
    def _fernet_keys(cls, keys: list[str]) -> list[str]:
        for position, key in enumerate(keys, start=1):
            try:
                valid = len(base64.urlsafe_b64decode(key.encode('ascii'))) == 32
            except (binascii.Error, UnicodeEncodeError, ValueError):
                valid = False
            if not valid:  # the key itself is never echoed
                raise ValueError(f'CRM_SECRETS_KEYS: key number {position} is not a Fernet key (32 url-safe base64 '
                                 'bytes; `crm secrets-key` prints a new one)')
        return keys

    @model_validator(mode='after')
    def _refuse_insecure_production(self) -> 'Settings':
        if self.environment == 'production' and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError('CRM_SECRET_KEY must be set to a private random value in production')
        if self.environment == 'production' and not self.secrets_keys:
            raise ValueError('CRM_SECRETS_KEYS must be set in production (`crm secrets-key` prints a new key)')
        return self

    @property
    def session_cookie_secure(self) -> bool:
        return self.environment == 'production' if self.cookie_secure is None else self.cookie_secure

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith('sqlite')


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reload_settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()
