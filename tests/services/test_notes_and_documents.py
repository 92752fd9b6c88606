import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import CaseStatus, Document, NoteKind, Role, SearchEntity
from db.session import session_scope
from services import cases, documents, notes, search
from services.clock import today
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.notes import NoteInput
from services.storage import documents_dir
from settings import reload_settings
from tests.factories import make_case, make_client, make_tenant, make_user

PNG = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89'


def _add_note(actor, case_id: int, body: str, **fields):
    with session_scope() as session:
        return notes.add_note(session, actor, case_id, NoteInput(body=body, **fields))


# --- notes ---------------------------------------------------------------------------------------------------

def test_notes_of_every_kind_keep_task_fields_only_for_tasks(db):
    admin = make_tenant()
    case = make_case(admin)
    due = date.today() + timedelta(days=3)
    for kind in NoteKind:
        note = _add_note(admin, case.id, f'  Note {kind}  ', kind=kind, due_date=due, done=True)
        assert (note.kind, note.body, note.author_id, note.author_name, note.case_id) == (
            kind, f'Note {kind}', admin.user_id, admin.full_name, case.id)
        expected = (due, True) if kind == NoteKind.TASK else (None, False)
        assert (note.due_date, note.done) == expected
    with session_scope() as session:
        listed = notes.list_notes(session, admin, case.id)
        assert [n.kind for n in listed] == list(reversed(NoteKind))  # newest first
        task = listed[0]
        changed = notes.update_note(session, admin, task.id, NoteInput(kind=NoteKind.CALL, body=task.body,
                                                                        due_date=due, done=True))
    assert (changed.kind, changed.due_date, changed.done, changed.version) == (NoteKind.CALL, None, False, 2)


def test_an_empty_note_is_refused(db):
    admin = make_tenant()
    case = make_case(admin)
    note = _add_note(admin, case.id, 'Premier appel')
    for write in (lambda s: notes.add_note(s, admin, case.id, NoteInput(body='   ')),
                  lambda s: notes.update_note(s, admin, note.id, NoteInput(body='\n'))):
        with session_scope() as session, pytest.raises(Invalid) as error:
            write(session)
        assert error.value.field == 'body'
    with session_scope() as session:
        assert [n.body for n in notes.list_notes(session, admin, case.id)] == ['Premier appel']


def test_a_task_due_before_today_is_overdue(db):
    admin = make_tenant()
    case = make_case(admin)
    for days in (-1, 0, 1):
        _add_note(admin, case.id, f'Échéance {days:+d}', kind=NoteKind.TASK, due_date=today() + timedelta(days=days))
    _add_note(admin, case.id, 'Sans date', kind=NoteKind.TASK)
    with session_scope() as session:
        late = {task.body: task.is_overdue for task in notes.open_tasks(session, admin)}
    assert late == {'Échéance -1': True, 'Échéance +0': False, 'Échéance +1': False, 'Sans date': False}


def test_open_tasks_are_the_users_own_on_open_cases(db):
    admin = make_tenant()
    agent = make_user(admin)
    case = make_case(admin, title='Bilan annuel')
    closed_case = make_case(admin)
    soon, later = date.today() + timedelta(days=1), date.today() + timedelta(days=10)
    undated = _add_note(admin, case.id, 'Relancer le client', kind=NoteKind.TASK)
    later_task = _add_note(admin, case.id, 'Déposer la liasse', kind=NoteKind.TASK, due_date=later)
    soon_task = _add_note(admin, case.id, 'Appeler le notaire', kind=NoteKind.TASK, due_date=soon)
    _add_note(admin, case.id, 'Déjà fait', kind=NoteKind.TASK, done=True)
    _add_note(admin, case.id, 'Simple note')
    _add_note(admin, closed_case.id, 'Tâche sur un dossier clos', kind=NoteKind.TASK)
    _add_note(agent, case.id, "Tâche de l'agent", kind=NoteKind.TASK)
    with session_scope() as session:
        cases.move_case(session, admin, closed_case.id, CaseStatus.CLOSED)
    with session_scope() as session:
        tasks = notes.open_tasks(session, admin)
        agent_tasks = notes.open_tasks(session, agent)
    assert [t.id for t in tasks] == [soon_task.id, later_task.id, undated.id]
    assert (tasks[0].case_reference, tasks[0].case_title, tasks[0].due_date) == (case.reference, 'Bilan annuel', soon)
    assert [t.body for t in agent_tasks] == ["Tâche de l'agent"]

    plain = _add_note(admin, case.id, 'Pas une tâche')
    with session_scope() as session:
        done = notes.set_task_done(session, admin, soon_task.id, True)
        assert done.done and done.version == soon_task.version + 1
        assert [t.id for t in notes.open_tasks(session, admin, limit=1)] == [later_task.id]
        assert not notes.set_task_done(session, admin, soon_task.id, False).done
        with pytest.raises(Invalid):
            notes.set_task_done(session, admin, plain.id, True)


def test_only_the_author_or_a_manager_edits_a_note(db):
    admin = make_tenant()
    author = make_user(admin)
    other_agent = make_user(admin)
    viewer = make_user(admin, role=Role.VIEWER)
    case = make_case(admin)
    note = _add_note(author, case.id, 'Compte rendu du rendez-vous')
    with session_scope() as session, pytest.raises(Forbidden):
        notes.update_note(session, other_agent, note.id, NoteInput(body='Réécrit par un autre'))
    for write in (lambda s: notes.add_note(s, viewer, case.id, NoteInput(body='Lecture seule')),
                  lambda s: notes.update_note(s, viewer, note.id, NoteInput(body='Lecture seule'))):
        with session_scope() as session, pytest.raises(Forbidden):
            write(session)
    with session_scope() as session:
        mine = notes.update_note(session, author, note.id, NoteInput(body='Corrigé'), expected_version=note.version)
    with session_scope() as session, pytest.raises(Conflict):
        notes.update_note(session, author, note.id, NoteInput(body='Encore'), expected_version=note.version)
    with session_scope() as session:
        by_admin = notes.update_note(session, admin, note.id, NoteInput(body='Corrigé par admin'))
    assert (mine.body, by_admin.body, by_admin.author_id, by_admin.version) == (
        'Corrigé', 'Corrigé par admin', author.user_id, 3)


def test_notes_are_searchable_and_stay_in_their_tenant(db):
    admin = make_tenant('A')
    intruder = make_tenant('B')
    case = make_case(admin, title='Contentieux')
    note = _add_note(admin, case.id, 'Rendez-vous au tribunal de Béjaïa\nDeuxième ligne')
    with session_scope() as session:
        hits = search.search(session, admin, 'bejaia')
        assert [(h.entity, h.entity_id, h.parent_id) for h in hits] == [(SearchEntity.NOTE, note.id, case.id)]
        assert hits[0].title == 'Rendez-vous au tribunal de Béjaïa' and case.reference in hits[0].subtitle
        assert hits[0].path == f'/cases/{case.id}'
        assert search.search(session, intruder, 'bejaia') == []
        for attempt in (lambda: notes.list_notes(session, intruder, case.id),
                        lambda: notes.add_note(session, intruder, case.id, NoteInput(body='Intrus')),
                        lambda: notes.update_note(session, intruder, note.id, NoteInput(body='Intrus'))):
            with pytest.raises(NotFound):
                attempt()
        notes.update_note(session, admin, note.id, NoteInput(body='Audience reportée à Oran'))
    with session_scope() as session:
        assert search.search(session, admin, 'bejaia') == []
        assert [h.entity_id for h in search.search(session, admin, 'audience oran')] == [note.id]


# --- documents -----------------------------------------------------------------------------------------------

def _files(tenant_id: int) -> set:
    root = documents_dir(tenant_id)
    return {path for path in root.rglob('*') if path.is_file()} if root.exists() else set()


def _add(actor, chunks, filename='piece.txt', **owner):
    with session_scope() as session:
        return documents.add_document(session, actor, filename=filename, chunks=chunks, **owner)


def _stored_name(document_id: int) -> str:
    with session_scope() as session:
        return session.get(Document, document_id).stored_name


def test_add_a_document_in_chunks(db):
    admin = make_tenant()
    case = make_case(admin)
    chunks = ['Procès-verbal '.encode(), 'de l’assemblée\n'.encode(), b'x' * 10_000]
    data = b''.join(chunks)
    document = _add(admin, chunks, filename='PV assemblée.txt', case_id=case.id)
    assert (document.original_name, document.size, document.case_id, document.client_id) == (
        'PV assemblée.txt', len(data), case.id, None)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert (document.content_type, document.uploaded_by_name, document.previewable) == (
        'text/plain', admin.full_name, False)
    with session_scope() as session:
        read, path = documents.document_file(session, admin, document.id, case_id=case.id)
        assert read == document and path.read_bytes() == data
        assert documents.list_documents(session, admin, case_id=case.id) == [document]
        with pytest.raises(NotFound):
            documents.document_file(session, admin, document.id, case_id=case.id + 1)
    assert path.parent.parent == documents_dir(admin.tenant_id)


def test_the_file_name_is_only_a_label(db):
    admin = make_tenant()
    client = make_client(admin)
    before = _files(admin.tenant_id)
    document = _add(admin, [b'root:x:0:0'], filename='../../etc/passwd', client_id=client.id)
    assert document.original_name == 'passwd'
    stored = _stored_name(document.id)
    assert re.fullmatch(r'[0-9a-f]{32}', stored)
    assert _files(admin.tenant_id) - before == {documents_dir(admin.tenant_id) / stored[:2] / stored}
    assert _add(admin, [b'a'], filename='..\\..\\boot.ini', client_id=client.id).original_name == 'boot.ini'
    assert _add(admin, [b'a'], filename='', client_id=client.id).original_name == 'fichier'
    with session_scope() as session:
        assert len(documents.list_documents(session, admin, client_id=client.id)) == 3


def test_content_type_comes_from_the_bytes(db):
    admin = make_tenant()
    case = make_case(admin)
    png = _add(admin, [PNG], filename='x.txt', case_id=case.id)
    assert (png.content_type, png.previewable) == ('image/png', True)
    assert _add(admin, [b'bonjour'], filename='notes.png', case_id=case.id).content_type == 'text/plain'
    html = _add(admin, [b'<!DOCTYPE html><html><script>alert(1)</script></html>'], filename='page.html',
                case_id=case.id)
    assert html.content_type != 'text/html' and html.content_type == 'text/plain'
    assert _add(admin, [b'\x00\x01\x02binary'], filename='a.txt', case_id=case.id).content_type == \
        'application/octet-stream'
    assert _add(admin, [b'a;b\n1;2\n'], filename='export.csv', case_id=case.id).content_type == 'text/csv'


@pytest.fixture
def one_megabyte_limit(monkeypatch):
    monkeypatch.setenv('CRM_MAX_UPLOAD_MB', '1')
    reload_settings()
    yield 1024 * 1024
    monkeypatch.undo()
    reload_settings()


def test_oversized_and_empty_files_are_refused_and_leave_nothing(db, one_megabyte_limit):
    admin = make_tenant()
    case = make_case(admin)
    before = _files(admin.tenant_id)
    chunk = b'x' * 65536
    too_big = [chunk] * (one_megabyte_limit // len(chunk)) + [b'!']
    for chunks, key in ((too_big, 'error.file_too_large'), ([], 'error.file_empty'), ([b'', b''], 'error.file_empty')):
        with session_scope() as session, pytest.raises(Invalid) as error:
            documents.add_document(session, admin, filename='gros.bin', chunks=iter(chunks), case_id=case.id)
        assert (error.value.key, error.value.field) == (key, 'file')
    assert _files(admin.tenant_id) == before
    exactly = _add(admin, [chunk] * (one_megabyte_limit // len(chunk)), case_id=case.id)
    assert exactly.size == one_megabyte_limit
    with session_scope() as session:
        assert documents.list_documents(session, admin, case_id=case.id) == [exactly]


def test_a_rolled_back_upload_leaves_no_file(db):
    admin = make_tenant()
    case = make_case(admin)
    before = _files(admin.tenant_id)
    with pytest.raises(RuntimeError), session_scope() as session:
        documents.add_document(session, admin, filename='a.pdf', chunks=[b'%PDF-1.4'], case_id=case.id)
        assert len(_files(admin.tenant_id) - before) == 1
        raise RuntimeError('the rest of the unit of work failed')
    assert _files(admin.tenant_id) == before
    with session_scope() as session:
        assert documents.list_documents(session, admin, case_id=case.id) == []


def test_documents_need_a_writer_and_stay_in_their_tenant(db):
    admin = make_tenant('A')
    intruder = make_tenant('B')
    viewer = make_user(admin, role=Role.VIEWER)
    case = make_case(admin)
    document = _add(admin, [b'secret'], case_id=case.id)
    before, intruder_before = _files(admin.tenant_id), _files(intruder.tenant_id)
    for write, error in (
        (lambda s: documents.add_document(s, viewer, filename='a', chunks=[b'a'], case_id=case.id), Forbidden),
        (lambda s: documents.delete_document(s, viewer, document.id), Forbidden),
        (lambda s: documents.add_document(s, intruder, filename='a', chunks=[b'a'], case_id=case.id), NotFound),
        (lambda s: documents.delete_document(s, intruder, document.id), NotFound),
        (lambda s: documents.document_file(s, intruder, document.id), NotFound),
        (lambda s: documents.list_documents(s, intruder, case_id=case.id), NotFound),
    ):
        with session_scope() as session, pytest.raises(error):
            write(session)
    assert (_files(admin.tenant_id), _files(intruder.tenant_id)) == (before, intruder_before)
    with session_scope() as session:
        _, path = documents.document_file(session, viewer, document.id)
        documents.delete_document(session, admin, document.id)
        assert path.is_file()
    assert not path.exists()
    with session_scope() as session:
        assert documents.list_documents(session, admin, case_id=case.id) == []
        assert session.exec(select(Document)).all() == []


def test_a_document_cannot_be_hung_on_another_tenants_client(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    case = make_case(admin)
    foreign_client = make_client(other)
    before = _files(admin.tenant_id)
    with session_scope() as session, pytest.raises(NotFound):
        documents.add_document(session, admin, filename='a.txt', chunks=[b'a'], case_id=case.id,
                               client_id=foreign_client.id)
    assert _files(admin.tenant_id) == before
    with session_scope() as session:
        assert documents.list_documents(session, other, client_id=foreign_client.id) == []


def test_a_long_accented_text_file_is_still_text(db):
    admin = make_tenant()
    case = make_case(admin)
    # The first 8 KiB the type is sniffed from end in the middle of «é»: the text must not turn into binary.
    text = ('a' * 8191 + 'é' + ' réunion, procès-verbal\n' * 50).encode()
    document = _add(admin, [text[:5000], text[5000:]], filename='compte-rendu.txt', case_id=case.id)
    assert (document.content_type, document.size) == ('text/plain', len(text))


def test_colleagues_may_tick_a_task_done_but_not_rewrite_it(db):
    from db.models import NoteKind, Role
    from services.errors import Forbidden
    from services.notes import NoteInput, add_note, set_task_done, update_note
    from tests.factories import make_case, make_tenant, make_user

    admin = make_tenant()
    author = make_user(admin, role=Role.AGENT)
    colleague = make_user(admin, role=Role.AGENT)
    case = make_case(admin)
    with session_scope() as session:
        task = add_note(session, author, case.id, NoteInput(kind=NoteKind.TASK, body='Relancer le client'))
    with session_scope() as session:
        assert set_task_done(session, colleague, task.id, True).done is True
    with session_scope() as session, pytest.raises(Forbidden):
        update_note(session, colleague, task.id, NoteInput(kind=NoteKind.GENERAL, body='Relancer le client'))
