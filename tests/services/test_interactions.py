"""Interactions with their participants, lists, the recent-activities widget and a client's timeline — on SQLite
and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import col, select

from db.models import (
    AttendanceStatus,
    AuditLog,
    Interaction,
    InteractionParticipant,
    InteractionSource,
    InteractionType,
    Role,
    StageChange,
    utcnow,
)
from db.session import session_scope
from services import contacts, interactions, pipeline
from services.contacts import ContactInput
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.interactions import InteractionFilter, InteractionInput, ParticipantInput
from services.paging import PageRequest
from services.stages import stages_of
from tests.factories import count_rows, make_client, make_tenant, make_user


def _create(actor, **fields):
    fields.setdefault('type', 'call')
    fields.setdefault('title', 'Appel de suivi')
    with session_scope() as session:
        return interactions.create_interaction(session, actor, InteractionInput(**fields))


def _contact(actor, client_id: int, last_name: str, email: str | None = None, first_name: str = ''):
    with session_scope() as session:
        return contacts.create_contact(session, actor, client_id, ContactInput(first_name=first_name,
                                                                               last_name=last_name, email=email))


def _list(actor, page: PageRequest | None = None, **filters):
    with session_scope() as session:
        return interactions.list_interactions(session, actor, InteractionFilter(**filters), page or PageRequest())


def _titles(actor, **filters) -> list[str]:
    return [row.title for row in _list(actor, **filters).items]


def _invalid(actor, **fields) -> Invalid:
    with session_scope() as session, pytest.raises(Invalid) as error:
        interactions.create_interaction(session, actor, InteractionInput(**{'type': 'call', 'title': 'X', **fields}))
    return error.value


# --- creation --------------------------------------------------------------------------------------------------

def test_create_with_crm_and_outside_participants(db):
    admin = make_tenant()
    client = make_client(admin, 'Atlas Conseil')
    neighbour = make_client(admin, 'Voisin')
    karim = _contact(admin, client.id, 'Zeroual', 'karim@atlas.dz', 'Karim')
    amel = _contact(admin, client.id, 'Benali', 'amel@atlas.dz', 'Amel')
    nadia = _contact(admin, neighbour.id, 'Hamdi', 'nadia@voisin.dz', 'Nadia')
    at = datetime(2025, 6, 3, 9, 30, tzinfo=UTC)
    created = _create(admin, client_id=client.id, type='meeting', title='  Revue annuelle ', description=' Bilan ',
                      occurred_at=at, duration_minutes=90, contact_id=karim.id, is_pitch=True,
                      metadata={'room': 'B2', 'at': at}, participants=[
                          ParticipantInput(contact_id=karim.id, is_organizer=True),
                          ParticipantInput(name=' Samir Ould ', email=' Samir@Cabinet.DZ ', role=' Avocat '),
                          ParticipantInput(email='AMEL@atlas.dz', attendance_status=AttendanceStatus.INVITED),
                          ParticipantInput(email='nadia@voisin.dz'),
                          ParticipantInput(name='Yacine'),
                          ParticipantInput(email='karim@atlas.dz'),  # Karim again, by e-mail
                          ParticipantInput(name='Autre Samir', email='samir@cabinet.dz'),
                          ParticipantInput(contact_id=amel.id),
                          ParticipantInput(name='YACINE')])
    assert (created.client_id, created.client_name, created.contact_id, created.contact_name) == (
        client.id, 'Atlas Conseil', karim.id, 'Karim Zeroual')
    assert (created.type, created.title, created.description, created.occurred_at, created.duration_minutes) == (
        InteractionType.MEETING, 'Revue annuelle', 'Bilan', at, 90)
    assert (created.is_pitch, created.source, created.version, created.is_planned) == (
        True, InteractionSource.MANUAL, 1, False)
    assert created.metadata == {'room': 'B2', 'at': str(at)}
    assert (created.created_by, created.created_by_name) == (admin.user_id, admin.full_name)
    assert [(p.contact_id, p.external_name, p.external_email, p.external_role, p.is_organizer,
             p.attendance_status, p.display_name) for p in created.participants] == [
        (karim.id, None, None, None, True, 'confirmed', 'Karim Zeroual'),
        (None, 'Samir Ould', 'samir@cabinet.dz', 'Avocat', False, 'confirmed', 'Samir Ould'),
        (amel.id, None, None, None, False, 'invited', 'Amel Benali'),
        (nadia.id, None, None, None, False, 'confirmed', 'Nadia Hamdi'),
        (None, 'Yacine', None, None, False, 'confirmed', 'Yacine')]
    with session_scope() as session:
        assert interactions.get_interaction(session, admin, created.id) == created
    assert count_rows(InteractionParticipant, interaction_id=created.id) == 5
    assert count_rows(InteractionParticipant, tenant_id=admin.tenant_id) == 5
    [audit] = [a for a in _audit_rows(admin) if a.action == 'create']
    assert audit.entity_id == created.id and audit.changes['title'] == [None, 'Revue annuelle']


def _audit_rows(actor) -> list[AuditLog]:
    with session_scope() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.tenant_id == actor.tenant_id,
                                                        AuditLog.entity == 'interaction')
                                 .order_by(col(AuditLog.id))).all())


def test_an_outside_email_is_linked_to_the_clients_own_contact_first(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    elsewhere = make_client(admin)
    _contact(admin, elsewhere.id, 'Ailleurs', 'shared@example.dz')
    own = _contact(admin, client.id, 'Maison', 'shared@example.dz')
    foreign_client = make_client(other)
    _contact(other, foreign_client.id, 'Étranger', 'foreign@example.dz')
    created = _create(admin, client_id=client.id, participants=[ParticipantInput(email='shared@example.dz'),
                                                                ParticipantInput(email='foreign@example.dz')])
    assert [(p.contact_id, p.external_email) for p in created.participants] == [
        (own.id, None), (None, 'foreign@example.dz')]


def test_interaction_types_and_their_french_aliases(db):
    assert [InteractionInput(client_id=1, type=name).type for name in (
        'appel', ' Réunion ', 'reunion', 'dejeuner', 'déjeuner', 'webinaire', 'courriel', 'mail', 'NOTE', 'lunch')] == [
        'call', 'meeting', 'meeting', 'lunch', 'lunch', 'webinar', 'email', 'email', 'note', 'lunch']
    assert interactions.parse_type('appel') == InteractionType.CALL
    assert interactions.parse_type(InteractionType.NEWSLETTER) == InteractionType.NEWSLETTER
    assert interactions.parse_types('email, appel,,reunion,email') == ['email', 'call', 'meeting']
    assert interactions.parse_types(['dejeuner,call', 'appel']) == ['lunch', 'call']
    assert interactions.parse_types(None) == [] and interactions.parse_types('') == []
    for parse, unknown in ((interactions.parse_type, 'visio'), (interactions.parse_type, ' '),
                           (interactions.parse_types, 'appel,visio'), (interactions.parse_types, ['email', 'fax'])):
        with pytest.raises(Invalid) as error:
            parse(unknown)
        assert (error.value.key, error.value.field) == ('error.interaction_type_unknown', 'type')
    with pytest.raises(ValidationError):
        InteractionInput(client_id=1, type='visio')

    admin = make_tenant()
    client = make_client(admin)
    for alias, stored in (('appel', 'call'), ('reunion', 'meeting'), ('dejeuner', 'lunch')):
        assert _create(admin, client_id=client.id, type=alias).type == stored
    assert sorted(count_rows(Interaction, type=t) for t in ('call', 'meeting', 'lunch')) == [1, 1, 1]


def test_creation_is_validated_and_nothing_is_written_when_refused(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    neighbour = make_client(admin)
    foreign_client = make_client(other)
    neighbours_contact = _contact(admin, neighbour.id, 'Voisin')
    foreign_contact = _contact(other, foreign_client.id, 'Étranger')
    crowd = [ParticipantInput(email=f'p{n}@example.dz') for n in range(51)]
    refused = {
        'participants': {'participants': crowd},
        'contact_id': {'contact_id': neighbours_contact.id},
        'title': {'title': '   '},
        'duration_minutes': {'duration_minutes': 24 * 60 + 1},
        'occurred_at': {'occurred_at': datetime(2025, 1, 1, 9, 0)},  # no time zone
        'metadata': {'metadata': {'blob': 'x' * 10_001}},
        'participants.1.email': {'participants': [ParticipantInput(name='A'), ParticipantInput(email='pas-un-mail')]},
        'participants.0.contact_id': {'participants': [ParticipantInput(contact_id=foreign_contact.id)]},
        'participants.2': {'participants': [ParticipantInput(name='A'), ParticipantInput(name='B'),
                                            ParticipantInput(role='Sans nom')]},
    }
    for field, fields in refused.items():
        error = _invalid(admin, client_id=client.id, **fields)
        assert error.field == field, field
    assert _invalid(admin, client_id=client.id, participants=crowd).params == {'max': 50}
    assert _invalid(admin, client_id=client.id, contact_id=foreign_contact.id).key == 'error.contact_unknown'
    assert _invalid(admin, client_id=client.id, occurred_at=utcnow() + timedelta(days=366 * 51)).field == \
        'occurred_at'
    with session_scope() as session, pytest.raises(NotFound):
        interactions.create_interaction(session, admin, InteractionInput(
            client_id=foreign_client.id, type='call', title='Chez les autres',
            participants=[ParticipantInput(email='x@example.dz')]))
    with session_scope() as session, pytest.raises(NotFound):
        interactions.create_interaction(session, admin, InteractionInput(client_id=999_999, type='call', title='?'))
    viewer = make_user(admin, role=Role.VIEWER)
    with session_scope() as session, pytest.raises(Forbidden):
        interactions.create_interaction(session, viewer, InteractionInput(client_id=client.id, type='call',
                                                                          title='Lecture seule'))
    assert count_rows(Interaction) == 0 and count_rows(InteractionParticipant) == 0 and _audit_rows(admin) == []


def test_fifty_participants_are_accepted(db):
    admin = make_tenant()
    client = make_client(admin)
    created = _create(admin, client_id=client.id, type='webinar',
                      participants=[ParticipantInput(email=f'p{n}@example.dz') for n in range(50)])
    assert len(created.participants) == 50


def test_an_idempotency_key_gives_back_the_interaction_logged_first(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    first = _create(admin, client_id=client.id, title='Premier envoi', idempotency_key='mail:42',
                    participants=[ParticipantInput(email='a@example.dz')])
    again = _create(admin, client_id=client.id, title='Second envoi', idempotency_key='mail:42', type='email')
    assert again == first and again.title == 'Premier envoi'
    assert count_rows(Interaction) == 1 and count_rows(InteractionParticipant) == 1
    assert len(_audit_rows(admin)) == 1
    elsewhere = _create(other, client_id=make_client(other).id, idempotency_key='mail:42')
    assert elsewhere.id != first.id
    assert _create(admin, client_id=client.id, idempotency_key='mail:43').id not in (first.id, elsewhere.id)
    assert _create(admin, client_id=client.id).id != _create(admin, client_id=client.id).id  # no key: no check
    assert count_rows(Interaction, tenant_id=admin.tenant_id) == 4


def test_concurrent_creations_with_one_key_give_one_interaction(db):
    admin = make_tenant()
    client = make_client(admin)
    start = threading.Barrier(8)

    def create(number: int) -> int:
        start.wait()
        with session_scope() as session:
            return interactions.create_interaction(session, admin, InteractionInput(
                client_id=client.id, type='email', title=f'Envoi {number}', idempotency_key='mail:7',
                participants=[ParticipantInput(email=f'p{number}@example.dz')])).id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(create, range(8)))
    assert len(set(ids)) == 1
    assert count_rows(Interaction) == 1 and count_rows(InteractionParticipant) == 1 and len(_audit_rows(admin)) == 1


# --- update and delete -----------------------------------------------------------------------------------------

def test_update_replaces_fields_and_participants(db):
    admin = make_tenant()
    agent = make_user(admin)
    client = make_client(admin)
    other_client = make_client(admin)
    karim = _contact(admin, client.id, 'Zeroual', 'karim@atlas.dz', 'Karim')
    created = _create(admin, client_id=client.id, type='call', title='Appel', source=InteractionSource.WEBHOOK,
                      idempotency_key='hook:1', occurred_at=datetime(2025, 5, 1, 10, tzinfo=UTC),
                      participants=[ParticipantInput(contact_id=karim.id), ParticipantInput(name='Samir')])
    with session_scope() as session:
        updated = interactions.update_interaction(session, agent, created.id, InteractionInput(
            client_id=other_client.id, type='dejeuner', title='Déjeuner', source=InteractionSource.MANUAL,
            occurred_at=datetime(2025, 5, 2, 12, tzinfo=UTC), duration_minutes=60, is_pitch=True,
            idempotency_key='ignored', participants=[ParticipantInput(email='new@example.dz', is_organizer=True),
                                                     ParticipantInput(email='karim@atlas.dz')]),
            expected_version=created.version)
    assert (updated.id, updated.version, updated.client_id, updated.type, updated.title) == (
        created.id, 2, other_client.id, 'lunch', 'Déjeuner')
    assert (updated.source, updated.is_pitch, updated.duration_minutes, updated.created_by) == (
        InteractionSource.WEBHOOK, True, 60, admin.user_id)
    assert [(p.contact_id, p.external_email, p.is_organizer) for p in updated.participants] == [
        (None, 'new@example.dz', True), (karim.id, None, False)]
    assert count_rows(InteractionParticipant) == 2
    with session_scope() as session:
        assert session.get(Interaction, created.id).idempotency_key == 'hook:1'
    [audit] = [a for a in _audit_rows(admin) if a.action == 'update']
    assert audit.user_id == agent.user_id and audit.changes['type'] == ['call', 'lunch']

    with session_scope() as session, pytest.raises(Conflict):
        interactions.update_interaction(session, admin, created.id, InteractionInput(
            client_id=client.id, type='call', title='Trop tard'), expected_version=created.version)
    with session_scope() as session, pytest.raises(Invalid):
        interactions.update_interaction(session, admin, created.id, InteractionInput(
            client_id=client.id, type='call', title='Trop de monde',
            participants=[ParticipantInput(email=f'p{n}@example.dz') for n in range(51)]))
    with session_scope() as session:
        assert interactions.get_interaction(session, admin, created.id) == updated
        cleared = interactions.update_interaction(session, admin, created.id, InteractionInput(
            client_id=other_client.id, type='lunch', title='Déjeuner', occurred_at=updated.occurred_at),
            expected_version=2)
    assert (cleared.version, cleared.participants, cleared.is_pitch) == (3, [], False)
    assert count_rows(InteractionParticipant) == 0


def test_update_and_delete_are_kept_within_the_tenant_and_refused_to_viewers(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    viewer = make_user(admin, role=Role.VIEWER)
    client = make_client(admin)
    created = _create(admin, client_id=client.id, participants=[ParticipantInput(name='Samir')])
    data = InteractionInput(client_id=client.id, type='call', title='Changé')
    foreign_client = make_client(other)
    with session_scope() as session:
        for actor, error in ((other, NotFound), (viewer, Forbidden)):
            with pytest.raises(error):
                interactions.update_interaction(session, actor, created.id, data)
            with pytest.raises(error):
                interactions.delete_interaction(session, actor, created.id)
        with pytest.raises(NotFound):
            interactions.get_interaction(session, other, created.id)
        with pytest.raises(NotFound):  # moving it to another tenant's client
            interactions.update_interaction(session, admin, created.id, data.model_copy(
                update={'client_id': foreign_client.id}))
    with session_scope() as session:
        assert interactions.get_interaction(session, admin, created.id).title == 'Appel de suivi'


def test_delete_removes_the_interaction_and_its_participants(db):
    admin = make_tenant()
    client = make_client(admin)
    kept = _create(admin, client_id=client.id, participants=[ParticipantInput(name='Reste')])
    removed = _create(admin, client_id=client.id, title='À effacer', participants=[
        ParticipantInput(name='Samir'), ParticipantInput(email='x@example.dz')])
    with session_scope() as session:
        interactions.delete_interaction(session, admin, removed.id)
    with session_scope() as session, pytest.raises(NotFound):
        interactions.get_interaction(session, admin, removed.id)
    with session_scope() as session, pytest.raises(NotFound):
        interactions.delete_interaction(session, admin, removed.id)
    assert count_rows(Interaction) == 1 and count_rows(InteractionParticipant) == 1
    assert count_rows(InteractionParticipant, interaction_id=kept.id) == 1
    [audit] = [a for a in _audit_rows(admin) if a.action == 'delete']
    assert (audit.entity_id, audit.changes['title'], audit.changes['type']) == (removed.id, 'À effacer', 'call')


# --- lists -----------------------------------------------------------------------------------------------------

def test_list_filters_by_type_client_contact_author_and_period(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    agent = make_user(admin)
    atlas, sahel = make_client(admin), make_client(admin)
    karim = _contact(admin, atlas.id, 'Zeroual', 'karim@atlas.dz')
    amel = _contact(admin, sahel.id, 'Benali', 'amel@sahel.dz')
    day = datetime(2025, 4, 1, 9, tzinfo=UTC)
    _create(admin, client_id=atlas.id, type='call', title='A1', occurred_at=day)
    _create(agent, client_id=atlas.id, type='email', title='A2', occurred_at=day + timedelta(days=1),
            contact_id=karim.id)
    _create(admin, client_id=atlas.id, type='meeting', title='A3', occurred_at=day + timedelta(days=2),
            participants=[ParticipantInput(contact_id=karim.id), ParticipantInput(contact_id=amel.id)])
    _create(agent, client_id=sahel.id, type='lunch', title='S1', occurred_at=day + timedelta(days=3),
            contact_id=amel.id)
    _create(admin, client_id=sahel.id, type='call', title='S2', occurred_at=day + timedelta(days=4),
            participants=[ParticipantInput(email='karim@atlas.dz')])
    _create(other, client_id=make_client(other).id, title='Ailleurs', occurred_at=day)

    assert _titles(admin) == ['S2', 'S1', 'A3', 'A2', 'A1']
    assert _list(admin).total == 5
    assert _titles(admin, types=(InteractionType.CALL,)) == ['S2', 'A1']
    assert _titles(admin, types=tuple(interactions.parse_types('reunion,dejeuner'))) == ['S1', 'A3']
    assert _titles(admin, client_id=atlas.id) == ['A3', 'A2', 'A1']
    assert _titles(admin, contact_id=karim.id) == ['S2', 'A3', 'A2']
    assert _titles(admin, contact_id=amel.id) == ['S1', 'A3']
    assert _titles(admin, created_by=agent.user_id) == ['S1', 'A2']
    assert _titles(admin, since=day + timedelta(days=1), until=day + timedelta(days=3)) == ['A3', 'A2']
    assert _titles(admin, client_id=sahel.id, types=(InteractionType.CALL,), created_by=admin.user_id) == ['S2']
    page = _list(admin, PageRequest(limit=2, offset=2))
    assert ([row.title for row in page.items], page.total, page.limit, page.offset) == (['A3', 'A2'], 5, 2, 2)
    with pytest.raises(NotFound):
        _list(admin, client_id=make_client(other).id)
    with pytest.raises(NotFound):
        _list(other, contact_id=karim.id)


def test_recent_leaves_planned_interactions_out(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client, second = make_client(admin), make_client(admin)
    now = utcnow()
    for hours, title, kind in ((1, 'Il y a 1 h', 'call'), (2, 'Il y a 2 h', 'email'), (3, 'Il y a 3 h', 'meeting'),
                               (30, 'Hier', 'call'), (24 * 8, 'La semaine passée', 'lunch'),
                               (-2, 'Dans 2 h', 'meeting'), (-48, 'Après-demain', 'call')):
        _create(admin, client_id=client.id, type=kind, title=title, occurred_at=now - timedelta(hours=hours))
    _create(admin, client_id=second.id, title='Autre client', occurred_at=now - timedelta(minutes=10))
    _create(other, client_id=make_client(other).id, title='Ailleurs', occurred_at=now - timedelta(minutes=5))
    with session_scope() as session:
        assert [r.title for r in interactions.recent(session, admin)] == [
            'Autre client', 'Il y a 1 h', 'Il y a 2 h', 'Il y a 3 h', 'Hier']
        assert [r.title for r in interactions.recent(session, admin, client_id=client.id, limit=2)] == [
            'Il y a 1 h', 'Il y a 2 h']
        assert [r.title for r in interactions.recent(session, admin, client_id=client.id, types=[
            InteractionType.CALL, InteractionType.LUNCH])] == ['Il y a 1 h', 'Hier', 'La semaine passée']
        assert [r.title for r in interactions.recent(session, admin, limit=50)][-1] == 'La semaine passée'
        assert all(not r.is_planned for r in interactions.recent(session, admin, limit=50))
        upcoming = interactions.upcoming(session, admin, client_id=client.id)
        assert [r.title for r in upcoming] == ['Dans 2 h', 'Après-demain'] and all(r.is_planned for r in upcoming)
        for limit in (0, 51):
            with pytest.raises(Invalid):
                interactions.recent(session, admin, limit=limit)
        before = interactions.activity_stamp(session, admin, client.id)
    _create(admin, client_id=client.id, title='Encore')
    with session_scope() as session:
        after = interactions.activity_stamp(session, admin, client.id)
        assert after[0] == before[0] + 1 and interactions.activity_stamp(session, admin, second.id)[0] == 1


# --- timeline --------------------------------------------------------------------------------------------------

def test_timeline_merges_stage_moves_and_interactions_newest_first(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    agent = make_user(admin)
    client = make_client(admin)
    with session_scope() as session:
        stages = {stage.key: stage.id for stage in stages_of(session, admin.tenant_id)}
    with session_scope() as session:
        pipeline.move_client(session, agent, client.id, stages['prospect_chaud'])
    with session_scope() as session:
        pipeline.move_client(session, admin, client.id, stages['client'])
    day = datetime(2025, 3, 1, 9, tzinfo=UTC)
    with session_scope() as session:  # entry on day 0, moves on days 2 and 5
        rows = session.exec(select(StageChange).where(StageChange.client_id == client.id)
                            .order_by(col(StageChange.id))).all()
        for row, days in zip(rows, (0, 2, 5), strict=True):
            row.changed_at = day + timedelta(days=days)
            session.add(row)
    for days, title in ((1, 'Premier appel'), (3, 'Réunion'), (4, 'Offre'), (6, 'Signature')):
        _create(admin, client_id=client.id, title=title, occurred_at=day + timedelta(days=days))
    _create(admin, client_id=make_client(admin).id, title='Autre client', occurred_at=day + timedelta(days=2))

    def describe(entries) -> list[str]:
        return [entry.interaction.title if entry.kind == 'interaction' else f'{entry.from_stage} → {entry.to_stage}'
                for entry in entries]

    with session_scope() as session:
        whole = interactions.timeline(session, admin, client.id, PageRequest())
        assert describe(whole.items) == ['Signature', 'Prospect chaud → Client', 'Offre', 'Réunion',
                                         'Prospect froid → Prospect chaud', 'Premier appel', 'None → Prospect froid']
        assert whole.total == 7
        assert [entry.at for entry in whole.items] == [day + timedelta(days=d) for d in (6, 5, 4, 3, 2, 1, 0)]
        assert [entry.changed_by for entry in whole.items if entry.kind == 'stage'] == [
            admin.full_name, 'Amina Benali', admin.full_name]
        page = interactions.timeline(session, admin, client.id, PageRequest(limit=3, offset=3))
        assert (describe(page.items), page.total) == (['Réunion', 'Prospect froid → Prospect chaud',
                                                       'Premier appel'], 7)
        assert interactions.timeline(session, admin, client.id, PageRequest(limit=5, offset=7)).items == []
        with pytest.raises(NotFound):
            interactions.timeline(session, other, client.id, PageRequest())
