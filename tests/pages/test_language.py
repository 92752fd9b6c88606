"""Each user reads the app in their own language, Quasar's own words included (table paging, date pickers,
uploader), whatever the server's default language."""

import re

from nicegui.testing import User

from db.session import session_scope
from services.users import set_own_language
from tests.factories import make_tenant, make_user
from tests.pages.helpers import PATIENT, follow_the_browser, sign_in

PACK = re.compile(r'src="(/_nicegui/[^"]+/static/lang/([A-Za-z-]+)\.umd\.prod\.js)"')


async def _quasar_pack(user: User, path: str) -> tuple[str, str, str]:
    """(the html tag's language, the Quasar pack the page loads, that pack's text) as a browser receives them."""
    page = (await user.http_client.get(path)).text
    html_lang = re.search(r'<html lang="([^"]+)"', page).group(1)
    url, pack = PACK.search(page).groups()
    return html_lang, pack, (await user.http_client.get(url)).text


async def test_quasar_speaks_english_to_an_english_user_on_a_french_server(user: User, sqlite_db) -> None:
    admin = make_tenant()
    english = make_user(admin)
    with session_scope() as session:
        set_own_language(session, english, 'en')
    await sign_in(user, english.email)

    html_lang, pack, text = await _quasar_pack(user, '/clients')
    assert (html_lang, pack) == ('en-US', 'en-US')
    assert 'Records per page' in text and '" of "' in text  # the tables' paging: «Records per page: 1-50 of 403»
    assert 'January' in text and 'Sunday' in text  # the date pickers


async def test_quasar_follows_the_language_switched_in_the_header(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    html_lang, pack, text = await _quasar_pack(user, '/cases')
    assert (html_lang, pack) == ('fr', 'fr') and 'Lignes par page' in text and 'Janvier' in text

    user.find(marker='language-menu').click()
    user.find(marker='language-en').click()
    await user.should_see('Cases', retries=PATIENT)  # the page was rebuilt in English
    follow_the_browser(user)
    html_lang, pack, text = await _quasar_pack(user, '/cases')
    assert (html_lang, pack) == ('en-US', 'en-US') and 'Records per page' in text


async def test_the_login_page_speaks_the_language_chosen_there(user: User, sqlite_db) -> None:
    await user.open('/login')
    user.find('EN').click()
    html_lang, pack, _ = await _quasar_pack(user, '/login')
    assert (html_lang, pack) == ('en-US', 'en-US')
