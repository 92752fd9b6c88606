"""E-mails, phones and websites of many clients and contacts at once, within the actor's tenant only."""

from db.session import session_scope
from services import contact_points
from services.contact_points import ContactPoints
from services.contacts import ContactInput, create_contact
from tests.factories import make_client, make_tenant


def test_contact_points_of_clients_and_contacts(db):
    admin, other = make_tenant('A'), make_tenant('B')
    atlas = make_client(admin, 'EURL Atlas', email='contact@atlas.dz', phone='0555 12 34 56', website='atlas.dz')
    bare = make_client(admin, 'Sans coordonnées')
    foreign = make_client(other, 'Client de B', email='b@b.dz')
    with session_scope() as session:
        karim = create_contact(session, admin, atlas.id, ContactInput(last_name='Haddad', email='k@atlas.dz'))
        foreign_contact = create_contact(session, other, foreign.id, ContactInput(last_name='B', phone='0661223344'))
    with session_scope() as session:
        assert contact_points.of_clients(session, admin, {atlas.id, bare.id, foreign.id}) == {
            atlas.id: ContactPoints('contact@atlas.dz', '+213555123456', 'atlas.dz'),
            bare.id: ContactPoints(None, None, None)}
        assert contact_points.of_contacts(session, admin, {karim.id, foreign_contact.id}) == {
            karim.id: ContactPoints('k@atlas.dz', None)}
        assert contact_points.of_clients(session, admin, set()) == {}
