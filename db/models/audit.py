from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String
from sqlmodel import Field

from db.models.base import TenantOwned, utcnow
from db.models.enums import AuditAction
from db.models.types import UTCDateTime


class AuditLog(TenantOwned, table=True):
    __tablename__ = 'audit_log'
    __table_args__ = (Index('ix_audit_log_tenant_created', 'tenant_id', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, nullable=False, sa_type=UTCDateTime)
    user_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    user_email: str = Field(default='', max_length=254)
    action: AuditAction = Field(sa_type=String(16))
    entity: str = Field(max_length=40)
    entity_id: int | None = Field(default=None)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))



