"""The login journey in a real chromium: what `tests/pages/test_login.py` simulates, end to end.

The `screen` fixture fails a test on any ERROR log or JavaScript console error.
"""

from nicegui.testing import Screen
from selenium.common.exceptions import ElementClickInterceptedException, ElementNotInteractableException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.patience import PATIENCE
from tests.factories import PASSWORD, make_tenant

STARTUP_SECONDS = PATIENCE  # the first page starts the app


def _should_see(screen: Screen, text: str) -> None:
    """Wait for a visible element of the page body with this text.

    `screen.should_contain` stops at the first match in the whole document, which for a page's own title
    ("Connexion · CRM IA") is the hidden `<title>`: it then fails with "found but hidden".
    """
    query = f'//body//*[not(self::script) and not(self::style) and text()[contains(., "{text}")]]'

    def visible() -> bool:
        return any(element.is_displayed() for element in screen.selenium.find_elements(By.XPATH, query))

    with screen.implicitly_wait(0):
        screen.wait_for(visible)


def _type_into(screen: Screen, label: str, text: str) -> None:
    """Click the input labelled so (Quasar repeats the label as `aria-label`) and type into it."""
    field = screen.find_by_css(f'input[aria-label="{label}"]')

    def clicked() -> bool:  # a dialog still sliding in lets the click through to what lies underneath
        try:
            field.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            return False
        return True

    screen.wait_for(clicked)
    field.send_keys(text)


def _fill_login_form(screen: Screen, email: str, password: str) -> None:
    screen.open('/login', timeout=STARTUP_SECONDS)
    _should_see(screen, 'Connexion')
    _type_into(screen, 'E-mail', email)
    _type_into(screen, 'Mot de passe', password)


def _should_be_on_login_page(screen: Screen) -> None:
    screen.wait_for(lambda: screen.current_path == '/login')
    _should_see(screen, 'Connexion')
    _should_see(screen, 'Se connecter')


def test_login_dashboard_logout(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')  # argon2 takes a few tenths of a second: the implicit wait covers it
    screen.wait_for(lambda: screen.current_path == '/')
    _should_see(screen, 'Cabinet Numidia')

    screen.click('account_circle')  # the user menu's icon
    screen.click('Déconnexion')
    _should_be_on_login_page(screen)
    screen.should_not_contain('Tableau de bord')

    screen.open('/')
    _should_be_on_login_page(screen)
    screen.should_not_contain('Cabinet Numidia')


def test_wrong_password_says_so_in_french(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    _fill_login_form(screen, admin.email, 'not-the-password')
    screen.type(Keys.ENTER)
    _should_see(screen, 'E-mail ou mot de passe incorrect.')
    assert screen.current_path == '/login'
    screen.should_not_contain('Tableau de bord')


def test_the_menu_button_hides_and_shows_the_drawer(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.type(Keys.ENTER)
    _should_see(screen, 'Tableau de bord')
    drawer = screen.find_by_css('.q-drawer')
    screen.wait_for(drawer.is_displayed)
    screen.click('menu')
    screen.wait_for(lambda: screen.find_by_css('.q-drawer').rect['x'] < 0)  # slid out of view
    screen.click('menu')
    screen.wait_for(lambda: screen.find_by_css('.q-drawer').rect['x'] >= 0)
