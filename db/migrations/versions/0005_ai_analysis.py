"""AI analysis of cases: analyses kept per run, the latest risk per case, per-tenant provider settings, the legal
knowledge base and background jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 11:56:32.339101

Every tenant gets the bundled knowledge base as its own, editable copy: services/ai/knowledge_base.json as of this
revision, frozen next to it (0005_knowledge_base.json).
"""
import json
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeDecorator

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('ai_settings',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('base_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('model', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('api_key', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('timeout_seconds', sa.Integer(), nullable=False),
    sa.Column('pseudonymize', sa.Boolean(), nullable=False),
    sa.CheckConstraint('timeout_seconds BETWEEN 1 AND 300', name=op.f('ck_ai_settings_timeout_range')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_ai_settings_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_ai_settings'))
    )
    op.create_table('legal_text',
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('article', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('covers', sa.Text(), nullable=False),
    sa.Column('keywords', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('case_types', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('folded', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_legal_text_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_text')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_legal_text_tenant_id'))
    )
    with op.batch_alter_table('legal_text', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_text_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ai_job',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_ai_job_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_ai_job_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ai_job'))
    )
    with op.batch_alter_table('ai_job', schema=None) as batch_op:
        batch_op.create_index('ix_ai_job_tenant_created', ['tenant_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ai_job_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('case_analysis',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('model', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('fallback_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('inputs_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('risk_level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('risk_score', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_analysis_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_case_analysis_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['ai_job.id'], name=op.f('fk_case_analysis_job_id_ai_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_case_analysis_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_analysis'))
    )
    with op.batch_alter_table('case_analysis', schema=None) as batch_op:
        batch_op.create_index('ix_case_analysis_case_created', ['case_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_analysis_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('case_risk',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('analyzed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['case_analysis.id'], name=op.f('fk_case_risk_analysis_id_case_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_risk_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_case_risk_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_risk'))
    )
    with op.batch_alter_table('case_risk', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_risk_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_risk_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_case_risk_tenant_level', ['tenant_id', 'level', 'score'], unique=False)

    _seed_knowledge_base()


KNOWLEDGE_BASE = Path(__file__).with_name('0005_knowledge_base.json')


class UTCDateTime(TypeDecorator[datetime]):
    """db.models.types.UTCDateTime as of this revision (copied: a migration must not change when the app does)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError('naive datetime given to a UTC column')
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == 'sqlite' else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _folded(entry: dict) -> str:
    """As services.ai.knowledge_store.folded_text does (copied: a migration must not change when the app does)."""
    text = ' '.join([entry['code'], entry['reference'], entry['title'], *entry['keywords']])
    return ''.join(c for c in unicodedata.normalize('NFKD', text) if not unicodedata.combining(c)).lower()


def _seed_knowledge_base() -> None:
    connection = op.get_bind()
    entries = json.loads(KNOWLEDGE_BASE.read_text(encoding='utf-8'))
    legal_text = sa.table('legal_text', sa.column('tenant_id'), sa.column('code'), sa.column('reference'),
                          sa.column('title'), sa.column('article'), sa.column('covers'),
                          sa.column('keywords', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')),
                          sa.column('case_types', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')),
                          sa.column('folded'),
                          sa.column('created_at', UTCDateTime()),
                          sa.column('updated_at', UTCDateTime()))
    now = datetime.now(UTC)
    for (tenant_id,) in connection.execute(sa.text('SELECT id FROM tenant')).all():
        rows = [{'tenant_id': tenant_id, 'created_at': now, 'updated_at': now, 'article': None, **entry,
                 'folded': _folded(entry)} for entry in entries]
        if rows:
            connection.execute(legal_text.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table('case_risk', schema=None) as batch_op:
        batch_op.drop_index('ix_case_risk_tenant_level')
        batch_op.drop_index(batch_op.f('ix_case_risk_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_case_risk_analysis_id'))

    op.drop_table('case_risk')
    with op.batch_alter_table('case_analysis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_analysis_tenant_id'))
        batch_op.drop_index('ix_case_analysis_case_created')

    op.drop_table('case_analysis')
    with op.batch_alter_table('ai_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ai_job_tenant_id'))
        batch_op.drop_index('ix_ai_job_tenant_created')

    op.drop_table('ai_job')
    with op.batch_alter_table('legal_text', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_text_tenant_id'))

    op.drop_table('legal_text')
    op.drop_table('ai_settings')
