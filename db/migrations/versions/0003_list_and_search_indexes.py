"""indexes for lists and search at 100,000 clients

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:10:00.000000

- client (tenant_id, status, client_type, name) replaces client (tenant_id, status): the client list filtered by
  status and type, sorted by name, and its count, read this index only (p95 44 ms → 14 ms at 100k clients).
- PostgreSQL only, migration only (like ix_search_entry_words, and skipped by the same model comparison filter):
  a GIN index on the words of client entries alone, for `services.search.matching_ids` on clients (list search,
  duplicates, pickers). The index over every entry makes a word that all cases and notes share (`dos`, a year)
  collect a million postings; this one holds 1 entry in 16.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index('ix_client_tenant_status_type_name', ['tenant_id', 'status', 'client_type', 'name'],
                              unique=False)
        batch_op.drop_index('ix_client_tenant_status')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_search_entry_words_client ON search_entry USING gin (to_tsvector('simple', words)) "
                   "WHERE entity = 'client'")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_search_entry_words_client')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index('ix_client_tenant_status', ['tenant_id', 'status'], unique=False)
        batch_op.drop_index('ix_client_tenant_status_type_name')
