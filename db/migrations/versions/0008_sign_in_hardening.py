"""sign-in hardening: session version, AUTOINCREMENT user ids on SQLite, failed sign-ins per address

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14 10:00:00.000000

- user.session_version: named in every API token and browser session; raising it ends them all at once
  (password changed or reset, role changed, account deactivated).
- user table rebuilt on SQLite with AUTOINCREMENT, so that a deleted user's id is never given to a new user (an
  old token or session naming that id must not come back to life). PostgreSQL's sequences never reuse an id: there
  the column is only added.
- sign_in_failure: one row per failed sign-in and source address, for the per-address limit.

The rebuild drops the old `user` table: with SQLite's foreign keys enforced, that would set every reference to a
user (owners, authors, audit entries) to NULL. `db.migrate.upgrade_to_head` turns them off around the migration and
checks them after it; this revision refuses to run with them on.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _refuse_enforced_foreign_keys() -> None:
    if _is_sqlite() and op.get_bind().exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('migration 0008 rebuilds the user table: run it through db.migrate.upgrade_to_head '
                           '(SQLite foreign keys must be off, or every reference to a user would be cleared)')


def upgrade() -> None:
    _refuse_enforced_foreign_keys()
    sqlite = _is_sqlite()
    with op.batch_alter_table('user', schema=None, recreate='always' if sqlite else 'auto',
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))

    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failure'))
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_failure_source_at', ['source', 'failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_failed_at'), ['failed_at'], unique=False)


def downgrade() -> None:
    _refuse_enforced_foreign_keys()
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_failed_at'))
        batch_op.drop_index('ix_sign_in_failure_source_at')
    op.drop_table('sign_in_failure')
    sqlite = _is_sqlite()
    with op.batch_alter_table('user', schema=None, recreate='always' if sqlite else 'auto',
                              table_kwargs={'sqlite_autoincrement': False}) as batch_op:
        batch_op.drop_column('session_version')
