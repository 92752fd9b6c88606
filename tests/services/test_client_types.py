import pytest

from db.models import Role
from db.session import session_scope
from services.client_types import add_client_type, client_type_usage, remove_client_type, rename_client_type
from services.clients import ClientInput, create_client, get_client
from services.errors import Conflict, Forbidden
from tests.factories import make_tenant, make_user

DEFAULTS = ['CGPI', 'Wholesale', 'Institutionnel', 'Entreprise', 'Particulier']


def test_defaults_then_add_rename_remove(db):
    admin = make_tenant()
    with session_scope() as session:
        assert [name for name, _ in client_type_usage(session, admin)] == DEFAULTS
        add_client_type(session, admin, 'Family office')
        client = create_client(session, admin, ClientInput(name='Famille Kaci', client_type='Family office'))
    with session_scope() as session:
        rename_client_type(session, admin, 'family office', 'Family offices')
    with session_scope() as session:
        assert get_client(session, admin, client.id).client_type == 'Family offices'
        assert ('Family offices', 1) in client_type_usage(session, admin)
    with session_scope() as session, pytest.raises(Conflict):
        remove_client_type(session, admin, 'Family offices')
    with session_scope() as session:
        remove_client_type(session, admin, 'CGPI')
    with session_scope() as session:
        assert 'CGPI' not in [name for name, _ in client_type_usage(session, admin)]


def test_duplicates_and_permissions_and_tenants(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    with session_scope() as session, pytest.raises(Conflict):
        add_client_type(session, admin, 'cgpi')
    with session_scope() as session, pytest.raises(Conflict):
        rename_client_type(session, admin, 'CGPI', 'Wholesale')
    agent = make_user(admin, role=Role.MANAGER)
    with session_scope() as session, pytest.raises(Forbidden):
        add_client_type(session, agent, 'Autre')
    with session_scope() as session:
        add_client_type(session, admin, 'Seulement chez A')
    with session_scope() as session:
        assert 'Seulement chez A' not in [name for name, _ in client_type_usage(session, other)]
