"""room for the webhook secret sealed at rest

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:00:00.000000

The tenant's webhook secret is now stored encrypted (`enc:` and a Fernet token, about 190 characters for its 64),
like the LLM API key: its column grows from 64 to 400 characters. On SQLite the table is rebuilt (batch mode), which
`db.migrate.upgrade_to_head` does with foreign keys off so that nothing referencing a tenant is touched; this
revision refuses to run with them on. The values themselves are sealed at the next start
(services.encryption.seal_stored_secrets), which needs the keys of the environment, not a migration.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_enforced_foreign_keys() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite' and bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('run this migration through db.migrate.upgrade_to_head (SQLite foreign keys must be off '
                           'while the tenant table is rebuilt, or every row of every tenant would be deleted)')


def _resize(length: int) -> None:
    _refuse_enforced_foreign_keys()
    with op.batch_alter_table('tenant', schema=None) as batch_op:
        batch_op.alter_column('webhook_secret', type_=sa.String(length=length), existing_nullable=True)


def upgrade() -> None:
    _resize(400)


def downgrade() -> None:
    _resize(64)
