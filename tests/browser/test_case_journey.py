"""A consultant's day in a real chromium: create a client, open a case, write a note, attach a file, download
it, and drag the case to another column of the board."""

from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from db.models import CaseStatus
from db.session import session_scope
from services.cases import CaseFilter, list_cases
from services.paging import PageRequest
from tests.browser.test_login_journey import _fill_login_form, _should_see, _type_into
from tests.factories import PASSWORD, make_tenant

DRAG_AND_DROP = '''
const [card, column] = [document.querySelector(arguments[0]), document.querySelector(arguments[1])];
const data = new DataTransfer();
card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
setTimeout(() => {
    column.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
    column.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
}, 300);
'''
FETCH_TEXT = '''
const done = arguments[arguments.length - 1];
fetch(arguments[0]).then(r => r.text()).then(done);
'''


def test_client_case_note_file_and_board(screen: Screen, sqlite_db, tmp_path: Path) -> None:
    admin = make_tenant('Cabinet Numidia')
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')

    screen.open('/clients')
    screen.click('Nouveau client')
    _type_into(screen, 'Nom', 'SARL Algérie Tech')
    _type_into(screen, 'Téléphone', '+213 555 123 456')
    screen.click('Enregistrer')
    _should_see(screen, '+213 555 12 34 56')  # the client's page, not the toast: a toast may fade before it is seen

    screen.click('Nouveau dossier')
    _type_into(screen, 'Intitulé', 'Constitution SARL')
    screen.click('Enregistrer')
    _should_see(screen, 'Constitution SARL')
    _should_see(screen, 'Historique des statuts')
    with session_scope() as session:
        [case] = list_cases(session, admin, CaseFilter(), PageRequest()).items

    note = screen.find_by_css('textarea')
    note.click()
    note.send_keys('Appel du client : statuts à signer vendredi.')
    screen.click('Ajouter')
    _should_see(screen, 'statuts à signer vendredi')

    document = tmp_path / 'statuts-signés.txt'
    document.write_text('Statuts de la SARL Algérie Tech\n', encoding='utf-8')
    screen.find_by_css('.q-uploader input[type=file]').send_keys(str(document))
    link = screen.find_by_css('a[href^="/files/"]')  # the document in the list
    assert link.text == 'statuts-signés.txt'
    downloaded = screen.selenium.execute_async_script(FETCH_TEXT, link.get_attribute('href'))
    assert downloaded == 'Statuts de la SARL Algérie Tech\n'

    screen.open('/cases/board')
    _should_see(screen, 'Constitution SARL')
    screen.selenium.execute_script(DRAG_AND_DROP, f'[data-kanban-card="{case.id}"]',
                                   '[data-kanban-column="in_progress"]')
    column = screen.find_by_css('[data-kanban-column="in_progress"]')
    screen.wait_for(lambda: 'Constitution SARL' in column.text)
    with screen.implicitly_wait(0):
        assert screen.selenium.find_elements(By.CSS_SELECTOR, '[data-kanban-column="new"] [data-kanban-card]') == []

    # without a mouse: the card's menu moves it too, and the title links to the case inside the shell
    screen.find_by_css(f'[data-kanban-menu="{case.id}"]').click()
    screen.find_by_css(f'[data-kanban-move="{case.id}-waiting_client"]').click()
    waiting = screen.find_by_css('[data-kanban-column="waiting_client"]')
    screen.wait_for(lambda: 'Constitution SARL' in waiting.text)
    with session_scope() as session:
        assert list_cases(session, admin, CaseFilter(status=CaseStatus.WAITING_CLIENT), PageRequest()).total == 1
    waiting.find_element(By.LINK_TEXT, 'Constitution SARL').click()
    _should_see(screen, f'{case.reference} · Constitution SARL')
