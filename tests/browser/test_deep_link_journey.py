"""A link to a case opened while signed out, in a real chromium: the sign-in leads to the case, not the dashboard."""

from nicegui.testing import Screen
from selenium.webdriver.common.keys import Keys

from tests.browser.test_login_journey import STARTUP_SECONDS, _should_see, _type_into
from tests.factories import PASSWORD, make_tenant
from tests.pages import data


def test_a_case_link_opened_signed_out_leads_to_the_case_after_signing_in(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    client = data.client(admin, 'SARL Tassili')
    case = data.case(admin, client.id, 'Contentieux fiscal')
    screen.open(f'/cases/{case.id}', timeout=STARTUP_SECONDS)
    _should_see(screen, 'Connexion')
    assert screen.current_path == f'/login?next=%2Fcases%2F{case.id}'
    _type_into(screen, 'E-mail', admin.email)
    _type_into(screen, 'Mot de passe', PASSWORD)
    screen.type(Keys.ENTER)
    _should_see(screen, f'{case.reference} · Contentieux fiscal')
    assert screen.current_path == f'/cases/{case.id}'
