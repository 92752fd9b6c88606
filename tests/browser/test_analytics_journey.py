"""Issue 6's journey in a real chromium: the sales dashboard draws its segments and its trend, a segment's chip opens
its clients, a client's «Ventes» tab shows the buying profile and the recommendations, and one of them becomes a
planned call in two clicks, leaving the open list.

NiceGUI's `.mark()` lives on the server only (nothing in the page): `_marked` finds the marked element among the
elements of the browser's own NiceGUI client (the server runs in this process) and looks it up in the page by the
`c<id>` that NiceGUI gives every element.
"""

from datetime import timedelta

from nicegui import Client
from nicegui.testing import Screen
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from db.models import InteractionType
from db.session import session_scope
from services import interactions as interactions_service
from services.analytics import recommendation_actions
from services.analytics.recommendation_actions import RecommendationFilter, task_moment
from services.clock import today
from services.paging import PageRequest
from tests.browser.patience import PATIENCE
from tests.browser.test_ai_journey import _wait_long
from tests.browser.test_login_journey import _fill_login_form, _should_see
from tests.browser.test_pipeline_journey import _click
from tests.factories import PASSWORD, make_tenant
from tests.recommendation_data import analyse, build_shop

PAGE_SECONDS = PATIENCE  # a page's data is loaded after the page is shown (charts, tables, tabs)
TASK_DELAY_DAYS = 3  # the task dialog proposes a call three days ahead (pages/analytics/recommendation_widgets.py)


def _marked_ids(screen: Screen, mark: str) -> list[str]:
    """The page ids (`c<id>`) of the elements marked `mark` on the page the browser shows, as the server knows them."""
    try:
        client_id = screen.selenium.execute_script('return window.clientId')
    except WebDriverException:  # between two pages
        return []
    client = Client.instances.get(client_id)
    if client is None:
        return []
    for _ in range(5):  # the server thread may add or remove elements meanwhile
        try:
            elements = list(client.elements.values())
            break
        except RuntimeError:
            continue
    else:
        return []
    return [f'c{element.id}' for element in elements if mark in element._markers]  # NiceGUI keeps marks there


def _shown(screen: Screen, mark: str) -> WebElement | None:
    with screen.implicitly_wait(0):
        for element_id in _marked_ids(screen, mark):
            for element in screen.selenium.find_elements(By.ID, element_id):
                if element.is_displayed():
                    return element
    return None


def _marked(screen: Screen, mark: str, seconds: float = PAGE_SECONDS) -> WebElement:
    """Wait for the element marked `mark` to be on screen, and return it."""
    found: list[WebElement] = []

    def shown() -> bool:
        element = _shown(screen, mark)
        if element is not None:
            found.append(element)
        return element is not None

    _wait_long(screen, shown, seconds)
    return found[-1]


def _click_marked(screen: Screen, mark: str) -> None:
    """Click the marked element once it takes the click (a dialog sliding in lets clicks through, a list re-renders)."""
    def clicked() -> bool:
        element = _shown(screen, mark)
        if element is None:
            return False
        try:
            element.click()
        except WebDriverException:  # intercepted, not interactable, stale: try again
            return False
        return True

    _wait_long(screen, clicked, PAGE_SECONDS)


def _wait_path(screen: Screen, path: str) -> None:
    _wait_long(screen, lambda: screen.current_path == path, PAGE_SECONDS)


def _gone(element: WebElement) -> bool:
    try:
        return not element.is_displayed()
    except StaleElementReferenceException:
        return True


def _drawn(screen: Screen, mark: str, layer: str) -> int:
    """How many traces Plotly drew in the chart marked `mark` (0 until Plotly has drawn its svg)."""
    chart = _shown(screen, mark)
    if chart is None:
        return 0
    with screen.implicitly_wait(0):
        if not chart.find_elements(By.CSS_SELECTOR, '.plot-container svg.main-svg'):
            return 0
        return len(chart.find_elements(By.CSS_SELECTOR, f'.{layer} .trace'))


def _text(screen: Screen, mark: str) -> str:
    """The marked element's text as shown now ('' while it is being replaced: lists re-render after each action)."""
    element = _shown(screen, mark)
    try:
        return element.text if element is not None else ''
    except StaleElementReferenceException:
        return ''


def _svg_text(screen: Screen, mark: str) -> str:
    try:
        return ' '.join(node.get_attribute('textContent') or ''
                        for node in _marked(screen, mark).find_elements(By.CSS_SELECTOR, 'svg text'))
    except StaleElementReferenceException:  # Plotly redrew it: the next look will do
        return ''


def test_from_the_dashboard_to_a_segment_to_a_client_and_a_planned_call(screen: Screen, sqlite_db) -> None:
    shop = build_shop(make_tenant('Torréfaction Numidia'))
    analyse(shop.actor)
    camille = shop.clients['Camille Croisée']
    with session_scope() as session:
        recommendations = recommendation_actions.list_recommendations(
            session, shop.actor, RecommendationFilter(client_id=camille), PageRequest(limit=10)).items
    cross_sell = next(r for r in recommendations if r.scenario == 'cross_sell')
    assert cross_sell.product_name == 'Thé noir'
    others = [r for r in recommendations if r.id != cross_sell.id]
    assert others, 'Camille has an upsell too: it stays in the list'

    _fill_login_form(screen, shop.actor.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')

    screen.open('/analytics')
    _should_see(screen, 'Ventes par mois')
    _should_see(screen, 'Segments RFM')
    # this year and last (and the current month's dotted end, its two traces, when the month is under way)
    _wait_long(screen, lambda: _drawn(screen, 'chart-trend', 'scatterlayer') in (2, 4), PAGE_SECONDS)
    _wait_long(screen, lambda: _drawn(screen, 'chart-segments', 'treemaplayer') == 1, PAGE_SECONDS)
    _wait_long(screen, lambda: 'Champions' in _svg_text(screen, 'chart-segments'), PAGE_SECONDS)  # a tile per segment
    with screen.implicitly_wait(0):
        tiles = _marked(screen, 'chart-segments').find_elements(By.CSS_SELECTOR, '.treemaplayer path.surface')
    assert len(tiles) >= 4  # champions, loyal, need attention, cannot lose, new, lost…
    assert "Chiffre d'affaires" in _svg_text(screen, 'chart-trend')  # the legend names the two lines

    _wait_long(screen, lambda: _text(screen, 'segment-link-champions').startswith('Champions · '), PAGE_SECONDS)
    _click_marked(screen, 'segment-link-champions')
    _wait_path(screen, '/analytics/segments/champions')
    _should_see(screen, 'R\u00a05 · F\u00a04–5')  # the segment's definition, under its title
    _wait_long(screen, lambda: 'Camille Croisée' in _text(screen, 'segment-clients'), PAGE_SECONDS)
    name = f'//a[@href="/clients/{camille}"]'  # the client's name, a link in its row
    assert screen.selenium.find_element(By.XPATH, name).text == 'Camille Croisée'
    _click(screen, name)

    _wait_path(screen, f'/clients/{camille}')
    _should_see(screen, 'Camille Croisée')
    _click_marked(screen, 'tab-sales')
    _wait_long(screen, lambda: all(part in _text(screen, 'client-profile')
                                   for part in ('Profil d’achat', 'Champions', 'R 5 · F 4')), PAGE_SECONDS)
    _wait_long(screen, lambda: 'Thé noir' in _text(screen, f'reco-{cross_sell.id}'), PAGE_SECONDS)
    card = _marked(screen, f'reco-{cross_sell.id}')
    for other in others:
        _marked(screen, f'reco-{other.id}')

    _click_marked(screen, f'reco-task-{cross_sell.id}')
    _should_see(screen, 'Proposer Thé noir')  # the dialog's subject
    due = today() + timedelta(days=TASK_DELAY_DAYS)
    assert _marked(screen, 'reco-task-due').get_attribute('value') == due.isoformat()  # (the id is the input's)
    _click_marked(screen, 'reco-task-save')
    _wait_long(screen, lambda: _gone(card) and not _marked_ids(screen, f'reco-{cross_sell.id}'), PAGE_SECONDS)
    for other in others:  # the others stay
        _marked(screen, f'reco-{other.id}')
    _wait_long(screen, lambda: _text(screen, 'reco-count') == f'{len(others)} recommandation(s)', PAGE_SECONDS)
    with screen.implicitly_wait(0):
        screen.wait_for(lambda: all(_gone(e) for e in screen.selenium.find_elements(By.CSS_SELECTOR, '.q-dialog')))

    with session_scope() as session:
        planned = interactions_service.upcoming(session, shop.actor, client_id=camille)
        done = recommendation_actions.get_recommendation(session, shop.actor, cross_sell.id)
        still_open = recommendation_actions.list_recommendations(
            session, shop.actor, RecommendationFilter(client_id=camille), PageRequest(limit=10))
    [call] = planned
    assert (call.type, call.title, call.occurred_at) == (InteractionType.CALL, 'Proposer Thé noir', task_moment(due))
    assert (done.status, done.interaction_id) == ('done', call.id)
    assert [r.id for r in still_open.items] == [r.id for r in others]
