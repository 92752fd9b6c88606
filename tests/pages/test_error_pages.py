"""Every error a browser can meet is a page of the app: its frame, the user's language, a way back; a failure shows
a reference the administrator finds in the log. The API and scripts keep their JSON."""

import html
import json
import re

import pytest
from nicegui import __version__ as nicegui_version
from nicegui import app, ui
from nicegui.testing import User

from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, follow_the_browser, sign_in

BROWSER = {'Accept': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'}


def _title(page: str) -> str:
    return html.unescape(re.search(r'<title>([^<]*)</title>', page).group(1))


def _shown(page: str, key: str) -> set[str]:
    """The texts (`text`) or link targets (`href`) of the page's elements, as the HTML answer carries them."""
    return {json.loads(value) for value in re.findall(rf'"{key}":("(?:[^"\\]|\\.)*")', page)}


def _framed_with_a_way(page: str, label: str, target: str) -> bool:
    """The app's frame (its name in the header) and a link on."""
    return 'CRM IA' in _shown(page, 'text') and label in _shown(page, 'text') and target in _shown(page, 'href')


async def test_public_addresses_that_name_nothing_get_a_framed_page_while_signed_out(user: User, sqlite_db) -> None:
    for path in ('/login/xyz', '/static/nothing.css', f'/_nicegui/{nicegui_version}/static/nothing.js',
                 '/favicon.ico/x'):
        response = await user.http_client.get(path, headers=BROWSER)
        assert response.status_code == 404, path
        assert response.headers['content-type'].startswith('text/html'), path
        page = response.text
        assert _title(page) == 'Page introuvable · CRM IA', path
        assert _framed_with_a_way(page, 'Aller à la page de connexion', '/login'), path
        assert 'HTTPException' not in page and 'Not Found' not in page, path
    script = await user.http_client.get(f'/_nicegui/{nicegui_version}/static/nothing.js')  # a script's request
    assert script.status_code == 404 and script.headers['content-type'] == 'application/json'
    api = await user.http_client.get('/api/nothing', headers=BROWSER)  # the API's namespace answers in JSON
    assert api.status_code == 404 and api.headers['content-type'] == 'application/json'


async def test_a_wrong_method_gets_a_framed_page_in_the_users_language(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    response = await user.http_client.post('/clients', headers=BROWSER)
    assert response.status_code == 405 and response.headers['content-type'].startswith('text/html')
    assert _title(response.text) == "Cette adresse ne s'utilise pas ainsi · CRM IA"
    assert _framed_with_a_way(response.text, 'Retour au tableau de bord', '/')
    user.find(marker='language-menu').click()
    user.find(marker='language-en').click()
    await user.should_see('Dashboard', retries=PATIENT)
    follow_the_browser(user)
    english = await user.http_client.post('/clients', headers=BROWSER)
    assert _title(english.text) == 'This address cannot be used this way · CRM IA'
    assert _framed_with_a_way(english.text, 'Back to the dashboard', '/')
    missing = await user.http_client.get('/files/999999', headers=BROWSER)  # a document that is not there (any more)
    assert missing.status_code == 404 and _title(missing.text) == 'Page not found · CRM IA'
    script = await user.http_client.post('/clients')
    assert script.status_code == 405 and script.headers['content-type'] == 'application/json'


async def test_a_record_that_does_not_exist_says_so_with_a_way_back(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Tassili')
    await sign_in(user, admin.email)
    gone, wrong = 'Il a peut-être été supprimé ou fusionné', 'Cette adresse ne mène à aucun écran'
    for path, title, hint, section in ((f'/clients/{client.id + 1000}', 'Client introuvable.', gone, '/clients'),
                                       ('/clients/abc', 'Page introuvable', wrong, '/clients'),
                                       ('/cases/99999', 'Dossier introuvable.', gone, '/cases'),
                                       ('/contacts/99999', 'Contact introuvable.', gone, '/clients')):
        user.navigate.to(path)
        await user.should_see(title, retries=PATIENT)
        await user.should_see(hint)
        links = {link.props['href'] for link in user.find(marker='error-way-back').elements}
        assert links == {section}, path
        assert {link.props['href'] for link in user.find(marker='error-way-home').elements} == {'/'}
    user.find(marker='error-way-home').click()
    await user.should_see(marker='kpi-clients', retries=PATIENT)


@pytest.fixture
def failing_page():
    """A page function that fails the way a broken query would, first among the routes (before the shell's)."""

    @ui.page('/failing-page')
    def failing() -> None:
        raise RuntimeError('(psycopg.errors.UndefinedColumn) SELECT client.secret FROM client')

    app.routes.insert(0, app.routes.pop())
    yield
    app.remove_route('/failing-page')


async def test_a_failing_page_function_gets_the_frame_and_a_reference(user: User, sqlite_db, failing_page,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    response = await user.http_client.get('/failing-page', headers=BROWSER)
    assert response.status_code == 500
    assert 'SELECT' not in response.text and 'psycopg' not in response.text and 'Traceback' not in response.text
    assert _framed_with_a_way(response.text, 'Retour au tableau de bord', '/')
    assert _title(response.text) == "Cet écran n'a pas pu s'afficher · CRM IA"
    [reference] = [text for text in _shown(response.text, 'text') if re.fullmatch('[0-9A-F]{8}', text)]
    assert any(reference in record.getMessage() for record in caplog.records if record.name == 'crm.incident')
    caplog.clear()  # expected: the log holds the error, with its traceback, for the administrator
