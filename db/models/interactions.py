from datetime import datetime

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned, utcnow
from db.models.enums import AttendanceStatus, InteractionSource, InteractionType
from db.models.types import UTCDateTime

JSONDocument = JSON().with_variant(JSONB(), 'postgresql')


class Interaction(TenantOwned, Timestamped, Versioned, table=True):
    """Something that happened with a client (seed 003's "organisation activity"): a call, a meeting, an e-mail…
    A future `occurred_at` is a planned meeting. `idempotency_key` names the source event (a webhook delivery,
    a newsletter send) so that the same event never gives two interactions."""

    __table_args__ = (
        UniqueConstraint('tenant_id', 'idempotency_key'),
        Index('ix_interaction_client_occurred', 'client_id', 'occurred_at', 'id'),
        Index('ix_interaction_contact_occurred', 'contact_id', 'occurred_at'),
        # The tenant's feed (recent activities) and the month's counts for the KPIs: the counted columns are in the
        # index (PostgreSQL), so a month's count is an index-only scan.
        Index('ix_interaction_tenant_occurred', 'tenant_id', 'occurred_at', 'id',
              postgresql_include=['client_id', 'type', 'is_pitch']),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE')
    contact_id: int | None = Field(default=None, foreign_key='contact.id', ondelete='SET NULL')
    type: InteractionType = Field(sa_type=String(16))
    title: str = Field(max_length=200)
    description: str = Field(default='')
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    duration_minutes: int | None = Field(default=None)
    is_pitch: bool = Field(default=False)
    source: InteractionSource = Field(default=InteractionSource.MANUAL, sa_type=String(16))
    extra: dict = Field(default_factory=dict, sa_type=JSONDocument)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    idempotency_key: str | None = Field(default=None, max_length=120)


class InteractionParticipant(TenantOwned, table=True):
    """Who took part: a contact of the CRM, or an outside person known by name and e-mail."""

    __tablename__ = 'interaction_participant'
    __table_args__ = (Index('ix_interaction_participant_contact', 'contact_id', 'interaction_id'),)

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key='interaction.id', index=True, ondelete='CASCADE')
    contact_id: int | None = Field(default=None, foreign_key='contact.id', ondelete='SET NULL')
    external_name: str | None = Field(default=None, max_length=160)
    external_email: str | None = Field(default=None, max_length=254)
    external_role: str | None = Field(default=None, max_length=80)
    is_organizer: bool = Field(default=False)
    attendance_status: AttendanceStatus = Field(default=AttendanceStatus.CONFIRMED, sa_type=String(16))
