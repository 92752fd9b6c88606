from contextlib import asynccontextmanager

import httpx
import pytest
from nicegui import app
from nicegui.testing import User

from db.models import Role
from db.session import session_scope
from services.login import log_in
from services.users import reset_password
from settings import reload_settings
from tests.factories import PASSWORD, make_tenant, make_user
from tests.pages.helpers import PATIENT, follow_the_browser, sign_in

SESSION_COOKIE = 'session'  # Starlette's, which NiceGUI's browser id lives in
SIMULATED_ADDRESS = '127.0.0.1'  # the client address of NiceGUI's simulated user (httpx's ASGI transport)
LOGIN_FAILED = 'E-mail ou mot de passe incorrect. Après plusieurs échecs, la connexion reste bloquée quelques minutes.'


@pytest.fixture
def secure_cookies(monkeypatch):
    """CRM_COOKIE_SECURE=true before the app (main.py) is set up by the `user` fixture."""
    monkeypatch.setenv('CRM_COOKIE_SECURE', 'true')
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()


@asynccontextmanager
async def _browser(session_cookie: str):
    """Another browser holding the given session cookie."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test',
                                 cookies={SESSION_COOKIE: session_cookie}) as browser:
        yield browser


def _cookie_flags(response: httpx.Response) -> set[str]:
    cookie = next(value for value in response.headers.get_list('set-cookie') if value.startswith(SESSION_COOKIE))
    return {part.strip().lower() for part in cookie.split(';')[1:]}


async def test_login_dashboard_logout(user: User, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    await user.open('/')
    await user.should_see('Connexion')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type(PASSWORD)
    user.find(marker='login-submit').click()
    await user.should_see('Tableau de bord', retries=PATIENT)
    await user.should_see('Cabinet Numidia')
    follow_the_browser(user)
    user.find(marker='logout').click()
    await user.should_see('Connexion', retries=PATIENT)
    await user.open('/')
    await user.should_see(marker='login-email')


async def test_wrong_password_says_so_in_french(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await user.open('/login')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type('not-the-password').trigger('keydown.enter')
    await user.should_see('E-mail ou mot de passe incorrect.', retries=PATIENT)


async def test_a_nul_character_in_the_e_mail_is_a_wrong_sign_in_not_a_crash(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await user.open('/login')
    user.find(marker='login-email').type(admin.email + '\x00')
    user.find(marker='login-password').type(PASSWORD).trigger('keydown.enter')
    await user.should_see('E-mail ou mot de passe incorrect.', retries=PATIENT)


async def test_a_locked_account_says_nothing_more_than_a_wrong_password(user: User, sqlite_db) -> None:
    admin = make_tenant()
    for number in range(10):
        assert log_in(admin.email, 'bad-password', source=f'192.0.2.{number}').error_key == 'error.login_failed'
    await user.open('/login')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type(PASSWORD).trigger('keydown.enter')
    await user.should_see(LOGIN_FAILED, retries=PATIENT)
    await user.should_not_see(marker='page-title')


async def test_too_many_failures_from_this_address_are_explained(user: User, sqlite_db) -> None:
    admin = make_tenant()
    for number in range(10):
        log_in(f'guess{number}@example.dz', 'password1', source=SIMULATED_ADDRESS)
    await user.open('/login')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type(PASSWORD).trigger('keydown.enter')
    await user.should_see('Trop de tentatives de connexion depuis votre adresse. Réessayez dans 5 min.',
                          retries=PATIENT)
    await user.should_not_see(marker='page-title')


async def test_signing_in_gives_the_browser_a_new_session(user: User, sqlite_db) -> None:
    """Fixation: whoever holds the cookie the browser had before signing in (planted, or read before) is not
    signed in with it; the sign-in ticket works once only."""
    admin = make_tenant()
    await user.open('/login')
    before = user.http_client.cookies.get(SESSION_COOKIE)
    assert before
    await sign_in(user, admin.email)
    after = user.http_client.cookies.get(SESSION_COOKIE)
    assert after and after != before
    async with _browser(before) as attacker:
        response = await attacker.get('/', follow_redirects=False)
        assert response.status_code in (302, 307) and response.headers['location'].endswith('/login')
        replay = await attacker.get('/login/finish?ticket=anything', follow_redirects=False)
        assert replay.headers['location'].endswith('/login')
    async with _browser(after) as owner:
        assert (await owner.get('/', follow_redirects=False)).status_code == 200


async def test_the_session_cookie_is_http_only_and_same_site(user: User, sqlite_db) -> None:
    response = await user.http_client.get('/login')
    flags = _cookie_flags(response)
    assert {'httponly', 'samesite=lax'} <= flags and 'secure' not in flags


async def test_the_session_cookie_is_secure_when_served_over_https(secure_cookies, user: User, sqlite_db) -> None:
    response = await user.http_client.get('/login')
    assert {'httponly', 'samesite=lax', 'secure'} <= _cookie_flags(response)


async def test_a_password_changed_elsewhere_signs_this_browser_out(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    await sign_in(user, agent.email)
    with session_scope() as session:
        reset_password(session, admin, agent.user_id, new_password='un-mot-de-passe-provisoire')
    await user.open('/')
    await user.should_see(marker='login-email')


async def test_session_survives_a_reload(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/')
    await user.should_see(marker='kpi-users', retries=PATIENT)


async def test_english_switch(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    user.find(marker='language-menu').click()
    user.find(marker='language-en').click()
    await user.should_see('Dashboard', retries=PATIENT)
    await user.should_see('Sign out')
    user.find(marker='logout').click()
    await user.should_see(marker='login-email', retries=PATIENT)
    from nicegui import app

    app.storage.user.clear()  # another browser: the choice was saved on the account
    await sign_in(user, admin.email)
    await user.should_see('Dashboard', retries=PATIENT)


async def test_a_deactivated_user_is_signed_out_at_the_next_page(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    await sign_in(user, agent.email)
    from services.users import update_user

    with session_scope() as session:
        update_user(session, admin, agent.user_id, is_active=False)
    await user.open('/')
    await user.should_see(marker='login-email')
