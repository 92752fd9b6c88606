"""room for the webhook secret sealed at rest

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 23:00:00.000000

The tenant's webhook secret is now stored encrypted (`enc:` and a Fernet token, about 190 characters for its 64),
like the LLM API key: its column grows from 64 to 400 characters. SQLite does not enforce a VARCHAR length, so only
PostgreSQL changes (and SQLite's table is not rebuilt). The values themselves are sealed at the next start
(services.encryption.seal_stored_secrets), which needs the keys of the environment, not a migration.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('tenant', 'webhook_secret', type_=sa.String(length=400), existing_nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('tenant', 'webhook_secret', type_=sa.String(length=64), existing_nullable=True)
