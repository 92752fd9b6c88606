from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned, utcnow
from db.models.enums import CasePriority, CaseStatus, CaseType, NoteKind
from db.models.types import UTCDateTime


class CaseSequence(TenantOwned, table=True):
    """The last reference number given per tenant and year: `DOS-2026-0042` has number 42."""

    __tablename__ = 'case_sequence'

    tenant_id: int = Field(foreign_key='tenant.id', primary_key=True, ondelete='CASCADE')
    year: int = Field(primary_key=True)
    last_number: int = Field(default=0)


class Case(TenantOwned, Timestamped, Versioned, table=True):
    __tablename__ = 'case'
    __table_args__ = (
        UniqueConstraint('tenant_id', 'reference'),
        Index('ix_case_tenant_status', 'tenant_id', 'status', 'updated_at'),
        Index('ix_case_tenant_client', 'tenant_id', 'client_id'),
        Index('ix_case_tenant_assignee', 'tenant_id', 'assignee_id'),
        Index('ix_case_tenant_due', 'tenant_id', 'due_date'),
        Index('ix_case_tenant_updated', 'tenant_id', 'updated_at', 'id'),
        Index('ix_case_tenant_status_type_due', 'tenant_id', 'status', 'case_type', 'due_date'),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20)
    title: str = Field(max_length=200)
    client_id: int = Field(foreign_key='client.id', ondelete='RESTRICT')
    case_type: CaseType = Field(default=CaseType.OTHER, sa_type=String(16))
    status: CaseStatus = Field(default=CaseStatus.NEW, sa_type=String(16))
    priority: CasePriority = Field(default=CasePriority.NORMAL, sa_type=String(16))
    description: str = Field(default='')
    assignee_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    due_date: date | None = Field(default=None)
    opened_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class CaseStatusChange(TenantOwned, table=True):
    __tablename__ = 'case_status_change'

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key='case.id', index=True, ondelete='CASCADE')
    from_status: CaseStatus | None = Field(default=None, sa_type=String(16))
    to_status: CaseStatus = Field(sa_type=String(16))
    changed_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Note(TenantOwned, Timestamped, Versioned, table=True):
    __table_args__ = (Index('ix_note_case_created', 'case_id', 'created_at'),
                      Index('ix_note_tenant_open_tasks', 'tenant_id', 'kind', 'done', 'due_date'))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key='case.id', ondelete='CASCADE')
    kind: NoteKind = Field(default=NoteKind.GENERAL, sa_type=String(16))
    body: str = Field(default='')
    author_id: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL', index=True)
    due_date: date | None = Field(default=None)
    done: bool = Field(default=False)


class Document(TenantOwned, table=True):
    """A file kept on disk under a random name; the row says what it is and whose it is."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key='case.id', index=True, ondelete='CASCADE')
    client_id: int | None = Field(default=None, foreign_key='client.id', index=True, ondelete='CASCADE')
    original_name: str = Field(max_length=255)
    stored_name: str = Field(max_length=80, unique=True)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
