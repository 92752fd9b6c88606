from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned
from db.models.enums import ClientKind, ClientStatus
from db.models.types import UTCDateTime


class ClientType(TenantOwned, table=True):
    """The tenant's own list of client types (CGPI, Wholesale, …), in display order."""

    __tablename__ = 'client_type'
    __table_args__ = (UniqueConstraint('tenant_id', 'name'),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    position: int = Field(default=0)


class Client(TenantOwned, Timestamped, Versioned, table=True):
    __table_args__ = (
        Index('ix_client_tenant_name', 'tenant_id', 'name'),
        # Status and type filters with the name order of the list page: the page and its count read this index
        # alone (its (tenant_id, status) prefix serves status-only filters as well).
        Index('ix_client_tenant_status_type_name', 'tenant_id', 'status', 'client_type', 'name'),
        Index('ix_client_tenant_updated', 'tenant_id', 'updated_at'),
        Index('ix_client_tenant_email', 'tenant_id', 'email'),
        # The sales dashboard's client counts (not archived, created before a date), read from this index alone.
        Index('ix_client_tenant_status_created', 'tenant_id', 'status', 'created_at'),
        # The pipeline board: counts per stage, and each column's latest arrivals.
        Index('ix_client_tenant_stage_entered', 'tenant_id', 'stage_id', 'stage_entered_at',
              postgresql_include=['status']),
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
    owner_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL', index=True)
    notes: str | None = Field(default=None)
    stage_id: int | None = Field(default=None, foreign_key='pipeline_stage.id', ondelete='RESTRICT')
    stage_entered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClientTag(TenantOwned, table=True):
    __tablename__ = 'client_tag'
    __table_args__ = (Index('ix_client_tag_tenant_tag', 'tenant_id', 'tag'),)

    client_id: int = Field(foreign_key='client.id', primary_key=True, ondelete='CASCADE')
    tag: str = Field(max_length=40, primary_key=True)


class Contact(TenantOwned, Timestamped, Versioned, table=True):
    # Participants of interactions are matched to contacts by e-mail (kept lower-case).
    __table_args__ = (Index('ix_contact_tenant_email', 'tenant_id', 'email'),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', index=True, ondelete='CASCADE')
    first_name: str = Field(default='', max_length=80)
    last_name: str = Field(max_length=80)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    role: str | None = Field(default=None, max_length=80)
