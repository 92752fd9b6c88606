"""Contacts: the people of a client — on SQLite and PostgreSQL."""

import pytest

from db.models import SearchEntity
from db.session import session_scope
from services import contacts, search
from services.contacts import ContactInput
from services.errors import Conflict, Invalid, NotFound
from tests.factories import make_client, make_tenant


def test_contacts_create_update_delete(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas Conseil')
    with session_scope() as session:
        created = contacts.create_contact(session, admin, client.id, ContactInput(
            first_name=' Karim ', last_name=' Zeroual ', email='K.Zeroual@Atlas.dz', phone='0555 12 34 56',
            role='Gérant'))
    assert (created.full_name, created.email, created.phone, created.role, created.client_id) == (
        'Karim Zeroual', 'k.zeroual@atlas.dz', '+213555123456', 'Gérant', client.id)
    with session_scope() as session:
        updated = contacts.update_contact(session, admin, created.id, ContactInput(
            first_name='Karim', last_name='Zeroual', email='k.zeroual@atlas.dz', role=''),
            expected_version=created.version)
    assert (updated.phone, updated.role, updated.version) == (None, None, created.version + 1)
    with session_scope() as session, pytest.raises(Conflict):
        contacts.update_contact(session, admin, created.id, ContactInput(last_name='Autre'),
                                expected_version=created.version)
    with session_scope() as session:
        contacts.create_contact(session, admin, client.id, ContactInput(first_name='Amel', last_name='Benali'))
        assert [c.last_name for c in contacts.list_contacts(session, admin, client.id)] == ['Benali', 'Zeroual']
        contacts.delete_contact(session, admin, created.id)
    with session_scope() as session:
        assert [c.last_name for c in contacts.list_contacts(session, admin, client.id)] == ['Benali']
        assert search.search(session, admin, 'zeroual') == []
        with pytest.raises(NotFound):
            contacts.delete_contact(session, admin, created.id)


def test_contact_validation_uses_the_client_country(db):
    admin = make_tenant()
    client = make_client(admin, 'Maison Paris', country='FR')
    for data, field in ((ContactInput(first_name='Sans nom'), 'last_name'),
                        (ContactInput(last_name='Durand', email='durand@'), 'email'),
                        (ContactInput(last_name='Durand', phone='abc'), 'phone'),
                        (ContactInput(last_name='Durand', phone='06 12'), 'phone')):
        with session_scope() as session, pytest.raises(Invalid) as error:
            contacts.create_contact(session, admin, client.id, data)
        assert error.value.field == field
    with session_scope() as session:
        created = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Durand',
                                                                                   phone='06 12 34 56 78'))
        assert created.phone == '+33612345678'
        assert contacts.list_contacts(session, admin, client.id) == [created]


def test_contacts_stay_in_their_tenant(db):
    admin = make_tenant('A')
    intruder = make_tenant('B')
    client = make_client(admin, 'Atlas')
    own_client = make_client(intruder, 'Chez B')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Zeroual'))
    attempts = [
        lambda s: contacts.list_contacts(s, intruder, client.id),
        lambda s: contacts.create_contact(s, intruder, client.id, ContactInput(last_name='Intrus')),
        lambda s: contacts.update_contact(s, intruder, contact.id, ContactInput(last_name='Intrus')),
        lambda s: contacts.delete_contact(s, intruder, contact.id),
    ]
    for attempt in attempts:
        with session_scope() as session, pytest.raises(NotFound):
            attempt(session)
    with session_scope() as session:
        assert contacts.list_contacts(session, intruder, own_client.id) == []
        assert search.search(session, intruder, 'zeroual') == []
        assert [c.last_name for c in contacts.list_contacts(session, admin, client.id)] == ['Zeroual']


def test_search_finds_a_contact_with_its_client_as_parent(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas Conseil')
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(
            first_name='Nadia', last_name='Hamidi', role='Comptable'))
    with session_scope() as session:
        hits = search.search(session, admin, 'hamidi')
    assert [(h.entity, h.entity_id, h.parent_id, h.title) for h in hits] == [
        (SearchEntity.CONTACT, contact.id, client.id, 'Nadia Hamidi')]
    assert 'Atlas Conseil' in hits[0].subtitle and hits[0].path == f'/clients/{client.id}?tab=contacts'
