"""Migration 0004 gives every tenant the default pipeline stages and puts the clients of a 0003 database at the
`client` stage, each with its entry in the stage history — on SQLite and PostgreSQL."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import Boolean, bindparam, create_engine, text
from sqlalchemy.engine import Engine

from db.migrate import alembic_config, current_revision, head_revision
from db.models.types import UTCDateTime
from services.stages import DEFAULT_STAGES
from tests.migration_db import database_at

CREATED = {10: datetime(2025, 11, 3, 9, 30, 15, 250_000, tzinfo=UTC), 11: datetime(2026, 1, 15, 8, tzinfo=UTC),
           12: datetime(2026, 2, 1, 17, 45, tzinfo=UTC), 20: datetime(2026, 3, 2, 7, 5, tzinfo=UTC)}
CLIENTS = [(10, 1, 'Comptoir du Sud', 'active'), (11, 1, 'Atlas Conseil', 'inactive'),
           (12, 1, 'Ancien partenaire', 'archived'), (20, 2, 'Sahel Invest', 'active')]
TENANTS = [(1, 'Cabinet Ancien'), (2, 'Cabinet Voisin'), (3, 'Cabinet Sans Client')]


def _fill(engine: Engine) -> None:
    """Tenants and clients as revision 0003 knows them."""
    at = bindparam('at', type_=UTCDateTime())
    with engine.begin() as connection:
        connection.execute(text(
            'INSERT INTO tenant (id, name, currency, is_active, version, created_at, updated_at) '
            "VALUES (:id, :name, 'DZD', :active, 1, :at, :at)").bindparams(at, bindparam('active', type_=Boolean())),
            [{'id': tenant_id, 'name': name, 'active': True, 'at': CREATED[10]} for tenant_id, name in TENANTS])
        connection.execute(text(
            'INSERT INTO client (id, tenant_id, kind, name, country, status, version, created_at, updated_at) '
            "VALUES (:id, :tenant_id, 'company', :name, 'DZ', :status, 1, :at, :at)").bindparams(at), [
            {'id': client_id, 'tenant_id': tenant_id, 'name': name, 'status': status, 'at': CREATED[client_id]}
            for client_id, tenant_id, name, status in CLIENTS])


@pytest.fixture(params=['sqlite', 'postgresql'])
def old_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A database of its own at revision 0003 with three tenants and four clients."""
    with database_at(request, tmp_path, '0003', _fill, engine_for=create_engine) as engine:
        yield engine


def _stages(connection) -> dict[int, list[tuple]]:
    rows = connection.execute(text('SELECT tenant_id, id, key, name, position, is_lost FROM pipeline_stage '
                                   'ORDER BY tenant_id, position, id')).all()
    found: dict[int, list[tuple]] = {}
    for tenant_id, stage_id, key, name, position, is_lost in rows:
        found.setdefault(tenant_id, []).append((stage_id, key, name, position, bool(is_lost)))
    return found


def test_each_tenant_gets_the_default_stages(old_database):
    command.upgrade(alembic_config(old_database), 'head')
    assert current_revision(old_database) == head_revision(old_database)
    with old_database.connect() as connection:
        stages = _stages(connection)
    assert sorted(stages) == [1, 2, 3]
    expected = [(key, name, position, is_lost) for position, (key, name, is_lost) in enumerate(DEFAULT_STAGES)]
    for tenant_stages in stages.values():
        assert [row[1:] for row in tenant_stages] == expected
    ids = [row[0] for tenant_stages in stages.values() for row in tenant_stages]
    assert len(set(ids)) == 18


def test_existing_clients_are_customers_with_their_entry_in_the_history(old_database):
    command.upgrade(alembic_config(old_database), 'head')
    with old_database.connect() as connection:
        stage_of = {(tenant_id, row[1]): row[0] for tenant_id, rows in _stages(connection).items() for row in rows}
        clients = connection.execute(text(
            'SELECT id, tenant_id, stage_id, stage_entered_at FROM client ORDER BY id').columns(
            stage_entered_at=UTCDateTime())).all()
        changes = connection.execute(text(
            'SELECT client_id, tenant_id, from_stage_id, to_stage_id, changed_by, changed_at FROM stage_change '
            'ORDER BY client_id').columns(changed_at=UTCDateTime())).all()
        secrets = connection.execute(text('SELECT webhook_secret FROM tenant')).scalars().all()
    assert [tuple(row) for row in clients] == [
        (client_id, tenant_id, stage_of[tenant_id, 'client'], CREATED[client_id])
        for client_id, tenant_id, _, _ in CLIENTS]
    assert [tuple(row) for row in changes] == [
        (client_id, tenant_id, None, stage_of[tenant_id, 'client'], None, CREATED[client_id])
        for client_id, tenant_id, _, _ in CLIENTS]
    assert secrets == [None, None, None]


def test_the_upgrade_can_be_undone_and_done_again(old_database):
    config = alembic_config(old_database)
    command.upgrade(config, 'head')
    command.downgrade(config, '0003')
    assert current_revision(old_database) == '0003'
    with old_database.connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM client')).scalar_one() == len(CLIENTS)
    command.upgrade(config, 'head')
    with old_database.connect() as connection:
        assert connection.execute(text('SELECT count(*) FROM pipeline_stage')).scalar_one() == 18
        assert connection.execute(text('SELECT count(*) FROM stage_change')).scalar_one() == len(CLIENTS)
