"""search: an exact name or reference first

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:00:00.000000

search_entry.name_key holds the name of a client or contact, or the reference of a case, in one piece, folded the way
`services.search.name_key` folds it («DOS-2026-0042» → «dos20260042», «Société Générale» → «societegenerale»); a
query equal to it puts that entry before the notes that mention it. Notes have none. Existing entries get theirs
from their own title: a client's is its name, a contact's its full name, and a case's starts with its reference.

The column is added in place (no table rebuild on SQLite, which would drop the full-text triggers).
"""
import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
_WORD = re.compile(r'[0-9a-z]+')  # services.text as it is at this revision


def _name_key(text: str) -> str:
    decomposed = unicodedata.normalize('NFKD', text or '')
    folded = ''.join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return ''.join(_WORD.findall(folded))[:300]


def _backfill() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, entity, title FROM search_entry WHERE entity IN ('client', 'contact', 'case')")).all()
    keys = [{'id': entry_id, 'key': _name_key(title.split(' · ')[0] if entity == 'case' else title) or None}
            for entry_id, entity, title in rows]
    update = sa.text('UPDATE search_entry SET name_key = :key WHERE id = :id')
    for start in range(0, len(keys), BATCH):
        connection.execute(update, keys[start:start + BATCH])


def upgrade() -> None:
    op.add_column('search_entry', sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
    op.create_index('ix_search_entry_name_key', 'search_entry', ['tenant_id', 'name_key'], unique=False)
    _backfill()


def downgrade() -> None:
    op.drop_index('ix_search_entry_name_key', table_name='search_entry')
    op.drop_column('search_entry', 'name_key')
