import pytest
from sqlmodel import col, select

from db.models import ClientType, Role
from db.session import session_scope
from services.client_types import add_client_type, client_type_usage, remove_client_type, rename_client_type
from services.clients import ClientInput, create_client, get_client
from services.errors import Conflict, Forbidden
from services.stages import stages_of
from services.tenants import create_tenant
from settings import reload_settings
from tests.factories import PASSWORD, make_tenant, make_user

DEFAULTS = ['CGPI', 'Distributeur', 'Institutionnel', 'Entreprise', 'Particulier']


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
        rename_client_type(session, admin, 'CGPI', 'Distributeur')
    agent = make_user(admin, role=Role.MANAGER)
    with session_scope() as session, pytest.raises(Forbidden):
        add_client_type(session, agent, 'Autre')
    with session_scope() as session:
        add_client_type(session, admin, 'Seulement chez A')
    with session_scope() as session:
        assert 'Seulement chez A' not in [name for name, _ in client_type_usage(session, other)]


def _vocabulary(tenant_id: int) -> tuple[list[str], list[str]]:
    """A tenant's client types and stage names, in their order."""
    with session_scope() as session:
        types = session.exec(select(ClientType.name).where(ClientType.tenant_id == tenant_id)
                             .order_by(col(ClientType.position))).all()
        return list(types), [stage.name for stage in stages_of(session, tenant_id)]


def test_a_new_tenant_gets_its_client_types_and_stages_in_its_language(db, monkeypatch):
    """No «Wholesale» in a French workspace: the words it starts with are in its language (the instance's,
    CRM_LANGUAGE, unless told otherwise), and its own from then on."""
    with session_scope() as session:
        french, _ = create_tenant(session, name='Cabinet Numidia', admin_email='admin@numidia.dz',
                                  admin_password=PASSWORD)
        english, _ = create_tenant(session, name='Atlas Partners', admin_email='admin@atlas.example',
                                   admin_password=PASSWORD, language='en')
    assert _vocabulary(french.id) == (
        ['CGPI', 'Distributeur', 'Institutionnel', 'Entreprise', 'Particulier'],
        ['Prospect froid', 'Prospect tiède', 'Prospect chaud', 'Négociation', 'Client', 'Perdu'])
    assert _vocabulary(english.id) == (
        ['IFA', 'Wholesale', 'Institutional', 'Company', 'Individual'],
        ['Cold prospect', 'Warm prospect', 'Hot prospect', 'Negotiation', 'Client', 'Lost'])
    monkeypatch.setenv('CRM_LANGUAGE', 'en')
    reload_settings()
    try:
        with session_scope() as session:
            instance, _ = create_tenant(session, name='Sahara Advisors', admin_email='admin@sahara.example',
                                        admin_password=PASSWORD)
    finally:
        monkeypatch.undo()
        reload_settings()
    assert _vocabulary(instance.id) == _vocabulary(english.id)
