"""Application configuration, read from `CRM_*` environment variables and an optional `.env` file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = 'change-me-insecure-development-key'


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix='CRM_', env_file='.env', extra='ignore')

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
    timezone: str = 'Africa/Algiers'
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

    @field_validator('timezone')
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f'unknown time zone {name!r} (e.g. Africa/Algiers, Europe/Paris)') from error
        return name

    @model_validator(mode='after')
    def _refuse_insecure_production(self) -> 'Settings':
        if self.environment == 'production' and self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError('CRM_SECRET_KEY must be set to a private random value in production')
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
