"""Interactions created on behalf of other features: they never break the caller's unit of work, and the same
source event gives one interaction — on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from sqlmodel import select

from db.models import Contact, Interaction, InteractionParticipant, InteractionSource, Role
from db.session import session_scope
from services import contacts, interaction_auto, interactions
from services.contacts import ContactInput
from tests.factories import count_rows, make_client, make_tenant, make_user


def _recipients(count: int, domain: str = 'example.dz') -> list[dict]:
    return [{'email': f'lecteur{n}@{domain}', 'name': f'Lecteur {n}'} for n in range(count)]


def test_create_simple_interaction_maps_recipients_to_participants(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas Conseil')
    with session_scope() as session:
        karim = contacts.create_contact(session, admin, client.id, ContactInput(first_name='Karim',
                                                                                last_name='Zeroual'))
        at = datetime(2025, 2, 3, 10, tzinfo=UTC)
        created = interaction_auto.create_simple_interaction(
            session, admin, organisation_id=client.id, activity_type='appel', title='Appel entrant',
            description='Depuis le standard', occurred_at=at, source=InteractionSource.WEBHOOK,
            metadata={'call_id': 'abc'}, idempotency_key='call:abc',
            recipients=[{'person_id': karim.id, 'role': 'Gérant'},
                        {'email': 'Samir@Cabinet.dz', 'name': 'Samir', 'role': 'Avocat'}])
    assert created is not None
    assert (created.client_id, created.type, created.title, created.description, created.occurred_at) == (
        client.id, 'call', 'Appel entrant', 'Depuis le standard', at)
    assert (created.source, created.metadata, created.created_by) == ('webhook', {'call_id': 'abc'}, admin.user_id)
    assert [(p.contact_id, p.external_name, p.external_email, p.external_role) for p in created.participants] == [
        (karim.id, None, None, 'Gérant'), (None, 'Samir', 'samir@cabinet.dz', 'Avocat')]
    with session_scope() as session:
        again = interaction_auto.create_simple_interaction(
            session, admin, organisation_id=client.id, activity_type='call', title='Rejoué',
            idempotency_key='call:abc')
    assert again == created and count_rows(Interaction) == 1
    assert interaction_auto.recipients_to_participants(None) == []


def test_bad_input_gives_none_and_leaves_the_callers_work_intact(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    viewer = make_user(admin, role=Role.VIEWER)
    client = make_client(admin)
    foreign_client = make_client(other)
    failures = [
        (admin, {'organisation_id': client.id, 'activity_type': 'visio'}),  # unknown type
        (admin, {'organisation_id': client.id, 'activity_type': 'call', 'title': 'x' * 201}),
        (admin, {'organisation_id': foreign_client.id, 'activity_type': 'call'}),
        (admin, {'organisation_id': 999_999, 'activity_type': 'call'}),
        (admin, {'organisation_id': client.id, 'activity_type': 'call', 'occurred_at': datetime(2025, 1, 1)}),
        (admin, {'organisation_id': client.id, 'activity_type': 'call', 'recipients': _recipients(51)}),
        (admin, {'organisation_id': client.id, 'activity_type': 'call', 'recipients': [{'email': 'pas-un-mail'}]}),
        (admin, {'organisation_id': client.id, 'activity_type': 'call',
                 'recipients': [{'person_id': 999_999}]}),
        (admin, {'organisation_id': client.id, 'activity_type': 'call', 'metadata': {'blob': 'x' * 20_000}}),
        (viewer, {'organisation_id': client.id, 'activity_type': 'call'}),
    ]
    with session_scope() as session:
        contact = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Avant'))
        for actor, fields in failures:
            fields.setdefault('title', 'Automatique')
            assert interaction_auto.create_simple_interaction(session, actor, **fields) is None, fields
        later = contacts.create_contact(session, admin, client.id, ContactInput(last_name='Après'))
        created = interaction_auto.create_simple_interaction(session, admin, organisation_id=client.id,
                                                             activity_type='email', title='Réussi')
        assert created is not None
    with session_scope() as session:
        names = sorted(session.exec(select(Contact.last_name).where(Contact.client_id == client.id)).all())
        assert names == ['Après', 'Avant'] and {contact.id, later.id} == set(
            session.exec(select(Contact.id).where(Contact.client_id == client.id)).all())
        assert [row.title for row in session.exec(select(Interaction)).all()] == ['Réussi']
    assert count_rows(InteractionParticipant) == 0


def test_a_database_error_stays_inside_the_savepoint(db):
    """PostgreSQL refuses NUL characters in text: the error is the database's, and the caller's unit of work goes
    on all the same."""
    admin = make_tenant()
    client = make_client(admin)
    with session_scope() as session:
        contacts.create_contact(session, admin, client.id, ContactInput(last_name='Avant'))
        result = interaction_auto.create_simple_interaction(session, admin, organisation_id=client.id,
                                                            activity_type='note', title='Nul', description='a\x00b')
        contacts.create_contact(session, admin, client.id, ContactInput(last_name='Après'))
    if db.dialect.name == 'postgresql':
        assert result is None and count_rows(Interaction) == 0
    with session_scope() as session:
        assert sorted(session.exec(select(Contact.last_name)).all()) == ['Après', 'Avant']


def test_a_failed_savepoint_does_not_undo_earlier_interactions_of_the_same_unit(db):
    admin = make_tenant()
    client = make_client(admin)
    with session_scope() as session:
        first = interaction_auto.create_simple_interaction(session, admin, organisation_id=client.id,
                                                           activity_type='note', title='Premier')
        assert interaction_auto.create_simple_interaction(
            session, admin, organisation_id=client.id, activity_type='call', title='Raté',
            recipients=[{'email': 'ok@example.dz'}, {'email': 'faux'}]) is None
        second = interaction_auto.create_simple_interaction(session, admin, organisation_id=client.id,
                                                            activity_type='note', title='Second',
                                                            recipients=[{'email': 'ok@example.dz'}])
    with session_scope() as session:
        assert [r.title for r in interactions.recent(session, admin, limit=10)] == ['Second', 'Premier']
        assert interactions.get_interaction(session, admin, first.id).participants == []
        assert len(interactions.get_interaction(session, admin, second.id).participants) == 1
    assert count_rows(InteractionParticipant) == 1


def test_newsletter_keeps_fifty_participants_and_the_fullcount_rows(db):
    admin = make_tenant()
    client = make_client(admin)
    second_client = make_client(admin)
    recipients = _recipients(200)
    with session_scope() as session:
        created = interaction_auto.create_from_newsletter(session, admin, campaign_id=7, organisation_id=client.id,
                                                          recipients=recipients, campaign_name='Lettre de mars')
    assert created is not None
    assert (created.type, created.source, created.title) == ('newsletter', 'newsletter', 'Newsletter : Lettre de mars')
    assert created.metadata == {'campaign_id': 7, 'total_recipients': 200}
    assert [p.external_email for p in created.participants] == [r['email'] for r in recipients[:50]]
    with session_scope() as session:
        again = interaction_auto.create_from_newsletter(session, admin, campaign_id=7, organisation_id=client.id,
                                                        recipients=recipients[:3], campaign_name='Renvoi')
    assert again is not None and again.id == created.id and again.metadata['total_recipients'] == 200
    with session_scope() as session:
        elsewhere = interaction_auto.create_from_newsletter(session, admin, campaign_id=7,
                                                            organisation_id=second_client.id, recipients=[])
        unnamed = interaction_auto.create_from_newsletter(session, admin, campaign_id=8,
                                                          organisation_id=client.id, recipients=recipients[:2])
    assert elsewhere.id != created.id and elsewhere.participants == [] and elsewhere.title == 'Newsletter n° 7'
    assert unnamed.metadata == {'campaign_id': 8, 'total_recipients': 2}
    assert count_rows(Interaction) == 3 and count_rows(InteractionParticipant) == 52
