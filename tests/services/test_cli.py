import re

import pytest

from cli import run
from db.session import session_scope
from services.demo import fill_tenant
from services.overview import tenant_overview
from services.tenants import require_tenant
from tests.factories import PASSWORD


def test_tenant_user_and_demo_commands(db, capsys):
    assert run(['tenant', 'create', '--name', 'Cabinet Oran', '--admin-email', 'boss@oran.dz',
                '--admin-password', PASSWORD]) == 0
    assert run(['user', 'create', '--tenant', 'cabinet oran', '--email', 'lea@oran.dz', '--password', PASSWORD,
                '--role', 'viewer']) == 0
    assert run(['demo', '--tenant', 'Cabinet Oran', '--clients', '120']) == 0
    assert re.search(r'«Cabinet Oran»: 120 demo clients added, with \d+ contacts, 240 cases, 1200 notes and \d+ '
                     r'search entries, in \d+\.\d s\.', capsys.readouterr().out)
    with session_scope() as session:
        tenant = require_tenant(session, 'Cabinet Oran')
    from services.login import log_in

    actor = log_in('lea@oran.dz', PASSWORD, source='127.0.0.1').actor
    assert actor.role == 'viewer' and actor.tenant_id == tenant.id
    with session_scope() as session:
        overview = tenant_overview(session, actor)
    assert overview.clients + overview.archived_clients == 120 and overview.users == 2  # «clients»: not archived


@pytest.mark.parametrize(('argv', 'message'), [
    (['user', 'create', '--tenant', 'Nowhere', '--email', 'a@b.dz', '--password', PASSWORD], 'not found'),
    (['tenant', 'create', '--name', 'X', '--admin-email', 'bad', '--admin-password', PASSWORD], 'Invalid e-mail'),
    (['demo', '--tenant', 'Nowhere', '--clients', '5'], 'not found'),
    (['demo', '--tenant', 'Nowhere', '--clients', '-5'], 'zero or more'),
])
def test_errors_are_one_readable_line(db, capsys, argv, message):
    assert run(argv) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and '\n' not in error and 'Traceback' not in error


def test_demo_data_is_realistic(db):
    run(['tenant', 'create', '--name', 'Démo', '--admin-email', 'demo@demo.dz', '--admin-password', PASSWORD])
    with session_scope() as session:
        tenant = require_tenant(session, 'Démo')
        fill_tenant(session, tenant, clients=300, seed=7)
    from sqlmodel import select

    from db.models import Client

    with session_scope() as session:
        clients = session.exec(select(Client).where(Client.tenant_id == tenant.id)).all()
    assert len(clients) == 300
    assert sum(c.country == 'DZ' for c in clients) > 150
    assert all(c.phone is None or c.phone.startswith('+213') for c in clients)
    assert {c.client_type for c in clients} >= {'CGPI', 'Distributeur', 'Institutionnel'}
    assert len({c.name for c in clients}) > 250


def test_an_unreachable_database_is_one_readable_line(capsys):
    import os

    from db.engine import configure_engine

    configure_engine('postgresql+psycopg://crm:secret@127.0.0.1:1/crm')
    try:
        assert run(['migrate']) == 1
    finally:
        configure_engine(os.environ['CRM_DATABASE_URL'])
    error = capsys.readouterr().err.strip()
    assert error.startswith('crm: cannot reach the database') and '\n' not in error
    assert 'secret' not in error


def test_serve_prepares_the_database_in_a_child_process(sqlite_db, monkeypatch):
    """Migration and first start run in a child (Alembic and the demo generator stay out of the server)."""
    import sys

    from cli import _prepare_in_child
    from services.bootstrap import has_users

    monkeypatch.setenv('CRM_ADMIN_PASSWORD', PASSWORD)
    modules = set(sys.modules)
    prepared = _prepare_in_child()
    assert prepared['started']['admin_email'] == 'admin@demo.dz' and prepared['started']['demo_clients'] == 0
    assert prepared['job_id'] is None and prepared['run_id'] is None and prepared['interrupted'] == 0
    with session_scope() as session:
        assert has_users(session)
    assert _prepare_in_child()['started'] is None  # the next start finds its workspace
    assert set(sys.modules) == modules
