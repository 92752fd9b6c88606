from datetime import datetime
from typing import ClassVar

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from db.models.base import TenantOwned, Timestamped, Versioned, utcnow
from db.models.enums import Role
from db.models.types import UTCDateTime


class Tenant(Timestamped, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    currency: str = Field(default='DZD', max_length=3)
    is_active: bool = Field(default=True)
    webhook_secret: str | None = Field(default=None, max_length=400)  # sealed: services.encryption


class User(TenantOwned, Timestamped, Versioned, table=True):
    # AUTOINCREMENT: SQLite never hands a deleted user's id to a new one (PostgreSQL's sequences never do).
    __table_args__: ClassVar[dict] = {'sqlite_autoincrement': True}

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    full_name: str = Field(default='', max_length=120)
    password_hash: str = Field(max_length=255)
    role: Role = Field(default=Role.AGENT, sa_type=String(16))
    is_active: bool = Field(default=True)
    language: str | None = Field(default=None, max_length=5)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Named in every API token and browser session; raised to end them all at once (password, role, activation).
    session_version: int = Field(default=1, sa_column_kwargs={'server_default': '1'})


class SignInFailure(SQLModel, table=True):
    """One failed sign-in from a source address, kept for the throttle's window (services/throttle.py)."""

    __tablename__ = 'sign_in_failure'
    __table_args__ = (Index('ix_sign_in_failure_source_at', 'source', 'failed_at'),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=64)
    failed_at: datetime = Field(default_factory=utcnow, nullable=False, sa_type=UTCDateTime, index=True)
