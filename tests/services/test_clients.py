import pytest
from sqlmodel import select

from db.models import ClientStatus, ClientTag, Contact, Document, Role, SearchEntity, SearchEntry
from db.session import session_scope
from services import audit, clients, contacts, documents, search
from services.audit import AuditFilter
from services.clients import ClientFilter, ClientInput
from services.contacts import ContactInput
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import PageRequest
from services.storage import stored_path
from tests.factories import make_case, make_client, make_tenant, make_user


def _input(client, **changes) -> ClientInput:
    """The editable fields of a read client, with some changed: what an edit form sends back."""
    return ClientInput(**{**client.model_dump(include=set(ClientInput.model_fields)), **changes})


def _list(actor, page: PageRequest | None = None, **filters):
    with session_scope() as session:
        return clients.list_clients(session, actor, ClientFilter(**filters), page or PageRequest())


def _names(actor, **filters) -> list[str]:
    return [client.name for client in _list(actor, **filters).items]


def _invalid_field(actor, **fields) -> str | None:
    with session_scope() as session, pytest.raises(Invalid) as error:
        clients.create_client(session, actor, ClientInput(**fields))
    return error.value.field


# --- creation and validation ---------------------------------------------------------------------------------

def test_create_validates_and_normalises(db):
    admin = make_tenant()
    assert _invalid_field(admin, name='   ') == 'name'
    assert _invalid_field(admin, name='SARL Atlas', email='not-an-email') == 'email'
    assert _invalid_field(admin, name='SARL Atlas', phone='12') == 'phone'
    assert _invalid_field(admin, name='SARL Atlas', country='D1') == 'country'
    assert _invalid_field(admin, name='SARL Atlas', client_type='Négoce') == 'client_type'
    assert _invalid_field(admin, name='SARL Atlas', tags=['x' * 41]) == 'tags'

    created = make_client(admin, '  SARL Atlas  ', email=' Contact@Atlas.DZ ', phone='+213 555 123 456',
                          city='  Oran ', client_type='CGPI')
    assert (created.name, created.email, created.phone, created.city) == ('SARL Atlas', 'contact@atlas.dz',
                                                                          '+213555123456', 'Oran')
    assert (created.client_type, created.country, created.status, created.version) == ('CGPI', 'DZ', 'active', 1)
    assert make_client(admin, 'Local', phone='0555 12 34 56').phone == '+213555123456'
    assert make_client(admin, 'Paris', phone='06 12 34 56 78', country='fr').phone == '+33612345678'
    with session_scope() as session:
        assert clients.get_client(session, admin, created.id) == created


def test_each_tenant_starts_with_the_default_client_types(db):
    admin = make_tenant()
    with session_scope() as session:
        assert clients.list_client_types(session, admin) == list(clients.DEFAULT_CLIENT_TYPES)
    for client_type in clients.DEFAULT_CLIENT_TYPES:
        assert make_client(admin, client_type=client_type).client_type == client_type


def test_tags_are_trimmed_deduplicated_and_stored_as_rows(db):
    admin = make_tenant()
    created = make_client(admin, tags=['  VIP ', 'vip', 'Grand   compte', '', 'export', 'EXPORT'])
    assert sorted(created.tags) == ['Grand compte', 'VIP', 'export']
    with session_scope() as session:
        rows = session.exec(select(ClientTag.tag, ClientTag.tenant_id).where(ClientTag.client_id == created.id)).all()
        assert sorted(rows) == [('Grand compte', admin.tenant_id), ('VIP', admin.tenant_id),
                                ('export', admin.tenant_id)]
        assert sorted(clients.list_tags(session, admin)) == ['Grand compte', 'VIP', 'export']
        clients.update_client(session, admin, created.id, _input(created, tags=['export']))
    with session_scope() as session:
        assert clients.get_client(session, admin, created.id).tags == ['export']
        assert session.exec(select(ClientTag.tag).where(ClientTag.client_id == created.id)).all() == ['export']
    with session_scope() as session, pytest.raises(Invalid) as error:
        clients.create_client(session, admin, ClientInput(name='Trop', tags=[f'tag {n}' for n in range(21)]))
    assert error.value.field == 'tags'


def test_owner_must_belong_to_the_tenant(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    owned = make_client(admin, owner_id=admin.user_id)
    assert owned.owner_id == admin.user_id and owned.owner_name == admin.full_name
    assert _invalid_field(admin, name='X', owner_id=other.user_id) == 'owner_id'
    assert _invalid_field(admin, name='X', owner_id=999_999) == 'owner_id'


def test_a_new_client_is_its_creators_unless_told_otherwise(db):
    admin = make_tenant()
    agent = make_user(admin)
    created = make_client(agent)
    assert (created.owner_id, created.owner_name) == (agent.user_id, agent.full_name)
    assert make_client(agent, owner_id=admin.user_id).owner_id == admin.user_id
    assert make_client(agent, owner_id=None).owner_id is None  # «no owner», said in so many words
    mine = make_client(agent, 'Le mien')
    with session_scope() as session:  # a full update sends the owner it wants: no default there
        assert clients.update_client(session, agent, mine.id, _input(mine, owner_id=None)).owner_id is None


# --- lists ---------------------------------------------------------------------------------------------------

def test_list_pages_and_sorts(db):
    admin = make_tenant()
    for name in ('Charlie', 'Alpha', 'Echo', 'Bravo', 'Delta'):
        make_client(admin, name)
    first = _list(admin, PageRequest(limit=2))
    assert [c.name for c in first.items] == ['Alpha', 'Bravo'] and first.total == 5
    last = _list(admin, PageRequest(limit=2, offset=4))
    assert [c.name for c in last.items] == ['Echo'] and last.total == 5
    assert _names(admin, descending=True) == ['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha']
    assert _names(admin, sort='created_at') == ['Charlie', 'Alpha', 'Echo', 'Bravo', 'Delta']
    assert _names(admin, sort='created_at', descending=True) == ['Delta', 'Bravo', 'Echo', 'Alpha', 'Charlie']
    assert _names(admin, sort='no_such_column') == ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo']


def test_list_filters(db):
    admin = make_tenant()
    agent = make_user(admin)
    make_client(admin, 'Alpha', client_type='CGPI', tags=['VIP'], owner_id=agent.user_id)
    make_client(admin, 'Bravo', client_type='Distributeur', tags=['export', 'VIP'])
    make_client(admin, 'Charlie', status=ClientStatus.INACTIVE, client_type='CGPI')
    archived = make_client(admin, 'Delta', tags=['VIP'])
    with session_scope() as session:
        clients.set_status(session, admin, archived.id, ClientStatus.ARCHIVED)

    assert _names(admin) == ['Alpha', 'Bravo', 'Charlie']  # archived clients are hidden by default
    assert _names(admin, status=ClientStatus.ARCHIVED) == ['Delta']
    assert _names(admin, status=ClientStatus.INACTIVE) == ['Charlie']
    assert _names(admin, client_type='CGPI') == ['Alpha', 'Charlie']
    assert _names(admin, tag='VIP') == ['Alpha', 'Bravo']
    assert _names(admin, tag='export') == ['Bravo']
    assert _names(admin, owner_id=agent.user_id) == ['Alpha']
    assert _names(admin, client_type='CGPI', tag='VIP') == ['Alpha']
    assert _list(admin, tag='VIP').total == 2


def test_list_search_by_fragment_ignores_accents(db):
    admin = make_tenant()
    make_client(admin, 'Societe Generale Algerie')
    make_client(admin, 'Société des Eaux', city='Blida')
    make_client(admin, 'Atlas Conseil')
    assert _names(admin, search='société') == ['Societe Generale Algerie', 'Société des Eaux']
    assert _names(admin, search='SOCIETE gen') == ['Societe Generale Algerie']
    assert _names(admin, search='atl') == ['Atlas Conseil']
    assert _names(admin, search='blida') == ['Société des Eaux']
    assert _names(admin, search='zzz') == []
    assert _names(admin, search='  ') == ['Atlas Conseil', 'Societe Generale Algerie', 'Société des Eaux']
    page = _list(admin, PageRequest(limit=1), search='soc')
    assert page.total == 2 and len(page.items) == 1


# --- editing -------------------------------------------------------------------------------------------------

def test_update_with_a_stale_version_is_refused(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas')
    with session_scope() as session:
        updated = clients.update_client(session, admin, created.id, _input(created, city='Oran'),
                                        expected_version=created.version)
    assert (updated.city, updated.version) == ('Oran', created.version + 1)
    with session_scope() as session, pytest.raises(Conflict):
        clients.update_client(session, admin, created.id, _input(created, city='Alger'),
                              expected_version=created.version)
    with session_scope() as session:
        assert clients.get_client(session, admin, created.id).city == 'Oran'
        unchanged = clients.update_client(session, admin, created.id, _input(updated),
                                          expected_version=updated.version)
    assert unchanged.version == updated.version  # saving without a change is not a new version


def test_update_validates_like_create(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas')
    with session_scope() as session, pytest.raises(Invalid) as error:
        clients.update_client(session, admin, created.id, _input(created, name=''))
    assert error.value.field == 'name'
    with session_scope() as session, pytest.raises(Invalid) as error:
        clients.update_client(session, admin, created.id, _input(created, email='a@b'))
    assert error.value.field == 'email'


def test_archive_and_restore(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas')
    with session_scope() as session:
        archived = clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    assert (archived.status, archived.version) == ('archived', created.version + 1)
    assert _names(admin) == []
    with session_scope() as session:
        restored = clients.set_status(session, admin, created.id, ClientStatus.ACTIVE)
    assert (restored.status, restored.version) == ('active', created.version + 2)
    assert _names(admin) == ['Atlas']


def test_audit_records_creation_and_the_changed_fields(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas', city='Oran', tags=['VIP'])
    with session_scope() as session:
        clients.update_client(session, admin, created.id, _input(created, city='Alger', phone='0555 12 34 56'))
        clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    with session_scope() as session:
        entries = audit.list_entries(session, admin, AuditFilter(entity='client'), PageRequest()).items
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry.action, []).append(entry)
    creation = by_action['create'][0]
    assert creation.entity_id == created.id and creation.user_email == admin.email
    assert creation.changes['name'] == [None, 'Atlas'] and creation.changes['tags'] == [None, ['VIP']]
    changes = sorted((entry.changes for entry in by_action['update']), key=len, reverse=True)
    assert changes == [{'city': ['Oran', 'Alger'], 'phone': [None, '+213555123456']},
                       {'status': ['active', 'archived']}]


# --- deletion ------------------------------------------------------------------------------------------------

def test_delete_needs_an_admin_an_archived_client_and_no_case(db):
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    created = make_client(admin, 'Atlas')
    with session_scope() as session, pytest.raises(Conflict):
        clients.delete_client(session, admin, created.id)  # still active
    with session_scope() as session:
        clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    with session_scope() as session, pytest.raises(Forbidden):
        clients.delete_client(session, manager, created.id)

    with_case = make_client(admin, 'Avec dossier')
    make_case(admin, with_case.id)
    with session_scope() as session:
        clients.set_status(session, admin, with_case.id, ClientStatus.ARCHIVED)
    with session_scope() as session, pytest.raises(Conflict):
        clients.delete_client(session, admin, with_case.id)
    with session_scope() as session:
        assert clients.get_client(session, admin, with_case.id).name == 'Avec dossier'


def test_delete_removes_contacts_search_entries_and_files(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas Conseil', tags=['VIP'])
    kept = make_client(admin, 'Atlas Voisin')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, created.id,
                                          ContactInput(first_name='Karim', last_name='Zeroual'))
        document = documents.add_document(session, admin, filename='statuts.txt', chunks=[b'statuts'],
                                          client_id=created.id)
        clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    with session_scope() as session:
        stored = session.exec(select(SearchEntry.entity)).all()
        _, path = documents.document_file(session, admin, document.id)
    assert sorted(stored) == ['client', 'client', 'contact'] and path.is_file()

    with session_scope() as session:
        clients.delete_client(session, admin, created.id)
        assert path.is_file()  # files go only once the deletion is committed
    assert not path.exists()
    with session_scope() as session:
        with pytest.raises(NotFound):
            clients.get_client(session, admin, created.id)
        assert session.get(Contact, contact.id) is None
        assert session.exec(select(ClientTag).where(ClientTag.client_id == created.id)).all() == []
        entries = session.exec(select(SearchEntry.entity, SearchEntry.entity_id)).all()
        assert entries == [(SearchEntity.CLIENT, kept.id)]
        assert [hit.entity_id for hit in search.search(session, admin, 'atlas')] == [kept.id]
        assert search.search(session, admin, 'zeroual') == []


def test_a_rolled_back_deletion_keeps_the_files(db):
    admin = make_tenant()
    created = make_client(admin, 'Atlas')
    with session_scope() as session:
        document = documents.add_document(session, admin, filename='a.txt', chunks=[b'a'], client_id=created.id)
        clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    path = stored_path(admin.tenant_id, _stored_name(document.id))
    with pytest.raises(RuntimeError), session_scope() as session:
        clients.delete_client(session, admin, created.id)
        raise RuntimeError('something else failed')
    assert path.is_file()
    with session_scope() as session:
        assert clients.get_client(session, admin, created.id).status == 'archived'


def _stored_name(document_id: int) -> str:
    with session_scope() as session:
        return session.get(Document, document_id).stored_name


# --- permissions and tenants ---------------------------------------------------------------------------------

def test_viewers_cannot_write(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    created = make_client(admin, 'Atlas')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, created.id, ContactInput(last_name='Zeroual'))
    writes = [
        lambda s: clients.create_client(s, viewer, ClientInput(name='Nouveau')),
        lambda s: clients.update_client(s, viewer, created.id, _input(created, city='Oran')),
        lambda s: clients.set_status(s, viewer, created.id, ClientStatus.ARCHIVED),
        lambda s: clients.delete_client(s, viewer, created.id),
        lambda s: contacts.create_contact(s, viewer, created.id, ContactInput(last_name='Benali')),
        lambda s: contacts.update_contact(s, viewer, contact.id, ContactInput(last_name='Benali')),
        lambda s: contacts.delete_contact(s, viewer, contact.id),
    ]
    for write in writes:
        with session_scope() as session, pytest.raises(Forbidden):
            write(session)
    with session_scope() as session:  # reading is allowed
        assert clients.get_client(session, viewer, created.id).version == created.version
        assert [c.last_name for c in contacts.list_contacts(session, viewer, created.id)] == ['Zeroual']
    assert _list(admin).total == 1


def test_another_tenant_cannot_reach_a_client(db):
    admin = make_tenant('A')
    intruder = make_tenant('B')
    created = make_client(admin, 'Atlas', email='contact@atlas.dz')
    with session_scope() as session:
        clients.set_status(session, admin, created.id, ClientStatus.ARCHIVED)
    attempts = [
        lambda s: clients.get_client(s, intruder, created.id),
        lambda s: clients.update_client(s, intruder, created.id, _input(created, city='Oran')),
        lambda s: clients.set_status(s, intruder, created.id, ClientStatus.ACTIVE),
        lambda s: clients.delete_client(s, intruder, created.id),
    ]
    for attempt in attempts:
        with session_scope() as session, pytest.raises(NotFound):
            attempt(session)
    assert _list(intruder, status=ClientStatus.ARCHIVED).total == 0
    with session_scope() as session:
        assert clients.find_duplicates(session, intruder, name='Atlas', email='contact@atlas.dz') == []
        assert clients.client_names(session, intruder, 'atlas') == []
        assert clients.get_client(session, admin, created.id).status == 'archived'


# --- duplicates ----------------------------------------------------------------------------------------------

def test_find_duplicates_by_email_and_close_name(db):
    admin = make_tenant()
    same_email = make_client(admin, 'Cabinet Mansouri', email='info@mansouri.dz')
    close_name = make_client(admin, 'SARL Algérie Tech')
    make_client(admin, 'SARL Oasis Import')
    make_client(admin, 'Boulangerie du Port')
    with session_scope() as session:
        by_email = clients.find_duplicates(session, admin, name='Autre nom', email='INFO@mansouri.dz ')
        by_name = clients.find_duplicates(session, admin, name='Sarl Algerie Tech', email=None)
        unrelated = clients.find_duplicates(session, admin, name='Pharmacie Centrale', email='x@y.dz')
        itself = clients.find_duplicates(session, admin, name='SARL Algérie Tech', email=None,
                                         exclude_id=close_name.id)
    assert [(c.id, c.reason, c.score) for c in by_email] == [(same_email.id, 'email', 100)]
    assert [(c.id, c.reason) for c in by_name] == [(close_name.id, 'name')] and by_name[0].score >= 85
    assert unrelated == []
    assert itself == []
