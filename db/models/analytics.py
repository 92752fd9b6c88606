"""Seed 002's analytics: RFM profiles and their history, product popularity, recommendations, background runs and
data-quality audits."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, Float, Index, String, UniqueConstraint
from sqlmodel import Field

from db.models.ai import JSONDocument
from db.models.base import TenantOwned, Timestamped, Versioned, utcnow
from db.models.types import UTCDateTime


class AnalyticsSettings(TenantOwned, Timestamped, Versioned, table=True):
    __tablename__ = 'analytics_settings'
    __table_args__ = (
        CheckConstraint('rfm_window_months BETWEEN 1 AND 120', name='window_range'),
        CheckConstraint('nightly_hour BETWEEN 0 AND 23', name='hour_range'),
    )

    tenant_id: int = Field(foreign_key='tenant.id', primary_key=True, ondelete='CASCADE')
    rfm_window_months: int = Field(default=24)
    nightly_enabled: bool = Field(default=True)
    nightly_hour: int = Field(default=2)  # in the firm's time zone


class ClientProfile(TenantOwned, table=True):
    """A client's RFM scores, segment and buying profile, as of the latest computation (over the tenant's window).
    Clients without a purchase in the window have no row."""

    __tablename__ = 'client_profile'
    __table_args__ = (
        Index('ix_client_profile_tenant_segment', 'tenant_id', 'segment', 'monetary_cents'),
        CheckConstraint('r_score BETWEEN 1 AND 5 AND f_score BETWEEN 1 AND 5 AND m_score BETWEEN 1 AND 5',
                        name='scores_range'),
        {'postgresql_with': {'fillfactor': 70}},  # room for the in-place updates of each recomputation
    )

    # No index of its own: ix_client_profile_tenant_segment starts with it (one index less to keep at each run).
    tenant_id: int = Field(foreign_key='tenant.id', nullable=False, ondelete='CASCADE')
    client_id: int = Field(foreign_key='client.id', primary_key=True, ondelete='CASCADE')
    recency_days: int
    frequency: int
    monetary_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    r_score: int
    f_score: int
    m_score: int
    segment: str = Field(sa_type=String(24))
    first_purchase_on: date = Field(sa_type=Date)
    last_purchase_on: date = Field(sa_type=Date)
    avg_basket_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    avg_interval_days: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    budget_cents: int = Field(sa_column=Column(BigInteger, nullable=False))
    top_families: list = Field(default_factory=list, sa_type=JSONDocument)  # up to 3 family names, by spend
    window_months: int
    computed_at: datetime = Field(sa_type=UTCDateTime)


class SegmentChange(TenantOwned, table=True):
    """A client entering a segment (from_segment NULL: first segmented, to_segment NULL: left the window)."""

    __tablename__ = 'segment_change'
    __table_args__ = (
        Index('ix_segment_change_tenant_changed', 'tenant_id', 'changed_at'),
        Index('ix_segment_change_client', 'client_id', 'changed_at'),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE')
    from_segment: str | None = Field(default=None, sa_type=String(24))
    to_segment: str | None = Field(default=None, sa_type=String(24))
    changed_at: datetime = Field(sa_type=UTCDateTime)
    run_id: int | None = Field(default=None, foreign_key='analytics_run.id', ondelete='SET NULL')


class SegmentMoveMonth(TenantOwned, table=True):
    """How many clients moved from one segment to another since the start of a month (of the firm's calendar), net
    of their changes within the month (loyal → need attention → at risk counts once, loyal → at risk; a client back
    where they started counts nowhere). Kept by each RFM computation, so the dashboard reads a dozen rows instead of
    the month's segment history; a client's entering or leaving the profiles is not a move here."""

    __tablename__ = 'segment_move_month'
    __table_args__ = (UniqueConstraint('tenant_id', 'month', 'from_segment', 'to_segment'),)

    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(sa_type=Date)  # the month's first day
    from_segment: str = Field(sa_type=String(24))
    to_segment: str = Field(sa_type=String(24))
    clients: int = Field(default=0)


class ProductPopularity(TenantOwned, table=True):
    """Sales of a product over the latest 90 days and the 90 before, and the trend between them."""

    __tablename__ = 'product_popularity'
    __table_args__ = (Index('ix_product_popularity_tenant_score', 'tenant_id', 'score'),)

    product_id: int = Field(foreign_key='product.id', primary_key=True, ondelete='CASCADE')
    sales_recent: int = Field(default=0)
    revenue_recent_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    sales_previous: int = Field(default=0)
    revenue_previous_cents: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))
    buyers_recent: int = Field(default=0)
    trend_percent: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    score: float = Field(default=0, sa_column=Column(Float, nullable=False, default=0))
    computed_at: datetime = Field(sa_type=UTCDateTime)


class AnalyticsRun(TenantOwned, table=True):
    """A background recomputation (RFM, profiles, popularity, recommendations), with its progress."""

    __tablename__ = 'analytics_run'
    __table_args__ = (Index('ix_analytics_run_tenant_created', 'tenant_id', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    trigger: str = Field(default='manual', sa_type=String(12))  # manual | nightly | api
    status: str = Field(default='queued', sa_type=String(12))  # queued | running | done | failed | interrupted
    step: str | None = Field(default=None, sa_type=String(24))
    progress: int = Field(default=0)  # percent
    window_months: int = Field(default=24)
    summary: dict = Field(default_factory=dict, sa_type=JSONDocument)
    error: str | None = Field(default=None, max_length=500)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Recommendation(TenantOwned, table=True):
    """A product to offer a client, from one of seed 002's scenarios. Open ones are replaced at each run; dismissed
    and done ones are kept, and the same (client, product, scenario) is not offered again while they are recent."""

    __table_args__ = (
        Index('ix_recommendation_tenant_status_scenario', 'tenant_id', 'status', 'scenario', 'score'),
        Index('ix_recommendation_client', 'client_id', 'status'),
        UniqueConstraint('tenant_id', 'client_id', 'product_id', 'scenario'),
        CheckConstraint('score BETWEEN 0 AND 100', name='score_range'),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key='client.id', ondelete='CASCADE')
    product_id: int = Field(foreign_key='product.id', ondelete='CASCADE')
    scenario: str = Field(sa_type=String(12))  # nurture | winback | rebuy | cross_sell | upsell
    score: int
    reason_key: str = Field(max_length=60)  # translation key of the reason, rendered with reason_params
    reason_params: dict = Field(default_factory=dict, sa_type=JSONDocument)
    status: str = Field(default='open', sa_type=String(10))  # open | dismissed | done
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acted_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    interaction_id: int | None = Field(default=None, foreign_key='interaction.id', ondelete='SET NULL')  # its task/log
    run_id: int | None = Field(default=None, foreign_key='analytics_run.id', ondelete='SET NULL')


class DataAudit(TenantOwned, table=True):
    """One data-quality audit: the score (0–100), each component's score and deduction, and the lists behind them."""

    __tablename__ = 'data_audit'
    __table_args__ = (Index('ix_data_audit_tenant_created', 'tenant_id', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    score: int
    components: dict = Field(default_factory=dict, sa_type=JSONDocument)
    details: dict = Field(default_factory=dict, sa_type=JSONDocument)
    duration_ms: int = Field(default=0)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
