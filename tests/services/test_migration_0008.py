"""Migration 0008 rebuilds the user table on SQLite (AUTOINCREMENT ids) without touching what refers to users, and
adds the session version and the failed sign-ins — on SQLite and PostgreSQL, through the app's own engine (foreign
keys enforced)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Boolean, bindparam, text
from sqlalchemy.engine import Engine

from db.engine import build_engine
from db.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from db.models.types import UTCDateTime
from tests.migration_db import database_at

AT = datetime(2026, 3, 2, 7, 5, tzinfo=UTC)
USERS = [(1, 'admin@ancien.dz', 'admin'), (2, 'agent@ancien.dz', 'agent'), (3, 'last@ancien.dz', 'agent')]


def _fill(engine: Engine) -> None:
    """A tenant, three users, a client owned by the last user and an audit entry by it, as 0007 knows them."""
    at = bindparam('at', type_=UTCDateTime())
    flag = bindparam('flag', type_=Boolean())
    with engine.begin() as connection:
        connection.execute(text('INSERT INTO tenant (id, name, currency, is_active, version, created_at, updated_at) '
                                "VALUES (1, 'Cabinet Ancien', 'DZD', :flag, 1, :at, :at)").bindparams(at, flag),
                           {'at': AT, 'flag': True})
        connection.execute(text(
            'INSERT INTO "user" (id, tenant_id, email, full_name, password_hash, role, is_active, failed_logins, '
            "version, created_at, updated_at) VALUES (:id, 1, :email, '', 'x', :role, :flag, 0, 1, :at, :at)")
            .bindparams(at, flag), [{'id': user_id, 'email': email, 'role': role, 'at': AT, 'flag': True}
                                    for user_id, email, role in USERS])
        connection.execute(text(
            'INSERT INTO client (id, tenant_id, kind, name, country, status, owner_id, version, created_at, '
            "updated_at) VALUES (7, 1, 'company', 'Comptoir du Sud', 'DZ', 'active', 3, 1, :at, :at)")
            .bindparams(at), {'at': AT})
        connection.execute(text(
            "INSERT INTO audit_log (id, tenant_id, created_at, user_id, user_email, action, entity, changes) "
            "VALUES (1, 1, :at, 3, 'last@ancien.dz', 'create', 'client', '{}')").bindparams(at), {'at': AT})
        if engine.dialect.name == 'postgresql':  # rows given their ids leave the sequence behind
            connection.execute(text("SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), 3)"))


@pytest.fixture(params=['sqlite', 'postgresql'])
def database_at_0007(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A database of its own at revision 0007, reached through the app's engine (SQLite foreign keys on)."""
    with database_at(request, tmp_path, '0007', _fill, engine_for=build_engine) as engine:
        yield engine


def test_references_to_users_survive_the_rebuild(database_at_0007):
    assert upgrade_to_head(database_at_0007) is True
    assert current_revision(database_at_0007) == head_revision(database_at_0007)
    with database_at_0007.connect() as connection:
        assert connection.execute(text('SELECT owner_id FROM client WHERE id = 7')).scalar() == 3
        assert connection.execute(text('SELECT user_id FROM audit_log WHERE id = 1')).scalar() == 3
        users = connection.execute(text('SELECT id, email, role, session_version FROM "user" ORDER BY id')).all()
    assert users == [(user_id, email, role, 1) for user_id, email, role in USERS]


def test_a_deleted_user_id_is_not_given_again(database_at_0007):
    upgrade_to_head(database_at_0007)
    with database_at_0007.begin() as connection:
        connection.execute(text('DELETE FROM "user" WHERE id = 3'))
        connection.execute(text(
            'INSERT INTO "user" (tenant_id, email, full_name, password_hash, role, is_active, failed_logins, version, '
            "created_at, updated_at) VALUES (1, 'new@ancien.dz', '', 'x', 'agent', :flag, 0, 1, :at, :at)")
            .bindparams(bindparam('at', type_=UTCDateTime()), bindparam('flag', type_=Boolean())),
            {'at': AT, 'flag': True})
        new_id = connection.execute(text("SELECT id FROM \"user\" WHERE email = 'new@ancien.dz'")).scalar()
        owner = connection.execute(text('SELECT owner_id FROM client WHERE id = 7')).scalar()
    assert new_id != 3
    assert owner is None  # the deletion itself still clears the references, as before


def test_the_rebuild_refuses_to_run_with_foreign_keys_enforced(database_at_0007):
    if database_at_0007.dialect.name != 'sqlite':
        pytest.skip('only SQLite rebuilds the table')
    config = alembic_config(database_at_0007)
    with pytest.raises(RuntimeError, match='foreign keys'), database_at_0007.begin() as connection:
        config.attributes['connection'] = connection
        command.upgrade(config, 'head')
    assert current_revision(database_at_0007) == '0007'
    with database_at_0007.connect() as connection:
        assert connection.execute(text('SELECT owner_id FROM client WHERE id = 7')).scalar() == 3
