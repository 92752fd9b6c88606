"""A prospect warms up, in a real chromium: drag its card from «Prospect froid» to «Prospect chaud» on the
pipeline, then open the client and log a call in two clicks; the call shows up without a reload.

Set `CRM_JOURNEY_SHOTS` to a folder (outside the repository) to also keep full-page screenshots of both pages
at desktop and phone widths, for a visual review.
"""

import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nicegui.testing import Screen
from selenium.common.exceptions import ElementClickInterceptedException, ElementNotInteractableException
from selenium.webdriver.common.by import By

from db.models import InteractionType
from db.session import session_scope
from services import clients as clients_service
from services import interactions as interactions_service
from services import pipeline as pipeline_service
from services.pipeline import PipelineFilter
from tests.browser.patience import PATIENCE
from tests.browser.test_case_journey import DRAG_AND_DROP
from tests.browser.test_login_journey import _fill_login_form, _should_see
from tests.factories import PASSWORD, make_client, make_tenant
from tools.screenshots import PHONE_USER_AGENT, RENDERED_JS, SIZES, SOCKET_QUIET_JS

SHOTS = os.environ.get('CRM_JOURNEY_SHOTS')
RECENT_ACTIVITIES = '//div[contains(@class, "q-card")][.//div[normalize-space(text())="Activités récentes"]]'
NOT_RELOADED = 'window.crmJourneyMark'
SERVER_START = PATIENCE  # the first page starts the app (`Screen.open` allows 3 s)


def _column(stage_id: int) -> str:
    return f'[data-kanban-column="{stage_id}"]'


def _count(screen: Screen, stage_id: int) -> str:
    """The number in a column's header badge (the total of the stage, not just the cards shown)."""
    return screen.find_by_css(f'{_column(stage_id)} .q-badge').text


def _cards(screen: Screen, stage_id: int) -> set[int]:
    with screen.implicitly_wait(0):  # an empty column is an answer, not something to wait for
        cards = screen.selenium.find_elements(By.CSS_SELECTOR, f'{_column(stage_id)} [data-kanban-card]')
    return {int(card.get_attribute('data-kanban-card')) for card in cards}


IN_DIALOG = '//div[contains(@class, "q-dialog")]'
IN_MENU = '//div[contains(@class, "q-menu")]'


def _click(screen: Screen, xpath: str) -> None:
    """Click once the element takes the click: a Quasar menu or dialog that is still sliding in lets it through
    to whatever lies underneath, and Selenium then refuses."""
    def clicked() -> bool:
        try:
            screen.selenium.find_element(By.XPATH, xpath).click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            return False
        return True

    screen.wait_for(clicked)


def _wait_rendered(screen: Screen) -> None:
    """No skeleton or spinner left, fonts in, and NiceGUI's socket quiet: the page is worth a picture."""
    screen.wait_for(lambda: screen.selenium.execute_script(RENDERED_JS))
    screen.selenium.execute_async_script(SOCKET_QUIET_JS, 300, 5000)


def _shoot(screen: Screen, name: str) -> None:
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    screen.wait(0.4)  # Quasar's transitions (drawer, notifications)
    metrics = screen.selenium.execute_cdp_cmd('Page.getLayoutMetrics', {})
    content = metrics.get('cssContentSize') or metrics['contentSize']
    viewport = metrics.get('cssLayoutViewport') or metrics['layoutViewport']
    clip = {'x': 0, 'y': 0, 'scale': 1, 'width': max(content['width'], viewport['clientWidth']),
            'height': max(content['height'], viewport['clientHeight'])}
    shot = screen.selenium.execute_cdp_cmd('Page.captureScreenshot',
                                           {'format': 'png', 'captureBeyondViewport': True, 'clip': clip})
    (folder / f'{name}.png').write_bytes(base64.b64decode(shot['data']))


@contextmanager
def _viewport(screen: Screen, name: str) -> Iterator[None]:
    """Pin the viewport to one of tools.screenshots' sizes (a phone: touch, mobile user agent); the session's
    chromium is shared, so everything is put back afterwards."""
    size = next(size for size in SIZES if size.name == name)
    driver = screen.selenium
    user_agent = driver.execute_script('return navigator.userAgent')
    driver.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {
        'width': size.width, 'height': size.height, 'deviceScaleFactor': 1, 'mobile': size.phone})
    if size.phone:
        driver.execute_cdp_cmd('Emulation.setTouchEmulationEnabled', {'enabled': True, 'maxTouchPoints': 5})
        driver.execute_cdp_cmd('Emulation.setUserAgentOverride', {'userAgent': PHONE_USER_AGENT})
    try:
        yield
    finally:
        if size.phone:
            driver.execute_cdp_cmd('Emulation.setUserAgentOverride', {'userAgent': user_agent})
            driver.execute_cdp_cmd('Emulation.setTouchEmulationEnabled', {'enabled': False})
        driver.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def _shown(screen: Screen, text: str) -> bool:
    """Whether an element with this text is on screen now (not merely in the page)."""
    query = f'//body//*[not(self::script) and not(self::style) and text()[contains(., "{text}")]]'
    with screen.implicitly_wait(0):
        return any(element.is_displayed() for element in screen.selenium.find_elements(By.XPATH, query))


def _no_sideways_scroll(screen: Screen) -> None:
    """At phone width the page itself must not scroll sideways (the board scrolls inside its own row)."""
    width = screen.selenium.execute_script('return [document.documentElement.scrollWidth, window.innerWidth]')
    assert width[0] <= width[1], f'the page is {width[0]} px wide in a {width[1]} px window'


def test_drag_a_prospect_to_hot_then_log_a_call(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    atlas = make_client(admin, 'SARL Atlas Conseil', client_type='CGPI', city='Oran')
    sahel = make_client(admin, 'EURL Sahel Export', city='Ghardaïa')
    with session_scope() as session:
        stages = {stage.key: stage for stage in pipeline_service.list_stages(session, admin)}
    cold, hot = stages['prospect_froid'], stages['prospect_chaud']
    assert (atlas.stage_id, atlas.stage_name) == (cold.id, 'Prospect froid')  # where a new client starts

    screen.open('/login', timeout=SERVER_START)
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')

    with _viewport(screen, 'desktop'):
        screen.open('/pipeline')
        _should_see(screen, 'SARL Atlas Conseil')
        assert (_count(screen, cold.id), _count(screen, hot.id)) == ('2', '0')
        assert _cards(screen, cold.id) == {atlas.id, sahel.id}
        screen.selenium.execute_script(DRAG_AND_DROP, f'[data-kanban-card="{atlas.id}"]', _column(hot.id))
        screen.wait_for(lambda: _count(screen, hot.id) == '1')
        assert _count(screen, cold.id) == '1'
        assert _cards(screen, hot.id) == {atlas.id}
        assert atlas.id not in _cards(screen, cold.id)
        with session_scope() as session:
            moved = clients_service.get_client(session, admin, atlas.id)
            columns = {c.stage.id: c.total for c in pipeline_service.board(session, admin, PipelineFilter())}
            history = pipeline_service.stage_history(session, admin, atlas.id)
        assert (moved.stage_id, moved.stage_name, moved.version) == (hot.id, 'Prospect chaud', atlas.version + 1)
        assert (columns[cold.id], columns[hot.id]) == (1, 1)
        assert (history[0].from_stage, history[0].to_stage) == ('Prospect froid', 'Prospect chaud')
        assert _shown(screen, 'Type de client') and not _shown(screen, 'Filtres')  # filters in sight, no button
        _wait_rendered(screen)
        _shoot(screen, 'desktop-pipeline')

    with _viewport(screen, 'phone'):
        screen.open('/pipeline')
        _should_see(screen, 'SARL Atlas Conseil')
        _wait_rendered(screen)
        assert _cards(screen, hot.id) == {atlas.id}
        _no_sideways_scroll(screen)
        _shoot(screen, 'phone-pipeline')
        assert not _shown(screen, 'Type de client')  # a phone: the filters fold behind a button
        _click(screen, '//button[.//span[text()="Filtres"]]')
        screen.wait_for(lambda: _shown(screen, 'Type de client') and _shown(screen, 'Responsable'))

    with _viewport(screen, 'desktop'):
        screen.open(f'/clients/{atlas.id}')
        _should_see(screen, 'Activités récentes')
        _should_see(screen, "Aucune interaction pour l'instant")
        _wait_rendered(screen)
        screen.selenium.execute_script(f'{NOT_RELOADED} = true')

        _click(screen, '//button[.//span[text()="Consigner"]]')  # two clicks: the quick-log button, then «Appel»
        _click(screen, f'{IN_MENU}//div[contains(@class, "q-item")][.//div[text()="Appel"]]')
        _should_see(screen, 'Consigner : Appel')
        title = screen.selenium.find_element(By.XPATH, f'{IN_DIALOG}//input[@aria-label="Titre"]')
        assert title.get_attribute('value') == 'Appel'  # prefilled: saving is all that is left
        _click(screen, f'{IN_DIALOG}//button[.//span[text()="Enregistrer"]]')
        recent = screen.selenium.find_element(By.XPATH, RECENT_ACTIVITIES)
        screen.wait_for(lambda: 'Appel\n' in recent.text and ' · Admin' in recent.text)
        assert "Aucune interaction pour l'instant" not in recent.text
        assert screen.selenium.execute_script(f'return {NOT_RELOADED}') is True  # the same page, not reloaded
        with session_scope() as session:
            [call] = interactions_service.recent(session, admin, client_id=atlas.id)
        assert (call.type, call.title, call.created_by) == (InteractionType.CALL, 'Appel', admin.user_id)
        _wait_rendered(screen)
        _shoot(screen, 'desktop-client')

    with _viewport(screen, 'phone'):
        screen.open(f'/clients/{atlas.id}')
        _should_see(screen, 'Activités récentes')
        _wait_rendered(screen)
        assert 'Appel\n' in screen.selenium.find_element(By.XPATH, RECENT_ACTIVITIES).text
        _no_sideways_scroll(screen)
        _shoot(screen, 'phone-client')
