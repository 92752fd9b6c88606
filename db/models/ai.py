from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from db.models.base import TenantOwned, Timestamped, Versioned, utcnow
from db.models.types import UTCDateTime

JSONDocument = JSON().with_variant(JSONB(), 'postgresql')


class CaseAnalysis(TenantOwned, table=True):
    """One run of the AI analysis of a case, never overwritten: the page shows the latest and how the risk moved.
    `result` holds `{'findings': …}` (the built-in analyzer's, without a language: services/ai/findings.py) or
    a model's answer as services.ai.schema.AnalysisResult (text, in `language`); level and score are copied out to
    be filtered on."""

    __tablename__ = 'case_analysis'
    __table_args__ = (Index('ix_case_analysis_case_created', 'case_id', 'created_at', 'id'),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key='case.id', ondelete='CASCADE')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    provider: str = Field(max_length=20)
    model: str | None = Field(default=None, max_length=120)
    fallback_reason: str | None = Field(default=None, max_length=40)
    language: str = Field(default='fr', max_length=5)
    inputs_at: datetime = Field(sa_type=UTCDateTime)
    duration_ms: int = Field(default=0)
    risk_level: str = Field(max_length=10)
    risk_score: int
    result: dict = Field(default_factory=dict, sa_type=JSONDocument)
    job_id: int | None = Field(default=None, foreign_key='ai_job.id', ondelete='SET NULL')


class CaseRisk(TenantOwned, table=True):
    """The latest risk of each analysed case, for badges on lists and the dashboard's «cases at risk»."""

    __tablename__ = 'case_risk'
    __table_args__ = (Index('ix_case_risk_tenant_level', 'tenant_id', 'level', 'score'),)

    case_id: int = Field(foreign_key='case.id', primary_key=True, ondelete='CASCADE')
    analysis_id: int = Field(foreign_key='case_analysis.id', ondelete='CASCADE', index=True)
    level: str = Field(max_length=10)
    score: int
    analyzed_at: datetime = Field(sa_type=UTCDateTime)


class AiSettings(TenantOwned, Timestamped, Versioned, table=True):
    """A tenant's analysis provider: the built-in analyzer (default) or an OpenAI-compatible endpoint."""

    __tablename__ = 'ai_settings'
    __table_args__ = (CheckConstraint('timeout_seconds BETWEEN 1 AND 300', name='timeout_range'),)

    tenant_id: int = Field(foreign_key='tenant.id', primary_key=True, ondelete='CASCADE')
    provider: str = Field(default='builtin', max_length=20)
    base_url: str = Field(default='', max_length=300)
    model: str = Field(default='', max_length=120)
    api_key: str = Field(default='', max_length=400)
    timeout_seconds: int = Field(default=30)
    pseudonymize: bool = Field(default=True)


class LegalText(TenantOwned, Timestamped, table=True):
    """An entry of a tenant's legal knowledge base (seeded from services/ai/knowledge_base.json)."""

    __tablename__ = 'legal_text'
    __table_args__ = (UniqueConstraint('tenant_id', 'code'),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=60)
    reference: str = Field(max_length=300)
    title: str = Field(max_length=300)
    article: str | None = Field(default=None, max_length=120)
    covers: str = Field(default='', sa_type=Text)
    keywords: list = Field(default_factory=list, sa_type=JSONDocument)
    case_types: list = Field(default_factory=list, sa_type=JSONDocument)
    folded: str = Field(default='', sa_type=Text)  # code, reference, title and keywords without accents: the search


class AiJob(TenantOwned, table=True):
    """A background «analyse all open cases» run, with its progress, so a user can leave and come back."""

    __tablename__ = 'ai_job'
    __table_args__ = (Index('ix_ai_job_tenant_created', 'tenant_id', 'created_at'),)

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default='queued', sa_type=String(12))
    total: int = Field(default=0)
    done: int = Field(default=0)
    failed: int = Field(default=0)
    error: str | None = Field(default=None, max_length=500)
    created_by: int | None = Field(default=None, foreign_key='user.id', ondelete='SET NULL')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
