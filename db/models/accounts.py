from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned
from db.models.enums import Role
from db.models.types import UTCDateTime


class Tenant(Timestamped, Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    currency: str = Field(default='DZD', max_length=3)
    is_active: bool = Field(default=True)
    webhook_secret: str | None = Field(default=None, max_length=64)


class User(TenantOwned, Timestamped, Versioned, table=True):
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
