"""Migration 0010 gives the search entries of existing clients, contacts and cases their name key, so that an exact
name or reference comes first at once — on SQLite (full-text triggers kept) and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import Boolean, bindparam, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.engine import build_engine
from db.migrate import current_revision, head_revision, upgrade_to_head
from db.models.types import UTCDateTime
from services import search
from services.text import words
from tests.migration_db import database_at

AT = datetime(2026, 3, 2, 7, 5, tzinfo=UTC)
ENTRIES = [  # (id, entity, entity_id, title, words' text), as 0009 wrote them
    (1, 'client', 7, 'Société Générale Algérie', 'Société Générale Algérie sga.dz'),
    (2, 'contact', 3, 'Karim Benali', 'Karim Benali k.benali@sga.dz Société Générale Algérie'),
    (3, 'case', 42, 'DOS-2026-0042 · Succession', 'DOS-2026-0042 DOS20260042 Succession Société Générale Algérie'),
    (4, 'note', 9, 'Rappeler pour DOS-2026-0042', 'Rappeler pour DOS-2026-0042, DOS-2026-0042 et DOS-2026-0042'),
]


def _fill(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text('INSERT INTO tenant (id, name, currency, is_active, version, created_at, updated_at) '
                                "VALUES (1, 'Cabinet Ancien', 'DZD', :flag, 1, :at, :at)")
                           .bindparams(bindparam('at', type_=UTCDateTime()), bindparam('flag', type_=Boolean())),
                           {'at': AT, 'flag': True})
        connection.execute(text('INSERT INTO search_entry (id, tenant_id, entity, entity_id, title, subtitle, words) '
                                "VALUES (:id, 1, :entity, :entity_id, :title, '', :words)"),
                           [{'id': entry_id, 'entity': entity, 'entity_id': entity_id, 'title': title,
                             'words': ' '.join(words(content))}
                            for entry_id, entity, entity_id, title, content in ENTRIES])


@pytest.fixture(params=['sqlite', 'postgresql'])
def database_at_0009(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    with database_at(request, tmp_path, '0009', _fill, engine_for=build_engine) as engine:
        yield engine


def test_existing_entries_get_their_name_key_and_rank_first(database_at_0009):
    assert upgrade_to_head(database_at_0009) is True
    assert current_revision(database_at_0009) == head_revision(database_at_0009)
    with database_at_0009.connect() as connection:
        keys = dict(connection.execute(text('SELECT id, name_key FROM search_entry ORDER BY id')).all())
    assert keys == {1: 'societegeneralealgerie', 2: 'karimbenali', 3: 'dos20260042', 4: None}
    tenant = SimpleNamespace(tenant_id=1)
    with Session(database_at_0009) as session:  # still found by its words (the full-text index kept in step)
        assert [hit.entity_id for hit in search.search(session, tenant, 'dos-2026-0042')] == [42, 9]
        assert search.search(session, tenant, 'Societe Generale Algerie')[0].entity_id == 7
