"""Charts in a real chromium (issue 14, item 9): opening a client's KPI tab and leaving it logs no console error
(Plotly used to throw «Resize must be passed a displayed plot div element» when the tab holding a chart closed);
on a phone the KPI chart's month labels are angled and keep clear of its legend, the month table scrolls inside its
card, not the page; the sales trend draws the current month as partial; every segment tile keeps its name.
"""

from datetime import timedelta
from decimal import Decimal

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from db.session import session_scope
from services import kpis
from services.analytics import rfm
from services.clock import today
from services.kpis import KpiInput
from tests.browser.test_login_journey import _fill_login_form, _should_see
from tests.browser.test_pipeline_journey import SERVER_START, _click, _no_sideways_scroll, _viewport, _wait_rendered
from tests.factories import PASSWORD, make_client, make_tenant
from tests.recommendation_data import analyse, build_shop

TAB = ('//div[contains(concat(" ", normalize-space(@class), " "), " q-tab ")]'
       '[.//div[contains(@class, "q-tab__label") and normalize-space(.)="{}"]]')

# The rectangles of a chart's legend and of its x-axis labels that cross: none when they keep clear of each other.
OVERLAPS_JS = '''
const plot = arguments[0];
const box = (element) => element.getBoundingClientRect();
const legend = plot.querySelector('.legend');
if (!legend) return [];
const l = box(legend);
return [...plot.querySelectorAll('.xtick text')].map(box)
    .filter((t) => t.width && !(t.right <= l.left || t.left >= l.right || t.bottom <= l.top || t.top >= l.bottom))
    .map((t) => [t.left, t.top]);
'''


def _severe(screen: Screen) -> list[str]:
    """The browser console's errors since the last call (the session's chromium is shared: read it first)."""
    return [entry['message'] for entry in screen.selenium.get_log('browser') if entry['level'] == 'SEVERE']


def _sign_in(screen: Screen, email: str) -> None:
    screen.open('/login', timeout=SERVER_START)
    _fill_login_form(screen, email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')


def _open_tab(screen: Screen, label: str) -> None:
    _click(screen, TAB.format(label))
    screen.wait(0.5)


def _shown_plot(screen: Screen):
    plots = [plot for plot in screen.selenium.find_elements(By.CSS_SELECTOR, '.js-plotly-plot') if plot.is_displayed()]
    assert len(plots) == 1
    return plots[0]


def test_the_kpi_tab_logs_no_console_error_and_fits_a_phone(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    client = make_client(admin, 'SARL Atlas Conseil')
    year = today().year
    with session_scope() as session:
        for month, closings in ((3, 1), (4, 2), (9, 1)):
            kpis.save_kpi(session, admin, client.id, KpiInput(year=year, month=month, pitches=month, closings=closings,
                                                              revenue=Decimal('150000.50'),
                                                              commission_rate=Decimal('2.5')))
    _sign_in(screen, admin.email)
    _severe(screen)  # the login's own messages, if any, are not this test's

    with _viewport(screen, 'desktop'):
        screen.open(f'/clients/{client.id}')
        _should_see(screen, 'SARL Atlas Conseil')
        for label in ('KPI', 'Ventes', 'KPI', 'Aperçu', 'KPI'):  # the chart's tab closes and opens again
            _open_tab(screen, label)
        _should_see(screen, 'Activité par mois')
        _wait_rendered(screen)
        _open_tab(screen, 'Aperçu')
        screen.wait(1)
        assert _severe(screen) == []

    with _viewport(screen, 'phone'):
        screen.open(f'/clients/{client.id}?tab=kpis')
        _should_see(screen, 'Activité par mois')
        _wait_rendered(screen)
        plot = _shown_plot(screen)
        labels = plot.find_elements(By.CSS_SELECTOR, '.xtick text')
        assert labels and all('rotate(-45' in (label.get_attribute('transform') or '') for label in labels)
        assert screen.selenium.execute_script(OVERLAPS_JS, plot) == []
        scroll = screen.selenium.execute_script(
            "const m = document.querySelector('.crm-kpi-table .q-table__middle');"
            'return [m.scrollWidth, m.clientWidth, getComputedStyle(m).overflowX]')
        assert scroll[0] > scroll[1] and scroll[2] == 'auto'  # wider than the phone: it scrolls in its card
        _no_sideways_scroll(screen)
        assert _severe(screen) == []


def test_the_sales_charts_on_a_phone(screen: Screen, sqlite_db) -> None:
    shop = build_shop(make_tenant('Torréfaction Numidia'))
    analyse(shop.actor)
    _sign_in(screen, shop.actor.email)
    _severe(screen)
    with _viewport(screen, 'phone'):
        screen.open('/analytics')
        _should_see(screen, 'Ventes par mois')
        _wait_rendered(screen)
        trend = screen.selenium.find_element(By.XPATH, '//div[contains(@class, "q-card")]'
                                                       '[.//div[normalize-space(text())="Ventes par mois"]]'
                                                       '//div[contains(@class, "js-plotly-plot")]')
        assert screen.selenium.execute_script(OVERLAPS_JS, trend) == []
        legend = [text.get_attribute('textContent') for text in trend.find_elements(By.CSS_SELECTOR, '.legendtext')]
        if (today() + timedelta(days=1)).day != 1:  # the period ends today, before the month's last day
            assert 'Mois en cours (partiel)' in legend
        tiles = screen.selenium.find_elements(By.CSS_SELECTOR, '.treemaplayer .slice')  # and Plotly's root, under
        named = [tile for tile in tiles if tile.find_elements(By.CSS_SELECTOR, 'text tspan')]
        with session_scope() as session:
            segments = [count for count in rfm.segment_distribution(session, shop.actor) if count.clients]
        assert segments and len(named) == len(segments)  # no tile without its name
        _no_sideways_scroll(screen)
        assert _severe(screen) == []
