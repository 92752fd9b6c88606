"""Conventions shared by every table: timestamps, optimistic-lock version, tenant ownership."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from db.models.types import UTCDateTime

# Named constraints let Alembic alter them later, on SQLite (batch mode) as on PostgreSQL.
SQLModel.metadata.naming_convention = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped(SQLModel):
    created_at: datetime = Field(default_factory=utcnow, nullable=False, sa_type=UTCDateTime)
    updated_at: datetime = Field(
        default_factory=utcnow, nullable=False, sa_type=UTCDateTime, sa_column_kwargs={'onupdate': utcnow}
    )


class Versioned(SQLModel):
    """An editable record: `version` grows by one on each update and guards against lost updates."""

    version: int = Field(default=1, nullable=False)


class TenantOwned(SQLModel):
    tenant_id: int = Field(foreign_key='tenant.id', index=True, nullable=False, ondelete='CASCADE')
