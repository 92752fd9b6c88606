import asyncio

from nicegui import ui
from nicegui.testing import User

from db.models import CaseStatus
from db.session import session_scope
from services.cases import CaseFilter, get_case, list_cases, move_case
from services.documents import list_documents
from services.notes import list_notes
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, Board, field_value, list_items, sign_in, table_rows, until


async def test_open_a_case_from_the_client_and_write_a_note(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Algérie Tech')
    await sign_in(user, admin.email)
    await user.open(f'/cases?new=1&client_id={client.id}')
    await user.should_see(marker='case-title', retries=PATIENT)
    user.find(marker='case-title').type('Constitution SARL')
    user.find(marker='case-save').click()
    await user.should_see(marker='note-body', retries=PATIENT)
    with session_scope() as session:
        [case] = list_cases(session, admin, CaseFilter(), PageRequest()).items
    assert case.reference.endswith('-0001') and case.client_id == client.id
    await user.should_see(f'{case.reference} · Constitution SARL')
    user.find(marker='note-body').type('**Appel** du client <script>alert(1)</script>')
    user.find(marker='note-add').click()
    await until(lambda: len(list_notes_of(admin, case.id)) == 1)
    [note] = list_notes_of(admin, case.id)
    await user.should_see(marker=f'note-{note.id}', retries=PATIENT)  # the note on the page
    assert note.body.startswith('**Appel**')
    html = [e for e in user.find(ui.html).elements if 'Appel' in e.content]
    assert html and '<script>' not in html[0].content and '&lt;script&gt;' in html[0].content


def list_notes_of(actor, case_id: int) -> list:
    with session_scope() as session:
        return list_notes(session, actor, case_id)


async def test_missing_title_is_refused_clearly(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Titre')
    await sign_in(user, admin.email)
    await user.open(f'/cases?new=1&client_id={client.id}')
    await user.should_see(marker='case-save', retries=PATIENT)
    user.find(marker='case-save').click()
    await user.should_see('Ce champ est obligatoire.', retries=PATIENT)


async def test_status_control_saves_and_a_stale_page_is_told(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SPA Statut')
    case = data.case(admin, client.id, 'Contrôle fiscal TVA 2024', case_type='fiscal')
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='case-status-control', retries=PATIENT)
    with session_scope() as session:  # someone else moves the case meanwhile
        move_case(session, admin, case.id, CaseStatus.WAITING_CLIENT)
    user.find(marker='case-status-control').elements.pop().set_value('in_progress')
    await field_value(user, 'case-status-control', lambda status: status == 'waiting_client')  # the page, redrawn
    with session_scope() as session:  # with the other change, which was kept
        assert get_case(session, admin, case.id).status == CaseStatus.WAITING_CLIENT


async def test_board_moves_a_case_and_counts_follow(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SNC Kanban')
    case = data.case(admin, client.id, 'Levée de fonds', case_type='business')
    await sign_in(user, admin.email)
    await user.open('/cases/board')
    board = Board(user, 'case-board')
    card = await board.shows(case.id)
    assert (card['overline'], card['title'], card['subtitle']) == (case.reference, 'Levée de fonds', 'SNC Kanban')
    assert board.count('new') == '1'
    board.move(case.id, 'in_progress')
    await board.until(lambda b: b.count('in_progress') == '1' and b.cards('in_progress') == {case.id})
    with session_scope() as session:
        assert get_case(session, admin, case.id).status == CaseStatus.IN_PROGRESS


async def test_board_shows_another_users_move_without_reload(user: User, sqlite_db) -> None:
    admin = make_tenant()
    colleague = make_user(admin)
    client = data.client(admin, 'SNC Temps réel')
    case = data.case(admin, client.id, 'Bail commercial', case_type='legal')
    await sign_in(user, admin.email)
    await user.open('/cases/board')
    board = Board(user, 'case-board')
    await board.shows(case.id)
    with session_scope() as session:
        move_case(session, colleague, case.id, CaseStatus.RESOLVED)
    for _ in range(60):
        if board.count('resolved') == '1':
            break
        await asyncio.sleep(0.1)
    assert board.count('resolved') == '1'


async def test_upload_on_a_case_keeps_the_file_under_a_random_name(user: User, sqlite_db) -> None:
    from nicegui.elements.upload_files import SmallFileUpload

    admin = make_tenant()
    client = data.client(admin, 'SARL Pièces')
    case = data.case(admin, client.id, 'Dossier de crédit', case_type='business')
    await sign_in(user, admin.email)
    await user.open(f'/cases/{case.id}')
    await user.should_see(marker='documents-upload', retries=PATIENT)
    upload = user.find(marker='documents-upload').elements.pop()
    await upload.handle_uploads([SmallFileUpload(name='../../etc/passwd', content_type='text/plain',
                                                 _data=b'root:x:0:0\n')])
    await user.should_see(marker='document-passwd', retries=PATIENT)
    with session_scope() as session:
        [document] = list_documents(session, admin, case_id=case.id)
    assert document.original_name == 'passwd' and document.size == 11
    response = await user.http_client.get(f'/files/{document.id}')
    assert response.status_code == 200 and response.content == b'root:x:0:0\n'
    assert 'attachment' in response.headers['content-disposition']


async def test_search_finds_cases_clients_and_ignores_accents(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'Société Générale Algérie')
    case = data.case(admin, client.id, 'Réclamation contentieuse IRG', case_type='fiscal')
    await sign_in(user, admin.email)
    await user.open('/search?q=societe')
    hits = await list_items(user, 'search-results')
    assert {(hit['key'], hit['href']) for hit in hits} == {
        (f'client-{client.id}', f'/clients/{client.id}'), (f'case-{case.id}', f'/cases/{case.id}')}
    assert {hit['title'] for hit in hits} >= {'Société Générale Algérie'}
    await user.open(f'/search?q={case.reference}')
    hits = await list_items(user, 'search-results', lambda items: items and items[0]['key'] == f'case-{case.id}')
    assert [hit['key'] for hit in hits] == [f'case-{case.id}']
    await user.open('/search?q=introuvable')
    await user.should_see('Aucun résultat', retries=PATIENT)


async def test_case_list_filters_and_tenant_isolation(user: User, sqlite_db) -> None:
    admin = make_tenant('A')
    other = make_tenant('B')
    client = data.client(admin, 'EURL Liste')
    data.case(admin, client.id, 'Affaire urgente', priority='urgent')
    data.case(admin, client.id, 'Affaire calme', priority='low')
    foreign_client = data.client(other, 'Client de B')
    foreign = data.case(other, foreign_client.id, 'Secret de B')
    await sign_in(user, admin.email)
    await user.open('/cases')
    rows = await table_rows(user, 'cases-table', lambda rows: len(rows) == 2)
    assert {row['title'] for row in rows} == {'Affaire urgente', 'Affaire calme'}
    user.find(marker='filter-priority').elements.pop().set_value('urgent')
    rows = await table_rows(user, 'cases-table', lambda rows: len(rows) == 1)
    assert [row['title'] for row in rows] == ['Affaire urgente']
    await user.open(f'/cases/{foreign.id}')
    await user.should_see('Dossier introuvable.', retries=PATIENT)
    await user.should_not_see('Secret de B')


async def test_header_search_suggests_while_typing(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'Société Générale Algérie')
    await sign_in(user, admin.email)
    user.find(marker='global-search').type('societe gen')
    await user.should_see(marker=f'suggestion-client-{client.id}', retries=PATIENT)
    user.find(marker=f'suggestion-client-{client.id}').click()
    await user.should_see(marker='tab-contacts', retries=PATIENT)


async def test_a_filter_on_a_client_out_of_reach_is_dropped(user: User, sqlite_db) -> None:
    """`/cases?client_id=` naming another tenant's client lists this tenant's cases, the client filter empty: never
    the other tenant's client name, never an empty list behind a filter the user cannot see."""
    admin = make_tenant('A')
    other = make_tenant('B')
    client = data.client(admin, 'EURL Liste')
    data.case(admin, client.id, 'Affaire de A')
    foreign_client = data.client(other, 'Client de B')
    data.case(other, foreign_client.id, 'Secret de B')
    await sign_in(user, admin.email)
    await user.open(f'/cases?client_id={foreign_client.id}')
    rows = await table_rows(user, 'cases-table', lambda rows: len(rows) == 1)
    assert [row['title'] for row in rows] == ['Affaire de A']
    assert user.find(marker='filter-client_id').elements.pop().value is None
    await user.should_not_see('Client de B')
