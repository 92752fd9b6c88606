import re
from collections import defaultdict

import phonenumbers
import pytest
from sqlalchemy import func
from sqlmodel import col, select

from db.models import (
    AuditLog,
    Case,
    CaseSequence,
    CaseStatusChange,
    Client,
    ClientTag,
    Contact,
    Note,
    NoteKind,
    SearchEntity,
    SearchEntry,
)
from db.session import session_scope
from services import demo
from services.cases import CaseInput, create_case
from services.clients import ClientInput, create_client, list_client_types
from services.demo import NOTES_PER_CASE, DemoResult, fill_tenant
from services.demo.generator import DemoGenerator
from services.search import search
from services.tenants import TenantRead
from tests.factories import make_tenant

E164_ALGERIAN_MOBILE = re.compile(r'^\+213[567]\d{8}$')
REFERENCE = re.compile(r'^DOS-(\d{4})-(\d{4,})$')


def _fill(actor, clients: int, seed: int = 2026) -> DemoResult:
    with session_scope() as session:
        return fill_tenant(session, TenantRead(id=actor.tenant_id, name=actor.tenant_name, currency='DZD'),
                           clients=clients, seed=seed)


def _count(session, model, tenant_id: int) -> int:
    return session.exec(select(func.count()).select_from(model).where(model.tenant_id == tenant_id)).one()


def _numbers_by_year(session, tenant_id: int) -> dict[int, list[int]]:
    numbers = defaultdict(list)
    for reference in session.exec(select(Case.reference).where(Case.tenant_id == tenant_id)).all():
        year, number = REFERENCE.match(reference).groups()
        numbers[int(year)].append(int(number))
    return {year: sorted(found) for year, found in numbers.items()}


def _assert_numbering_without_gaps(session, tenant_id: int) -> dict[int, list[int]]:
    numbers = _numbers_by_year(session, tenant_id)
    sequences = dict(session.exec(select(CaseSequence.year, CaseSequence.last_number)
                                  .where(CaseSequence.tenant_id == tenant_id)).all())
    assert sequences == {year: len(found) for year, found in numbers.items()}
    for found in numbers.values():
        assert found == list(range(1, len(found) + 1))
    return numbers


def test_a_fill_creates_the_announced_rows(db):
    admin = make_tenant()
    result = _fill(admin, 50)

    assert (result.clients, result.cases, result.notes) == (50, 100, 100 * NOTES_PER_CASE)
    assert 100 <= result.contacts <= 200
    tenant = admin.tenant_id
    with session_scope() as session:
        assert _count(session, Client, tenant) == 50
        assert _count(session, Contact, tenant) == result.contacts
        assert _count(session, Case, tenant) == 100
        assert _count(session, CaseStatusChange, tenant) == 100
        assert _count(session, Note, tenant) == 500
        assert _count(session, ClientTag, tenant) == result.tags > 0
        by_entity = dict(session.exec(select(SearchEntry.entity, func.count()).where(SearchEntry.tenant_id == tenant)
                                      .group_by(SearchEntry.entity)).all())
        assert by_entity == {'client': 50, 'contact': result.contacts, 'case': 100, 'note': 500}
        assert result.search_entries == sum(by_entity.values())
        clients = session.exec(select(Client).where(Client.tenant_id == tenant)).all()
        contacts = session.exec(select(Contact).where(Contact.tenant_id == tenant)).all()
        cases = session.exec(select(Case).where(Case.tenant_id == tenant)).all()
        notes = session.exec(select(Note).where(Note.tenant_id == tenant)).all()
        types = set(list_client_types(session, admin))
        audit = session.exec(select(AuditLog).where(AuditLog.tenant_id == tenant)
                             .order_by(col(AuditLog.id).desc())).first()

    phones = [row.phone for row in [*clients, *contacts] if row.phone]
    assert len(phones) > 100
    for phone in phones:
        assert E164_ALGERIAN_MOBILE.match(phone), phone
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone)), phone
    assert {client.client_type for client in clients} - {None} <= types
    assert {case.status for case in cases} >= {'closed', 'resolved'}
    assert sum(case.status in ('closed', 'resolved') for case in cases) > 50  # most cases are done
    assert all(case.closed_at is None for case in cases if case.status not in ('closed', 'resolved'))
    assert all(case.opened_at <= note.created_at for case in cases for note in notes if note.case_id == case.id)
    assert all(case.assignee_id == admin.user_id for case in cases)  # the only user: everything is hers
    tasks = [note for note in notes if note.kind == NoteKind.TASK]
    assert tasks and all(task.due_date is not None for task in tasks)
    assert all(note.due_date is None and not note.done for note in notes if note.kind != NoteKind.TASK)
    assert audit.changes['demo_clients'] == 50 and audit.changes['demo_notes'] == 500


def test_references_follow_the_calendar_and_the_sequence(db):
    admin = make_tenant()
    _fill(admin, 50)
    with session_scope() as session:
        numbers = _assert_numbering_without_gaps(session, admin.tenant_id)
        cases = session.exec(select(Case).where(Case.tenant_id == admin.tenant_id)).all()
    assert len(numbers) >= 2  # two years of history
    for year in numbers:
        in_year = [case for case in cases if case.reference.startswith(f'DOS-{year}-')]
        assert all(case.opened_at.year == year for case in in_year)
        by_number = sorted(in_year, key=lambda case: int(case.reference.rsplit('-', 1)[1]))
        assert [case.opened_at for case in by_number] == sorted(case.opened_at for case in in_year)


def test_demo_data_is_found_by_the_global_search(db):
    admin = make_tenant()
    _fill(admin, 40)
    with session_scope() as session:
        client = session.exec(select(Client).where(Client.tenant_id == admin.tenant_id,
                                                   Client.kind == 'company').order_by(col(Client.id))).first()
        contact = session.exec(select(Contact).where(Contact.tenant_id == admin.tenant_id)
                               .order_by(col(Contact.id).desc())).first()
        case = session.exec(select(Case).where(Case.tenant_id == admin.tenant_id).order_by(col(Case.id))).first()
        note = session.exec(select(Note).where(Note.tenant_id == admin.tenant_id, col(Note.body).contains('société'))
                            .order_by(col(Note.id))).first()

        def found(query: str) -> set[tuple[str, int]]:
            return {(hit.entity, hit.entity_id) for hit in search(session, admin, query, limit=200)}

        assert (SearchEntity.CLIENT, client.id) in found(client.name)
        assert (SearchEntity.CLIENT, client.id) in found(client.email)
        assert (SearchEntity.CONTACT, contact.id) in found(f'{contact.first_name} {contact.last_name}')
        assert (SearchEntity.CASE, case.id) in found(case.reference)
        reference = session.get(Case, note.case_id).reference
        assert (SearchEntity.NOTE, note.id) in found(f'SOCIÉTÉ {reference}')  # accents and case do not matter


def test_a_second_fill_continues_the_numbering(db):
    admin = make_tenant()
    with session_scope() as session:
        client = create_client(session, admin, ClientInput(name='Cabinet Haddad'))
        first = create_case(session, admin, CaseInput(client_id=client.id, title='Constitution SARL'))
    _fill(admin, 15, seed=1)
    _fill(admin, 15, seed=2)
    with session_scope() as session:
        numbers = _assert_numbering_without_gaps(session, admin.tenant_id)
        assert sum(len(found) for found in numbers.values()) == 61
        following = create_case(session, admin, CaseInput(client_id=client.id, title='Litige commercial'))
    year = first.opened_at.year
    assert first.reference == f'DOS-{year}-0001'
    assert following.reference == f'DOS-{year}-{len(numbers[year]) + 1:04d}'


def test_a_failed_fill_leaves_nothing_behind(db, monkeypatch):
    """A row refused while writing (here in the third chunk) fails the whole fill, from the writing thread on
    PostgreSQL too, and the unit of work rolls back: no half-filled tenant, no consumed reference numbers."""
    admin = make_tenant()
    monkeypatch.setattr(demo, 'CHUNK', 10)
    real_client, made = DemoGenerator._client, []

    def client_without_kind(self, client_id, first_case):
        client, tags = real_client(self, client_id, first_case)
        made.append(client_id)
        if len(made) == 25:
            client['kind'] = None  # NOT NULL
        return client, tags

    monkeypatch.setattr(DemoGenerator, '_client', client_without_kind)
    with pytest.raises(Exception, match=r'(?i)null'):
        _fill(admin, 60)
    with session_scope() as session:
        assert _count(session, Client, admin.tenant_id) == 0
        assert _count(session, SearchEntry, admin.tenant_id) == 0
        assert session.exec(select(func.count()).select_from(CaseSequence)
                            .where(CaseSequence.tenant_id == admin.tenant_id)).one() == 0
