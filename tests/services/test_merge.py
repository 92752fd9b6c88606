"""Merging a duplicate client into the kept one: every row that pointed at it moves (or goes) in one transaction,
the merged client is archived, and refused merges write nothing — on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from db.models import (
    AuditLog,
    Case,
    Client,
    ClientKpi,
    ClientProfile,
    ClientStatus,
    ClientTag,
    Contact,
    InteractionParticipant,
    InteractionType,
    Recommendation,
    Role,
    SearchEntity,
    SearchEntry,
    SegmentChange,
    metadata,
    utcnow,
)
from db.session import session_scope
from services import merge
from services.actor import Actor
from services.contacts import ContactInput, create_contact
from services.documents import add_document
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.interactions import InteractionInput, ParticipantInput, create_interaction
from services.kpis import KpiInput, annual_summary, save_kpi
from services.notes import NoteInput, add_note
from services.search import search
from tests.factories import make_case, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales

MARCH = datetime(2025, 3, 10, 10, tzinfo=UTC)


def pointing_at(client_id: int) -> dict[str, int]:
    """Rows of every table with a client_id column that still name the client (the client row aside)."""
    found = {}
    with session_scope() as session:
        for table in metadata.sorted_tables:
            if 'client_id' in table.c:
                count = session.execute(select(func.count()).select_from(table)
                                        .where(table.c.client_id == client_id)).scalar_one()
                if count:
                    found[table.name] = count
        parents = session.exec(select(func.count()).select_from(SearchEntry)
                               .where(SearchEntry.parent_id == client_id,
                                      SearchEntry.entity == SearchEntity.CONTACT)).one()
    return found | ({'search_entry.parent_id': parents} if parents else {})


def log(actor: Actor, client_id: int, kind: InteractionType, *, is_pitch: bool = False, **fields) -> int:
    with session_scope() as session:
        return create_interaction(session, actor, InteractionInput(client_id=client_id, type=kind, title=kind.value,
                                                                   occurred_at=MARCH, is_pitch=is_pitch,
                                                                   **fields)).id


def kpi(actor: Actor, client_id: int, month: int, **fields) -> None:
    with session_scope() as session:
        save_kpi(session, actor, client_id, KpiInput(year=2025, month=month, **fields))


def recommend(actor: Actor, client_id: int, product_id: int, scenario: str, status: str) -> None:
    with session_scope() as session:
        session.add(Recommendation(tenant_id=actor.tenant_id, client_id=client_id, product_id=product_id,
                                   scenario=scenario, score=50, reason_key='reason.test', status=status))


def profile(actor: Actor, client_id: int) -> None:
    with session_scope() as session:
        day = date(2025, 3, 1)
        session.add(ClientProfile(tenant_id=actor.tenant_id, client_id=client_id, recency_days=10, frequency=1,
                                  monetary_cents=100, r_score=3, f_score=1, m_score=1, segment='about_to_sleep',
                                  first_purchase_on=day, last_purchase_on=day, avg_basket_cents=100,
                                  budget_cents=100, window_months=24, computed_at=utcnow()))
        session.add(SegmentChange(tenant_id=actor.tenant_id, client_id=client_id, to_segment='about_to_sleep',
                                  changed_at=utcnow()))


def merged(actor: Actor, keep_id: int, merge_id: int, **versions):
    with session_scope() as session:
        return merge.merge_clients(session, actor, keep_id, merge_id, **versions)


def busy_pair(admin: Actor):
    """The kept client and its duplicate, the duplicate with something in every table that names a client."""
    keep = make_client(admin, 'Atlas Négoce', email='contact@atlas.dz', tags=['VIP'])
    dup = make_client(admin, 'SARL Atlas Negoce', email='ventes@atlas.dz', phone='0555123456',
                      address='12 rue Didouche', postal_code='16000', city='Alger', tags=['vip', 'Export'],
                      notes='Client depuis 2019.')
    with session_scope() as session:
        contact = create_contact(session, admin, dup.id, ContactInput(first_name='Nadia', last_name='Cherif',
                                                                      email='nadia@atlas.dz'))
        create_contact(session, admin, dup.id, ContactInput(last_name='Comptabilité'))
    case = make_case(admin, dup.id, 'Litige fournisseur')
    with session_scope() as session:
        add_note(session, admin, case.id, NoteInput(body='Relancer le fournisseur'))
        add_document(session, admin, filename='contrat.txt', chunks=[b'contrat'], client_id=dup.id)
    log(admin, dup.id, InteractionType.MEETING, contact_id=contact.id,
        participants=[ParticipantInput(contact_id=contact.id)])
    log(admin, dup.id, InteractionType.MEETING)
    log(admin, dup.id, InteractionType.CALL, is_pitch=True)
    log(admin, keep.id, InteractionType.MEETING)
    # March: both have a month (summed); April: only the duplicate (moved).
    kpi(admin, keep.id, 3, pitches=2, due_diligences=1, revenue=Decimal('1000'), commission_rate=Decimal('2'))
    kpi(admin, dup.id, 3, meetings=3, closings=1, revenue=Decimal('3000'), commission_rate=Decimal('1'))
    kpi(admin, dup.id, 4, closings=2, revenue=Decimal('500'))
    products = [make_product(admin, f'Produit {n}') for n in range(3)]
    make_sales(admin, [(dup.id, date(2025, 3, 1), [Line(products[0], 2), Line(products[1], 1)], None),
                       (dup.id, date(2025, 4, 1), None, 300)])
    recommend(admin, dup.id, products[0], 'rebuy', 'open')  # goes
    recommend(admin, dup.id, products[1], 'upsell', 'done')  # moves
    recommend(admin, dup.id, products[2], 'winback', 'dismissed')  # goes: the kept client has it
    recommend(admin, keep.id, products[2], 'winback', 'open')
    profile(admin, dup.id)
    return keep, dup


def test_a_merge_moves_everything_to_the_kept_client_and_archives_the_duplicate(db):
    admin = make_tenant()
    keep, dup = busy_pair(admin)
    assert set(pointing_at(dup.id)) >= {'contact', 'case', 'interaction', 'sale', 'sale_line', 'document',
                                        'client_kpi', 'client_tag', 'recommendation', 'client_profile',
                                        'segment_change', 'stage_change', 'search_entry.parent_id'}

    kept = merged(admin, keep.id, dup.id)

    assert pointing_at(dup.id) == {}
    assert (kept.id, kept.email, kept.phone, kept.address, kept.postal_code, kept.city) == (
        keep.id, 'contact@atlas.dz', '+213555123456', '12 rue Didouche', '16000', 'Alger')
    assert kept.tags == ['Export', 'VIP']
    assert kept.version == keep.version + 1
    with session_scope() as session:
        archived = session.get(Client, dup.id)
        assert archived.status == ClientStatus.ARCHIVED
        assert archived.notes == f'Fusionné dans Atlas Négoce (n° {keep.id}).\n\nClient depuis 2019.'
        assert session.exec(select(func.count()).select_from(Contact).where(Contact.client_id == keep.id)).one() == 2
        assert session.exec(select(func.count()).select_from(Case).where(Case.client_id == keep.id)).one() == 1
        assert session.exec(select(func.count()).select_from(InteractionParticipant)
                            .where(col(InteractionParticipant.contact_id).is_not(None))).one() == 1
        recommendations = session.exec(select(Recommendation.product_id, Recommendation.scenario,
                                              Recommendation.status)
                                       .where(Recommendation.client_id == keep.id)
                                       .order_by(Recommendation.scenario)).all()
        assert [(scenario, status) for _, scenario, status in recommendations] == [('upsell', 'done'),
                                                                                  ('winback', 'open')]
        assert session.exec(select(ClientTag.tag).where(ClientTag.client_id == keep.id)
                            .order_by(ClientTag.tag)).all() == ['Export', 'VIP']
        march = annual_summary(session, admin, keep.id, 2025).months[2]
        april = annual_summary(session, admin, keep.id, 2025).months[3]
        # meetings: the kept client's count (1) + the duplicate's typed 3; pitches: its typed 2 + the duplicate's
        # count (1). Revenue added; the rate weighted by revenue: (1000 × 2 % + 3000 × 1 %) / 4000 = 1.25 %.
        assert (march.meetings, march.pitches, march.due_diligences, march.closings, march.revenue,
                march.commission_rate, march.commission) == (4, 3, 1, 1, Decimal('4000.00'), Decimal('1.25'),
                                                              Decimal('50.00'))
        assert (april.closings, april.revenue, april.meetings) == (2, Decimal('500.00'), 0)
        assert session.exec(select(func.count()).select_from(ClientKpi)
                            .where(ClientKpi.client_id == keep.id)).one() == 2
        hits = search(session, admin, 'Nadia Cherif')
        assert [(hit.entity, hit.parent_id, hit.subtitle.split(' · ')[0]) for hit in hits] == [
            (SearchEntity.CONTACT, keep.id, 'Atlas Négoce')]
        assert {hit.entity_id for hit in search(session, admin, 'Alger')} == {keep.id, dup.id}  # the city it took
        logs = session.exec(select(AuditLog.entity_id, AuditLog.changes).where(
            AuditLog.tenant_id == admin.tenant_id, AuditLog.entity == 'client', col(AuditLog.entity_id).in_(
                (keep.id, dup.id))).order_by(col(AuditLog.id).desc()).limit(2)).all()
    changes = dict(logs)
    assert changes[keep.id]['merged_from'] == f'SARL Atlas Negoce (#{dup.id})'
    assert 'contacts 2' in changes[keep.id]['moved_rows'] and 'sales 2' in changes[keep.id]['moved_rows']
    assert changes[keep.id]['phone'] == [None, '+213555123456']
    assert changes[dup.id]['status'] == ['active', 'archived']


def test_a_failure_half_way_leaves_everything_as_it_was(db, monkeypatch):
    admin = make_tenant()
    keep, dup = busy_pair(admin)
    before = pointing_at(dup.id)

    def broken(*args, **kwargs):
        raise RuntimeError('disk full')

    monkeypatch.setattr(merge.audit, 'record', broken)  # fails after every row has moved
    with pytest.raises(RuntimeError):
        merged(admin, keep.id, dup.id)
    assert pointing_at(dup.id) == before
    with session_scope() as session:
        assert session.get(Client, dup.id).status == ClientStatus.ACTIVE
        assert session.get(Client, keep.id).phone is None


def snapshot() -> tuple:
    with session_scope() as session:
        clients = session.exec(select(Client.id, Client.status, Client.version, Client.email)
                               .order_by(col(Client.id))).all()
        logs = session.exec(select(func.count()).select_from(AuditLog)).one()
    return tuple(clients), logs, tuple(tuple(sorted(pointing_at(c[0]).items())) for c in clients)


def test_refused_merges_write_nothing(db):
    admin = make_tenant()
    keep, dup = busy_pair(admin)
    other = make_tenant()
    foreign = make_client(other, 'Atlas Négoce')
    agent, viewer = make_user(admin, role=Role.AGENT), make_user(admin, role=Role.VIEWER)
    archived = make_client(admin, 'Ancien Atlas', status=ClientStatus.ARCHIVED)
    before = snapshot()
    refusals = [
        (admin, keep.id, keep.id, {}, Invalid, 'error.merge_self'),
        (admin, keep.id, 999_999, {}, NotFound, 'error.client_not_found'),
        (admin, keep.id, foreign.id, {}, NotFound, 'error.client_not_found'),
        (other, foreign.id, dup.id, {}, NotFound, 'error.client_not_found'),
        (agent, keep.id, dup.id, {}, Forbidden, 'error.manager_only'),
        (viewer, keep.id, dup.id, {}, Forbidden, 'error.manager_only'),
        (admin, archived.id, dup.id, {}, Conflict, 'error.merge_into_archived'),
        (admin, keep.id, dup.id, {'keep_version': keep.version + 1}, Conflict, 'error.stale_version'),
        (admin, keep.id, dup.id, {'merge_version': dup.version - 1}, Conflict, 'error.stale_version'),
    ]
    for actor, keep_id, merge_id, versions, error, key in refusals:
        with pytest.raises(error) as raised:
            merged(actor, keep_id, merge_id, **versions)
        assert raised.value.key == key
    assert snapshot() == before


def test_a_manager_merges_with_current_versions_and_an_archived_duplicate_can_be_merged_again(db):
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    keep = make_client(admin, 'Hamidi Transport')
    dup = make_client(admin, 'Hamidi Transports', phone='0661223344', tags=['Nord'])
    kept = merged(manager, keep.id, dup.id, keep_version=keep.version, merge_version=dup.version)
    assert (kept.phone, kept.tags) == ('+213661223344', ['Nord'])
    again = merged(manager, keep.id, dup.id)  # nothing left to move: harmless
    assert (again.phone, again.tags, again.version) == ('+213661223344', ['Nord'], kept.version + 1)
    with session_scope() as session:
        assert session.get(Client, dup.id).notes.count('Fusionné dans Hamidi Transport') == 2
