from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from db.models.base import TenantOwned, utcnow
from db.models.types import UTCDateTime


class PipelineStage(TenantOwned, table=True):
    """A column of the tenant's pipeline, in `position` order. `is_lost` marks where lost prospects go: it is not
    a step forward, so "next stage" never leads there and conversion rates leave it out."""

    __tablename__ = 'pipeline_stage'
    __table_args__ = (UniqueConstraint('tenant_id', 'key'),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40)
    name: str = Field(max_length=60)
    position: int = Field(default=0)
    is_lost: bool = Field(default=False)


class StageChange(TenantOwned, table=True):
    """One move of a client between stages (from None: the client entered the pipeline)."""

    __tablename__ = 'stage_change'
    __table_args__ = (Index('ix_stage_change_client_changed', 'client_id', 'changed_at'),
                      Index('ix_stage_change_tenant_changed', 'tenant_id', 'changed_at'))

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE')
    from_stage_id: int | None = Field(default=None, foreign_key='pipeline_stage.id', ondelete='SET NULL')
    to_stage_id: int | None = Field(default=None, foreign_key='pipeline_stage.id', ondelete='SET NULL')
    changed_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
