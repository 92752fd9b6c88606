from sqlalchemy import JSON, Column, Index, String
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned
from db.models.enums import ClientKind, ClientStatus


class Client(TenantOwned, Timestamped, Versioned, table=True):
    __table_args__ = (
        Index('ix_client_tenant_name', 'tenant_id', 'name'),
        Index('ix_client_tenant_status', 'tenant_id', 'status'),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: ClientKind = Field(default=ClientKind.COMPANY, sa_type=String(16))
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    company: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=16)
    city: str | None = Field(default=None, max_length=120)
    country: str = Field(default='DZ', max_length=2)
    website: str | None = Field(default=None, max_length=300)
    status: ClientStatus = Field(default=ClientStatus.ACTIVE, sa_type=String(16))
    client_type: str | None = Field(default=None, max_length=60)
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    owner_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    notes: str | None = Field(default=None)
