"""Migration 0005 gives every existing tenant its own copy of the bundled legal knowledge base, and can be undone
— on SQLite and PostgreSQL."""

import json

from alembic import command
from sqlalchemy import text

from db.migrate import alembic_config, current_revision
from services.ai.knowledge import default_entries
from tests.services.test_migration_0004 import TENANTS, old_database  # noqa: F401


def _texts(connection) -> dict[int, list[tuple]]:
    rows = connection.execute(text('SELECT tenant_id, code, reference, keywords FROM legal_text ORDER BY tenant_id, '
                                   'code')).all()
    found: dict[int, list[tuple]] = {}
    for tenant_id, code, reference, keywords in rows:
        keywords = json.loads(keywords) if isinstance(keywords, str) else keywords
        found.setdefault(tenant_id, []).append((code, reference, keywords))
    return found


def test_each_tenant_gets_the_bundled_knowledge_base(old_database):  # noqa: F811
    command.upgrade(alembic_config(old_database), 'head')
    with old_database.connect() as connection:
        texts = _texts(connection)
    expected = sorted((entry.code, entry.reference, entry.keywords) for entry in default_entries())
    assert sorted(texts) == [tenant_id for tenant_id, _ in TENANTS]
    for tenant_texts in texts.values():
        assert tenant_texts == expected
    with old_database.connect() as connection:
        folded = connection.execute(text("SELECT folded FROM legal_text WHERE code = 'code-commerce-societes'")).all()
    assert len(folded) == len(TENANTS) and all('societes commerciales' in row[0] for row in folded)


def test_the_upgrade_can_be_undone_and_done_again(old_database):  # noqa: F811
    config = alembic_config(old_database)
    command.upgrade(config, 'head')
    command.downgrade(config, '0004')
    assert current_revision(old_database) == '0004'
    command.upgrade(config, 'head')
    with old_database.connect() as connection:
        count = connection.execute(text('SELECT count(*) FROM legal_text')).scalar_one()
    assert count == len(TENANTS) * len(default_entries())
