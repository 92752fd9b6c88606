"""clients contacts cases notes documents search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:38:54.625383
"""
import json
import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_sequence',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_case_sequence_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'year', name=op.f('pk_case_sequence'))
    )
    op.create_table('client_type',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_client_type_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_type')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_client_type_tenant_id'))
    )
    with op.batch_alter_table('client_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_type_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('search_entry',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('subtitle', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('words', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_search_entry_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry'))
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index('ix_search_entry_entity', ['entity', 'entity_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_search_entry_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('case',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('case_type', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_case_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_case_client_id_client'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_case_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_case_tenant_id'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_tenant_assignee', ['tenant_id', 'assignee_id'], unique=False)
        batch_op.create_index('ix_case_tenant_client', ['tenant_id', 'client_id'], unique=False)
        batch_op.create_index('ix_case_tenant_due', ['tenant_id', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_case_tenant_status', ['tenant_id', 'status', 'updated_at'], unique=False)

    op.create_table('client_tag',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_tag_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_client_tag_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('client_id', 'tag', name=op.f('pk_client_tag'))
    )
    with op.batch_alter_table('client_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_tag_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_client_tag_tenant_tag', ['tenant_id', 'tag'], unique=False)

    op.create_table('contact',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_contact_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_contact_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('case_status_change',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_status_change_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by'], ['user.id'], name=op.f('fk_case_status_change_changed_by_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_case_status_change_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_status_change'))
    )
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_status_change_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_status_change_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('document',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('original_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_document_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_document_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_document_tenant_id_tenant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['user.id'], name=op.f('fk_document_uploaded_by_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_document_stored_name'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('note',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_note_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_note_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenant.id'], name=op.f('fk_note_tenant_id_tenant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_note_case_created', ['case_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_note_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_note_tenant_open_tasks', ['tenant_id', 'kind', 'done', 'due_date'], unique=False)

    _move_tags_to_their_table()
    _seed_default_client_types()
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_client_tenant_email', ['tenant_id', 'email'], unique=False)
        batch_op.create_index('ix_client_tenant_updated', ['tenant_id', 'updated_at'], unique=False)
        batch_op.drop_column('tags')
    _create_full_text_index()
    _index_existing_clients()



def downgrade() -> None:
    _drop_full_text_index()
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.drop_index('ix_client_tenant_updated')
        batch_op.drop_index('ix_client_tenant_email')
        batch_op.drop_index(batch_op.f('ix_client_owner_id'))

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index('ix_note_tenant_open_tasks')
        batch_op.drop_index(batch_op.f('ix_note_tenant_id'))
        batch_op.drop_index('ix_note_case_created')
        batch_op.drop_index(batch_op.f('ix_note_author_id'))

    op.drop_table('note')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_document_client_id'))
        batch_op.drop_index(batch_op.f('ix_document_case_id'))

    op.drop_table('document')
    with op.batch_alter_table('case_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status_change_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_case_status_change_case_id'))

    op.drop_table('case_status_change')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_contact_client_id'))

    op.drop_table('contact')
    with op.batch_alter_table('client_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_client_tag_tenant_tag')
        batch_op.drop_index(batch_op.f('ix_client_tag_tenant_id'))

    op.drop_table('client_tag')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_tenant_status')
        batch_op.drop_index(batch_op.f('ix_case_tenant_id'))
        batch_op.drop_index('ix_case_tenant_due')
        batch_op.drop_index('ix_case_tenant_client')
        batch_op.drop_index('ix_case_tenant_assignee')

    op.drop_table('case')
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_entry_tenant_id'))
        batch_op.drop_index('ix_search_entry_entity')

    op.drop_table('search_entry')
    with op.batch_alter_table('client_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_type_tenant_id'))

    op.drop_table('client_type')
    op.drop_table('case_sequence')


DEFAULT_CLIENT_TYPES = ('CGPI', 'Wholesale', 'Institutionnel', 'Entreprise', 'Particulier')


def _move_tags_to_their_table() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text('SELECT id, tenant_id, tags FROM client')).all()
    tag_rows = []
    for client_id, tenant_id, tags in rows:
        if isinstance(tags, str):
            tags = json.loads(tags or '[]')
        kept: dict[str, str] = {}  # one tag per spelling, whatever its case, as the service keeps them
        for tag in (' '.join(str(t).split())[:40] for t in tags or []):
            if tag:
                kept.setdefault(tag.lower(), tag)
        tag_rows += [{'client_id': client_id, 'tenant_id': tenant_id, 'tag': tag} for tag in kept.values()]
    if tag_rows:
        connection.execute(sa.text('INSERT INTO client_tag (client_id, tenant_id, tag) '
                                   'VALUES (:client_id, :tenant_id, :tag)'), tag_rows)


def _seed_default_client_types() -> None:
    connection = op.get_bind()
    for (tenant_id,) in connection.execute(sa.text('SELECT id FROM tenant')).all():
        connection.execute(sa.text('INSERT INTO client_type (tenant_id, name, position) VALUES (:t, :n, :p)'),
                           [{'t': tenant_id, 'n': name, 'p': index} for index, name in enumerate(DEFAULT_CLIENT_TYPES)])
    names = ', '.join(f"'{name}'" for name in DEFAULT_CLIENT_TYPES)
    # Types the clients already use join the list too, after the defaults.
    connection.execute(sa.text(
        'INSERT INTO client_type (tenant_id, name, position) '
        'SELECT DISTINCT tenant_id, client_type, 100 FROM client '
        f'WHERE client_type IS NOT NULL AND client_type NOT IN ({names})'))


# --- services/text.py as of this revision (copied: a migration must not change when the app does) ---------------

_WORD = re.compile(r'[0-9a-z]+')


def fold(text: str | None) -> str:
    """Lower-case without accents: «Société Générale» → «societe generale»."""
    decomposed = unicodedata.normalize('NFKD', text or '')
    return ''.join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text))


def _index_existing_clients() -> None:
    """Clients created before this revision become findable at once (the same words the services write)."""
    connection = op.get_bind()
    tags: dict[int, list[str]] = {}
    for client_id, tag in connection.execute(sa.text('SELECT client_id, tag FROM client_tag')).all():
        tags.setdefault(client_id, []).append(tag)
    rows = connection.execute(sa.text('SELECT id, tenant_id, name, company, email, phone, city FROM client')).all()
    entries = []
    for client_id, tenant_id, name, company, email, phone, city in rows:
        text = ' '.join(p for p in (name, company, email, phone, city, *tags.get(client_id, [])) if p)
        entries.append({'tenant_id': tenant_id, 'entity': 'client', 'entity_id': client_id, 'title': name[:300],
                        'subtitle': ' · '.join(p for p in (city, email) if p)[:300], 'words': ' '.join(words(text))})
    if entries:
        connection.execute(sa.text('INSERT INTO search_entry (tenant_id, entity, entity_id, title, subtitle, words) '
                                   'VALUES (:tenant_id, :entity, :entity_id, :title, :subtitle, :words)'), entries)


def _create_full_text_index() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_search_entry_words ON search_entry USING gin (to_tsvector('simple', words))")
        return
    op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(words, content='search_entry', content_rowid='id', "
               "tokenize='unicode61 remove_diacritics 2')")
    op.execute("CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN "
               "INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words); END")
    op.execute("CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN "
               "INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words); END")
    op.execute("CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN "
               "INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words); "
               "INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words); END")


def _drop_full_text_index() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_search_entry_words')
        return
    for trigger in ('search_entry_ai', 'search_entry_ad', 'search_entry_au'):
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute('DROP TABLE IF EXISTS search_fts')
