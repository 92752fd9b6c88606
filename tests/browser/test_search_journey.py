"""The header search in a real chromium: typing then pressing Enter at once searches what was typed."""

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.test_login_journey import _fill_login_form, _should_see
from tests.factories import PASSWORD, make_tenant
from tests.pages import data


def _results(screen: Screen) -> list[str]:
    return [row.get_attribute('href').split('/')[-1]
            for row in screen.selenium.find_elements(By.CSS_SELECTOR, '[data-item].crm-link-row')]


def test_enter_right_after_typing_searches_the_new_text(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    batna = data.client(admin, 'Batna Agro')
    oran = data.client(admin, 'Oran Textile')
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.type(Keys.ENTER)
    _should_see(screen, 'Tableau de bord')

    box = screen.find_by_css('.q-header input')
    box.send_keys('Oran')
    _should_see(screen, 'Oran Textile')  # its suggestion: the box's value reached the server
    box.send_keys(Keys.CONTROL, 'a')
    box.send_keys('Batna' + Keys.ENTER)  # well within the box's 250 ms debounce
    screen.wait_for(lambda: screen.current_path.startswith('/search?'))
    assert screen.current_path == '/search?q=Batna'
    screen.wait_for(lambda: _results(screen) == [str(batna.id)])
    assert str(oran.id) not in _results(screen)
    screen.wait(0.5)  # the box's debounced value arrives after the search: it opens no suggestions over the results
    with screen.implicitly_wait(0):
        assert not screen.selenium.find_elements(By.CSS_SELECTOR, '.q-menu')
