from sqlalchemy import BigInteger, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned


class ClientKpi(TenantOwned, Timestamped, Versioned, table=True):
    """A client's figures for one month (seed 001). `meetings` and `pitches` left empty are counted from the
    month's interactions; a number typed in overrides the count. Money is kept in cents, the commission rate
    in basis points (1.25 % = 125), so sums are exact on every database."""

    __tablename__ = 'client_kpi'
    __table_args__ = (
        UniqueConstraint('tenant_id', 'client_id', 'year', 'month'),
        Index('ix_client_kpi_tenant_period', 'tenant_id', 'year', 'month'),  # a month's rows (summary, list)
        CheckConstraint('month BETWEEN 1 AND 12', name='month_range'),
        CheckConstraint('due_diligences >= 0 AND closings >= 0 AND revenue_cents >= 0', name='non_negative'),
        CheckConstraint('(meetings IS NULL OR meetings >= 0) AND (pitches IS NULL OR pitches >= 0)',
                        name='counts_non_negative'),
        CheckConstraint('commission_bps BETWEEN 0 AND 10000', name='commission_range'),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', index=True, ondelete='CASCADE')
    year: int
    month: int
    meetings: int | None = Field(default=None)
    pitches: int | None = Field(default=None)
    due_diligences: int = Field(default=0)
    closings: int = Field(default=0)
    revenue_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    commission_bps: int = Field(default=0)
