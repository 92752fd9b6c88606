"""pipeline stages, interactions with participants, monthly KPIs, webhook secrets

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:59:52.780533

Every tenant gets the default stages. Clients that exist already are customers: they are put at the `client`
stage, entered when they were created, with that entry recorded in their stage history.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

DEFAULT_STAGES = (('prospect_froid', 'Prospect froid', False), ('prospect_tiede', 'Prospect tiède', False),
                  ('prospect_chaud', 'Prospect chaud', False), ('negociation', 'Négociation', False),
                  ('client', 'Client', False), ('perdu', 'Perdu', True))

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pipeline_stage',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_lost', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_pipeline_stage_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_stage')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_pipeline_stage_tenant_id'))
    )
    with op.batch_alter_table('pipeline_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pipeline_stage_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('client_kpi',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('meetings', sa.Integer(), nullable=True),
    sa.Column('pitches', sa.Integer(), nullable=True),
    sa.Column('due_diligences', sa.Integer(), nullable=False),
    sa.Column('closings', sa.Integer(), nullable=False),
    sa.Column('revenue_cents', sa.BigInteger(), nullable=False),
    sa.Column('commission_bps', sa.Integer(), nullable=False),
    sa.CheckConstraint('(meetings IS NULL OR meetings >= 0) AND (pitches IS NULL OR pitches >= 0)', name=op.f('ck_client_kpi_counts_non_negative')),
    sa.CheckConstraint('commission_bps BETWEEN 0 AND 10000', name=op.f('ck_client_kpi_commission_range')),
    sa.CheckConstraint('due_diligences >= 0 AND closings >= 0 AND revenue_cents >= 0', name=op.f('ck_client_kpi_non_negative')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_client_kpi_month_range')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_kpi_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_client_kpi_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_kpi')),
    sa.UniqueConstraint('tenant_id', 'client_id', 'year', 'month', name=op.f('uq_client_kpi_tenant_id'))
    )
    with op.batch_alter_table('client_kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_kpi_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_client_kpi_tenant_period', ['tenant_id', 'year', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_client_kpi_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('stage_change',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('from_stage_id', sa.Integer(), nullable=True),
    sa.Column('to_stage_id', sa.Integer(), nullable=True),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by'], ['user.id'], name=op.f('fk_stage_change_changed_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_stage_change_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_stage_id'], ['pipeline_stage.id'], name=op.f('fk_stage_change_from_stage_id_pipeline_stage'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_stage_change_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_stage_id'], ['pipeline_stage.id'], name=op.f('fk_stage_change_to_stage_id_pipeline_stage'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_change'))
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_stage_change_client_changed', ['client_id', 'changed_at'], unique=False)
        batch_op.create_index('ix_stage_change_tenant_changed', ['tenant_id', 'changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stage_change_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('interaction',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('is_pitch', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('extra', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_interaction_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_interaction_contact_id_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_interaction_created_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_interaction_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction')),
    sa.UniqueConstraint('tenant_id', 'idempotency_key', name=op.f('uq_interaction_tenant_id'))
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_client_occurred', ['client_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_interaction_contact_occurred', ['contact_id', 'occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_interaction_tenant_occurred', ['tenant_id', 'occurred_at', 'id'], unique=False,
                              postgresql_include=['client_id', 'type', 'is_pitch'])

    op.create_table('interaction_participant',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('external_name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
    sa.Column('external_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('external_role', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('is_organizer', sa.Boolean(), nullable=False),
    sa.Column('attendance_status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], name=op.f('fk_interaction_participant_contact_id_contact'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], name=op.f('fk_interaction_participant_interaction_id_interaction'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_interaction_participant_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction_participant'))
    )
    with op.batch_alter_table('interaction_participant', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_participant_contact', ['contact_id', 'interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_participant_interaction_id'), ['interaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_participant_tenant_id'), ['tenant_id'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stage_entered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_client_tenant_stage_entered', ['tenant_id', 'stage_id', 'stage_entered_at'], unique=False,
                              postgresql_include=['status'])
        batch_op.create_foreign_key(batch_op.f('fk_client_stage_id_pipeline_stage'), 'pipeline_stage', ['stage_id'], ['id'], ondelete='RESTRICT')

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index('ix_contact_tenant_email', ['tenant_id', 'email'], unique=False)

    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))

    _seed_stages_and_place_clients()


def _seed_stages_and_place_clients() -> None:
    connection = op.get_bind()
    for (tenant_id,) in connection.execute(sa.text('SELECT id FROM tenant')).all():
        for position, (key, name, is_lost) in enumerate(DEFAULT_STAGES):
            connection.execute(sa.text('INSERT INTO pipeline_stage (tenant_id, key, name, position, is_lost) '
                                       'VALUES (:t, :k, :n, :p, :l)'),
                               {'t': tenant_id, 'k': key, 'n': name, 'p': position, 'l': is_lost})
    connection.execute(sa.text(
        "UPDATE client SET stage_entered_at = created_at, stage_id = (SELECT s.id FROM pipeline_stage s "
        "WHERE s.tenant_id = client.tenant_id AND s.key = 'client')"))
    connection.execute(sa.text(
        'INSERT INTO stage_change (tenant_id, client_id, from_stage_id, to_stage_id, changed_at) '
        'SELECT tenant_id, id, NULL, stage_id, created_at FROM client'))


def downgrade() -> None:
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.drop_column('webhook_secret')

    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_tenant_email')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_client_stage_id_pipeline_stage'), type_='foreignkey')
        batch_op.drop_index('ix_client_tenant_stage_entered')
        batch_op.drop_column('stage_entered_at')
        batch_op.drop_column('stage_id')

    with op.batch_alter_table('interaction_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_participant_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_participant_interaction_id'))
        batch_op.drop_index('ix_interaction_participant_contact')

    op.drop_table('interaction_participant')
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index('ix_interaction_tenant_occurred')
        batch_op.drop_index(batch_op.f('ix_interaction_tenant_id'))
        batch_op.drop_index('ix_interaction_contact_occurred')
        batch_op.drop_index('ix_interaction_client_occurred')

    op.drop_table('interaction')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_change_tenant_id'))
        batch_op.drop_index('ix_stage_change_tenant_changed')
        batch_op.drop_index('ix_stage_change_client_changed')

    op.drop_table('stage_change')
    with op.batch_alter_table('client_kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_kpi_tenant_id'))
        batch_op.drop_index('ix_client_kpi_tenant_period')
        batch_op.drop_index(batch_op.f('ix_client_kpi_client_id'))

    op.drop_table('client_kpi')
    with op.batch_alter_table('pipeline_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pipeline_stage_tenant_id'))

    op.drop_table('pipeline_stage')
