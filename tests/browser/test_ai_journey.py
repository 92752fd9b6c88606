"""The AI analysis of a case in a real chromium: analyse an aged, risky case, read the risk and why and the
applicable texts, turn the first next step into a task, then find the case among the dashboard's cases at risk.

What `tests/pages/test_ai_pages.py` simulates with the `user` fixture, end to end.
"""

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from components.formatting import format_date
from db.models import NoteKind
from db.session import session_scope
from services.ai import analyses
from services.notes import list_notes
from tests.ai_cases import build
from tests.browser.patience import SLOW
from tests.browser.test_login_journey import _fill_login_form, _should_see
from tests.browser.test_pipeline_journey import _click
from tests.factories import PASSWORD, make_tenant
from tests.pages.test_ai_pages import AT_RISK

AI_PANEL = '//div[contains(@class, "q-card")][.//div[normalize-space(text())="Analyse IA"]]'
NOTES = '//div[contains(@class, "q-card")][.//div[normalize-space(text())="Notes"]]'
AT_RISK_CARD = '//div[contains(@class, "q-card")][.//div[normalize-space(text())="Dossiers à risque"]]'
ANALYSE = f'{AI_PANEL}//button[.//span[normalize-space(text())="Analyser"]]'
MAKE_TASK = f'{AI_PANEL}//button[.//span[normalize-space(text())="Créer la tâche"]]'
TASK_MADE = f'{AI_PANEL}//button[.//span[normalize-space(text())="Tâche créée"]]'
ANALYSIS_SECONDS = SLOW  # the first analysis of a tenant builds its index of legal texts


def _card_text(screen: Screen, xpath: str) -> str:
    """The card's text as written (`.text` would give section titles upper-cased by CSS)."""
    return screen.selenium.find_element(By.XPATH, xpath).get_attribute('textContent')


def _wait_in(screen: Screen, xpath: str, *texts: str) -> None:
    """Wait until the card at `xpath` shows every one of `texts` (the card is re-rendered as it refreshes)."""
    screen.wait_for(lambda: all(text in _card_text(screen, xpath) for text in texts))


def _should_see_in(screen: Screen, xpath: str, text: str) -> None:
    """`_should_see`, inside the card at `xpath`."""
    query = f'{xpath}//*[not(self::script) and not(self::style) and text()[contains(., "{text}")]]'

    def visible() -> bool:
        return any(element.is_displayed() for element in screen.selenium.find_elements(By.XPATH, query))

    with screen.implicitly_wait(0):
        screen.wait_for(visible)


def _wait_long(screen: Screen, condition, seconds: float) -> None:
    """`screen.wait_for`, for longer than its implicit wait."""
    implicit = screen.IMPLICIT_WAIT
    screen.IMPLICIT_WAIT = seconds
    try:
        screen.wait_for(condition)
    finally:
        screen.IMPLICIT_WAIT = implicit


def test_analyse_a_risky_case_make_a_task_and_find_it_on_the_dashboard(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    case = build(admin, AT_RISK)
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')

    screen.open(f'/cases/{case.id}')
    _should_see(screen, 'Aucune analyse pour ce dossier')
    _should_see(screen, 'Aucune note')
    _click(screen, ANALYSE)

    _wait_long(screen, lambda: 'Textes applicables' in _card_text(screen, AI_PANEL), ANALYSIS_SECONDS)
    with session_scope() as session:
        [analysis] = analyses.list_analyses(session, admin, case.id)
    assert analysis.risk.level == 'critical'
    first_step = analysis.next_steps[0]
    assert first_step.due_date is not None
    due = format_date(first_step.due_date)
    _wait_in(screen, AI_PANEL, f'Critique · {analysis.risk.score}', 'Échéance proche', analysis.summary,
             'Code des procédures fiscales', 'Prochaines étapes', first_step.title, f'pour le {due}')
    for text in ('Critique · ', 'Échéance proche', analysis.summary, 'Code des procédures fiscales', f'pour le {due}'):
        _should_see(screen, text)  # on screen, not just in the page
    risk = screen.selenium.find_element(By.XPATH, f'{AI_PANEL}//*[@data-risk="critical"]')
    assert risk.text.startswith('Critique · ')
    assert 'Aucune analyse pour ce dossier' not in _card_text(screen, AI_PANEL)

    _click(screen, MAKE_TASK)  # the first step's button comes first
    _should_see(screen, 'Tâche créée')  # the step's button, done and disabled
    assert not screen.selenium.find_element(By.XPATH, TASK_MADE).is_enabled()
    _wait_in(screen, NOTES, first_step.title, f'échéance {due}', 'Fait')  # the task, without a reload
    _should_see_in(screen, NOTES, first_step.title)
    assert 'Aucune note' not in _card_text(screen, NOTES)
    with session_scope() as session:
        tasks = [note for note in list_notes(session, admin, case.id) if note.kind == NoteKind.TASK]
    assert [(task.body, task.due_date, task.done) for task in tasks] == [(first_step.title, first_step.due_date, False)]

    screen.open('/')
    _should_see(screen, 'Dossiers à risque')
    _should_see_in(screen, AT_RISK_CARD, 'Redressement TVA 2024')
    _wait_in(screen, AT_RISK_CARD, 'Redressement TVA 2024', case.reference, f'Critique · {analysis.risk.score}')
    link = screen.selenium.find_element(By.XPATH, f'{AT_RISK_CARD}//a[@href="/cases/{case.id}"]')
    assert 'Redressement TVA 2024' in link.text
    assert 'Aucun dossier ouvert' not in _card_text(screen, AT_RISK_CARD)
