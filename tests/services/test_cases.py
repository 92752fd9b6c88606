import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import (
    CasePriority,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    ClientStatus,
    Document,
    Note,
    Role,
    SearchEntry,
    utcnow,
)
from db.session import session_scope
from services import cases, clients, documents, notes, search, users
from services.cases import CaseFilter, CaseInput
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.notes import NoteInput
from services.paging import PageRequest
from services.storage import stored_path
from tests.factories import make_case, make_client, make_tenant, make_user

YEAR = utcnow().year


def _ref(number: int) -> str:
    return f'DOS-{YEAR}-{number:04d}'


def _list(actor, page: PageRequest | None = None, **filters):
    with session_scope() as session:
        return cases.list_cases(session, actor, CaseFilter(**filters), page or PageRequest())


def _titles(actor, **filters) -> list[str]:
    return sorted(case.title for case in _list(actor, **filters).items)


# --- references ----------------------------------------------------------------------------------------------

def test_references_follow_each_other_per_tenant(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    assert [make_case(admin, client.id).reference for _ in range(3)] == [_ref(1), _ref(2), _ref(3)]
    assert make_case(other).reference == _ref(1)
    assert make_case(admin, client.id).reference == _ref(4)


def test_a_failed_creation_gives_its_number_back(db):
    admin = make_tenant()
    client = make_client(admin)
    archived = make_client(admin, status=ClientStatus.ARCHIVED)
    with pytest.raises(Invalid) as error, session_scope() as session:
        allocated = cases.create_case(session, admin, CaseInput(client_id=client.id, title='Premier'))
        assert allocated.reference == _ref(1)
        cases.create_case(session, admin, CaseInput(client_id=archived.id, title='Second'))  # refused
    assert error.value.field == 'client_id'
    with pytest.raises(RuntimeError), session_scope() as session:
        assert cases.create_case(session, admin, CaseInput(client_id=client.id, title='Premier')).reference == _ref(1)
        raise RuntimeError('the rest of the unit of work failed')
    assert _list(admin).total == 0
    assert make_case(admin, client.id).reference == _ref(1)
    assert make_case(admin, client.id).reference == _ref(2)


def test_concurrent_creations_get_consecutive_references(db):
    admin = make_tenant()
    client = make_client(admin)
    start = threading.Barrier(8)

    def create(number: int) -> str:
        start.wait()
        with session_scope() as session:
            return cases.create_case(session, admin, CaseInput(client_id=client.id, title=f'Parallèle {number}')
                                     ).reference

    with ThreadPoolExecutor(max_workers=8) as pool:
        references = list(pool.map(create, range(8)))
    assert sorted(references) == [_ref(n) for n in range(1, 9)]
    assert _list(admin).total == 8


# --- validation ----------------------------------------------------------------------------------------------

def test_create_validates_client_assignee_and_title(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    archived = make_client(admin, status=ClientStatus.ARCHIVED)
    foreign_client = make_client(other)
    refused = {
        'title': CaseInput(client_id=client.id, title='  '),
        'client_id': CaseInput(client_id=999_999, title='Inconnu'),
    }
    for field, data in refused.items():
        with session_scope() as session, pytest.raises(Invalid) as error:
            cases.create_case(session, admin, data)
        assert error.value.field == field
    for data in (CaseInput(client_id=archived.id, title='Archivé'), CaseInput(client_id=foreign_client.id, title='B')):
        with session_scope() as session, pytest.raises(Invalid) as error:
            cases.create_case(session, admin, data)
        assert error.value.field == 'client_id'
    for assignee_id in (other.user_id, 999_999):
        with session_scope() as session, pytest.raises(Invalid) as error:
            cases.create_case(session, admin, CaseInput(client_id=client.id, title='X', assignee_id=assignee_id))
        assert error.value.field == 'assignee_id'
    created = make_case(admin, client.id, '  Succession Benali ', case_type=CaseType.LEGAL, assignee_id=admin.user_id,
                        priority=CasePriority.HIGH, due_date=date(2030, 1, 31), description=' Héritage ')
    assert (created.title, created.description, created.client_name, created.assignee_name) == (
        'Succession Benali', 'Héritage', client.name, admin.full_name)
    assert (created.case_type, created.priority, created.status, created.version) == ('legal', 'high', 'new', 1)
    assert created.closed_at is None and created.opened_at is not None


def test_update_refuses_a_foreign_or_archived_client_and_a_foreign_assignee(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    created = make_case(admin)
    archived = make_client(admin, status=ClientStatus.ARCHIVED)
    refused = (({'client_id': make_client(other).id}, 'client_id'), ({'client_id': archived.id}, 'client_id'),
               ({'assignee_id': other.user_id}, 'assignee_id'), ({'title': ''}, 'title'))
    for changes, field in refused:
        with session_scope() as session, pytest.raises(Invalid) as error:
            cases.update_case(session, admin, created.id, changes)
        assert error.value.field == field
    with session_scope() as session:
        assert cases.get_case(session, admin, created.id) == created


def test_update_with_a_stale_version_is_refused(db):
    admin = make_tenant()
    created = make_case(admin, title='Avant')
    with session_scope() as session:
        updated = cases.update_case(session, admin, created.id, {'title': 'Après'}, expected_version=created.version)
    assert (updated.title, updated.version) == ('Après', created.version + 1)
    with session_scope() as session, pytest.raises(Conflict):
        cases.update_case(session, admin, created.id, {'title': 'Perdu'}, expected_version=created.version)
    with session_scope() as session, pytest.raises(Conflict):
        cases.move_case(session, admin, created.id, CaseStatus.CLOSED, expected_version=created.version)
    with session_scope() as session:
        assert cases.get_case(session, admin, created.id).title == 'Après'


def test_a_case_stays_editable_once_its_client_is_archived_or_its_assignee_deactivated(db):
    admin = make_tenant()
    agent = make_user(admin)
    created = make_case(admin, assignee_id=agent.user_id)
    with session_scope() as session:
        clients.set_status(session, admin, created.client_id, ClientStatus.ARCHIVED)
        users.update_user(session, admin, agent.user_id, is_active=False)
    with session_scope() as session:
        closed = cases.move_case(session, admin, created.id, CaseStatus.CLOSED)
    assert (closed.status, closed.client_id, closed.assignee_id) == ('closed', created.client_id, agent.user_id)
    other = make_case(admin)
    for changes, field in (({'client_id': created.client_id}, 'client_id'), ({'assignee_id': agent.user_id},
                                                                               'assignee_id')):
        with session_scope() as session, pytest.raises(Invalid) as error:  # but none can be newly given
            cases.update_case(session, admin, other.id, changes)
        assert error.value.field == field


# --- statuses ------------------------------------------------------------------------------------------------

def test_status_changes_are_recorded_with_who_and_when(db):
    admin = make_tenant()
    agent = make_user(admin)
    before = utcnow()
    created = make_case(admin)
    assert created.closed_at is None
    with session_scope() as session:
        moved = cases.move_case(session, agent, created.id, CaseStatus.IN_PROGRESS)
    assert moved.closed_at is None
    with session_scope() as session:
        resolved = cases.move_case(session, agent, created.id, CaseStatus.RESOLVED, expected_version=moved.version)
    assert resolved.closed_at is not None and resolved.closed_at >= before
    with session_scope() as session:
        closed = cases.move_case(session, admin, created.id, CaseStatus.CLOSED)
    assert closed.closed_at == resolved.closed_at  # still closed since the same moment
    with session_scope() as session:
        reopened = cases.move_case(session, admin, created.id, CaseStatus.WAITING_CLIENT)
        same = cases.update_case(session, admin, created.id, {'status': CaseStatus.WAITING_CLIENT})
    assert reopened.closed_at is None and same.version == reopened.version
    with session_scope() as session:
        cases.update_case(session, admin, created.id, {'title': 'Autre titre'})  # not a status change
        history = cases.status_history(session, admin, created.id)
    assert [(h.from_status, h.to_status, h.changed_by) for h in history] == [
        (CaseStatus.CLOSED, CaseStatus.WAITING_CLIENT, admin.full_name),
        (CaseStatus.RESOLVED, CaseStatus.CLOSED, admin.full_name),
        (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, agent.full_name),
        (CaseStatus.NEW, CaseStatus.IN_PROGRESS, agent.full_name),
        (None, CaseStatus.NEW, admin.full_name),
    ]
    assert all(before <= h.changed_at <= utcnow() for h in history)


def test_a_case_created_closed_has_a_closing_date(db):
    admin = make_tenant()
    created = make_case(admin, status=CaseStatus.CLOSED)
    assert created.closed_at is not None and not created.is_overdue


# --- lists and board -----------------------------------------------------------------------------------------

def test_list_filters_and_pages(db):
    admin = make_tenant()
    agent = make_user(admin)
    client = make_client(admin, 'Atlas')
    other_client = make_client(admin, 'Oasis')
    yesterday, next_week = date.today() - timedelta(days=1), date.today() + timedelta(days=7)
    make_case(admin, client.id, 'Contrôle fiscal', case_type=CaseType.FISCAL, priority=CasePriority.URGENT,
              assignee_id=agent.user_id, due_date=yesterday)
    make_case(admin, client.id, 'Bail commercial', case_type=CaseType.LEGAL, status=CaseStatus.IN_PROGRESS,
              due_date=next_week)
    make_case(admin, other_client.id, 'Liasse 2025', case_type=CaseType.FISCAL, status=CaseStatus.CLOSED,
              due_date=yesterday, assignee_id=agent.user_id)
    make_case(admin, other_client.id, 'Statuts SARL', case_type=CaseType.ADMINISTRATIVE,
              status=CaseStatus.RESOLVED)

    assert _list(admin).total == 4
    assert _titles(admin, case_type=CaseType.FISCAL) == ['Contrôle fiscal', 'Liasse 2025']
    assert _titles(admin, status=CaseStatus.IN_PROGRESS) == ['Bail commercial']
    assert _titles(admin, priority=CasePriority.URGENT) == ['Contrôle fiscal']
    assert _titles(admin, assignee_id=agent.user_id) == ['Contrôle fiscal', 'Liasse 2025']
    assert _titles(admin, client_id=other_client.id) == ['Liasse 2025', 'Statuts SARL']
    assert _titles(admin, overdue=True) == ['Contrôle fiscal']  # the closed one is late but not overdue
    assert _titles(admin, open_only=True) == ['Bail commercial', 'Contrôle fiscal']
    assert _titles(admin, search='fiscal') == ['Contrôle fiscal']
    assert _titles(admin, search='oasis') == ['Liasse 2025', 'Statuts SARL']  # by the client's name
    by_reference = _list(admin, sort='reference', descending=False).items
    assert [c.reference for c in by_reference] == [_ref(n) for n in range(1, 5)]
    pages = [_list(admin, PageRequest(limit=3, offset=offset), sort='reference', descending=False)
             for offset in (0, 3)]
    assert [[c.reference for c in page.items] for page in pages] == [[_ref(1), _ref(2), _ref(3)], [_ref(4)]]
    assert all(page.total == 4 for page in pages)


def test_board_counts_every_status_and_bounds_the_cards(db):
    admin = make_tenant()
    other = make_tenant('Autre')
    client = make_client(admin)
    for _ in range(3):
        make_case(admin, client.id)
    make_case(admin, client.id, status=CaseStatus.IN_PROGRESS, case_type=CaseType.LEGAL)
    latest = make_case(admin, client.id)
    make_case(other, status=CaseStatus.CLOSED)
    with session_scope() as session:
        columns = cases.board(session, admin, CaseFilter(), limits={CaseStatus.NEW: 2})
        legal = cases.board(session, admin, CaseFilter(case_type=CaseType.LEGAL))
        empty = cases.board(session, admin, CaseFilter(search='introuvable'))
    assert [(c.status, c.total, len(c.cards)) for c in columns] == [
        (CaseStatus.NEW, 4, 2), (CaseStatus.IN_PROGRESS, 1, 1), (CaseStatus.WAITING_CLIENT, 0, 0),
        (CaseStatus.RESOLVED, 0, 0), (CaseStatus.CLOSED, 0, 0)]
    assert columns[0].cards[0].id == latest.id  # most recently updated first
    assert [(c.total, len(c.cards)) for c in legal] == [(0, 0), (1, 1), (0, 0), (0, 0), (0, 0)]
    assert [c.total for c in empty] == [0] * 5


def _stamp(actor, **filters) -> tuple:
    with session_scope() as session:
        return cases.board_stamp(session, actor, CaseFilter(**filters))


def test_the_board_stamp_changes_with_what_the_board_shows(db):
    admin = make_tenant()
    other = make_tenant('Autre')
    client = make_client(admin)
    legal = make_case(admin, client.id, case_type=CaseType.LEGAL)
    tax = make_case(admin, client.id, case_type=CaseType.FISCAL)
    with session_scope() as session:
        _, loaded = cases.board_and_stamp(session, admin, CaseFilter())
    assert loaded == _stamp(admin) != ()  # the stamp read with the board is the one polls compare with
    first, first_legal = _stamp(admin), _stamp(admin, case_type=CaseType.LEGAL)
    make_case(other)
    assert _stamp(admin) == first  # another tenant's case is not on this board
    with session_scope() as session:
        cases.move_case(session, admin, tax.id, CaseStatus.IN_PROGRESS)
    moved = _stamp(admin)
    assert moved != first
    assert _stamp(admin, case_type=CaseType.LEGAL) == first_legal  # a case the filtered board does not show
    with session_scope() as session:
        cases.update_case(session, admin, legal.id, {'title': 'Nouveau titre'})
    edited = _stamp(admin)
    assert edited != moved and _stamp(admin, case_type=CaseType.LEGAL) != first_legal
    with session_scope() as session:
        cases.delete_case(session, admin, tax.id)
    assert _stamp(admin) != edited
    assert _stamp(admin, search='introuvable') == ()


# --- tenants, permissions, deletion --------------------------------------------------------------------------

def test_another_tenant_cannot_reach_a_case(db):
    admin = make_tenant('A')
    intruder = make_tenant('B')
    created = make_case(admin, title='Confidentiel')
    attempts = [
        lambda s: cases.get_case(s, intruder, created.id),
        lambda s: cases.update_case(s, intruder, created.id, {'title': 'Volé'}),
        lambda s: cases.move_case(s, intruder, created.id, CaseStatus.CLOSED),
        lambda s: cases.delete_case(s, intruder, created.id),
        lambda s: cases.status_history(s, intruder, created.id),
    ]
    for attempt in attempts:
        with session_scope() as session, pytest.raises(NotFound):
            attempt(session)
    assert _list(intruder).total == 0 and _list(intruder, search='confidentiel').total == 0
    with session_scope() as session:
        assert cases.get_case(session, admin, created.id).title == 'Confidentiel'


def test_viewers_and_agents_cannot_delete_and_viewers_cannot_write(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    agent = make_user(admin, role=Role.AGENT)
    created = make_case(admin)
    for write in (
        lambda s: cases.create_case(s, viewer, CaseInput(client_id=created.client_id, title='X')),
        lambda s: cases.update_case(s, viewer, created.id, {'title': 'X'}),
        lambda s: cases.move_case(s, viewer, created.id, CaseStatus.CLOSED),
        lambda s: cases.delete_case(s, viewer, created.id),
        lambda s: cases.delete_case(s, agent, created.id),
    ):
        with session_scope() as session, pytest.raises(Forbidden):
            write(session)
    with session_scope() as session:
        assert cases.get_case(session, viewer, created.id) == created


def _case_with_things(admin):
    created = make_case(admin, title='Succession Zeroual')
    with session_scope() as session:
        note = notes.add_note(session, admin, created.id, NoteInput(body='Appel du notaire'))
        document = documents.add_document(session, admin, filename='acte.pdf', chunks=[b'%PDF-1.4 acte'],
                                          case_id=created.id)
        cases.move_case(session, admin, created.id, CaseStatus.IN_PROGRESS)
    with session_scope() as session:
        path = stored_path(admin.tenant_id, session.get(Document, document.id).stored_name)
    assert path.is_file()
    return created, note, path


def test_a_manager_deletes_a_case_with_its_notes_history_search_entries_and_files(db):
    admin = make_tenant()
    manager = make_user(admin, role=Role.MANAGER)
    created, note, path = _case_with_things(admin)
    with session_scope() as session:
        cases.delete_case(session, manager, created.id)
        assert path.is_file()  # removed only once the deletion is committed
    assert not path.exists()
    with session_scope() as session:
        with pytest.raises(NotFound):
            cases.get_case(session, admin, created.id)
        assert session.get(Note, note.id) is None
        assert session.exec(select(CaseStatusChange).where(CaseStatusChange.case_id == created.id)).all() == []
        assert session.exec(select(Document).where(Document.case_id == created.id)).all() == []
        assert session.exec(select(SearchEntry.entity)).all() == ['client']
        assert search.search(session, admin, 'zeroual') == [] and search.search(session, admin, 'notaire') == []
        assert clients.get_client(session, admin, created.client_id).id == created.client_id


def test_a_rolled_back_case_deletion_keeps_everything(db):
    admin = make_tenant()
    created, note, path = _case_with_things(admin)
    with pytest.raises(RuntimeError), session_scope() as session:
        cases.delete_case(session, admin, created.id)
        raise RuntimeError('the rest of the unit of work failed')
    assert path.is_file()
    with session_scope() as session:
        assert cases.get_case(session, admin, created.id).status == 'in_progress'
        assert [n.id for n in notes.list_notes(session, admin, created.id)] == [note.id]
        assert sorted(h.entity for h in search.search(session, admin, 'zeroual')) == ['case', 'note']
