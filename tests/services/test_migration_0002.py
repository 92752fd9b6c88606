"""Migration 0002 moves the data of a 0001 database: client tags into their table, client types into a list."""

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from db.engine import get_engine
from db.migrate import alembic_config, current_revision, head_revision

MIGRATION_CLIENT_TYPES = ('CGPI', 'Wholesale', 'Institutionnel', 'Entreprise', 'Particulier')  # as 0002 seeded them


@pytest.fixture
def old_database(tmp_path) -> Iterator[Engine]:
    """A SQLite file at revision 0001 with one tenant and two clients, on an engine of its own."""
    engine = create_engine(f'sqlite:///{tmp_path / "old.db"}')
    command.upgrade(alembic_config(engine), '0001')
    assert current_revision(engine) == '0001'
    stamp = '2026-01-15 09:30:00.000000'
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO tenant (id, name, currency, is_active, version, created_at, updated_at) "
            "VALUES (1, 'Cabinet Ancien', 'DZD', 1, 1, :at, :at)"), {'at': stamp})
        connection.execute(text(
            "INSERT INTO client (id, tenant_id, kind, name, country, status, client_type, tags, version, created_at, "
            "updated_at) VALUES (:id, 1, 'company', :name, 'DZ', 'active', :type, :tags, 1, :at, :at)"), [
            {'id': 1, 'name': 'Comptoir du Sud', 'type': 'Négoce', 'tags': '["VIP", "export", " VIP ", "", "vip"]',
             'at': stamp},
            {'id': 2, 'name': 'Atlas Conseil', 'type': 'CGPI', 'tags': '[]', 'at': stamp},
        ])
    yield engine
    engine.dispose()


def test_tags_and_client_types_move_to_their_tables(old_database):
    process_engine = get_engine()
    command.upgrade(alembic_config(old_database), 'head')
    assert current_revision(old_database) == head_revision(old_database)
    with old_database.connect() as connection:
        tags = connection.execute(text('SELECT client_id, tenant_id, tag FROM client_tag ORDER BY tag')).all()
        types = connection.execute(text('SELECT name, position FROM client_type WHERE tenant_id = 1 '
                                        'ORDER BY position, name')).all()
        kept = connection.execute(text('SELECT name, client_type FROM client ORDER BY id')).all()
    assert [tuple(row) for row in tags] == [(1, 1, 'VIP'), (1, 1, 'export')]
    assert [name for name, _ in types] == [*MIGRATION_CLIENT_TYPES, 'Négoce']
    assert [tuple(row) for row in kept] == [('Comptoir du Sud', 'Négoce'), ('Atlas Conseil', 'CGPI')]
    assert 'tags' not in {column['name'] for column in inspect(old_database).get_columns('client')}
    assert get_engine() is process_engine and process_engine.url != old_database.url


def test_clients_of_the_old_schema_are_findable_after_the_upgrade(old_database):
    command.upgrade(alembic_config(old_database), 'head')
    with old_database.connect() as connection:
        found = connection.execute(text(
            "SELECT e.entity_id FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid "
            "WHERE search_fts MATCH '\"comptoir\"* \"vip\"*'")).all()
    assert [row[0] for row in found] == [1]
