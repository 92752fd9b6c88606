"""The shell as the real app serves it: routes, redirects behind a proxy, the API on NiceGUI's app."""

import re

import pytest
from nicegui.testing import User

from settings import reload_settings
from tests.factories import PASSWORD, make_tenant
from tests.pages.helpers import PATIENT, sign_in
from ui.guard import SCREENS, member_page


async def test_pages_redirect_to_login_under_the_proxy_prefix(user: User, sqlite_db, trusted_proxy) -> None:
    response = await user.http_client.get('/admin/users', headers={'X-Forwarded-Prefix': '/crm'})
    assert response.status_code in (302, 307)
    assert response.headers['location'] == '/crm/login?next=%2Fadmin%2Fusers'  # the path inside the app


async def test_forwarded_headers_from_anyone_but_a_trusted_proxy_are_ignored(user: User, sqlite_db) -> None:
    response = await user.http_client.get('/admin/users', headers={'X-Forwarded-Prefix': '//evil.example'})
    assert response.headers['location'] == '/login?next=%2Fadmin%2Fusers'
    login = (await user.http_client.get('/login', headers={'X-Forwarded-Prefix': '/elsewhere'})).text
    assert '/elsewhere' not in login


async def test_a_trusted_proxy_cannot_pass_on_a_prefix_that_is_not_a_plain_path(user: User, sqlite_db,
                                                                                trusted_proxy) -> None:
    for prefix in ('//evil.example', '/crm"><script>', 'https://evil.example/crm'):
        response = await user.http_client.get('/admin/users', headers={'X-Forwarded-Prefix': prefix})
        assert response.headers['location'] == '/login?next=%2Fadmin%2Fusers', prefix


async def test_pages_link_the_precompiled_tailwind_css_instead_of_the_runtime(user: User, sqlite_db,
                                                                              trusted_proxy) -> None:
    login = (await user.http_client.get('/login')).text
    assert 'tailwindcss.min.js' not in login and 'text/tailwindcss' not in login
    href = re.search(r'<link rel="stylesheet" href="(/static/tailwind\.[0-9a-f]{12}\.css)">', login).group(1)
    css = await user.http_client.get(href)
    assert css.status_code == 200 and css.headers['content-type'].startswith('text/css')
    assert css.headers['cache-control'] == 'public, max-age=31536000'  # its name changes with its content
    assert '.max-w-7xl{' in css.text
    behind_proxy = (await user.http_client.get('/login', headers={'X-Forwarded-Prefix': '/crm'})).text
    assert f'href="/crm{href}"' in behind_proxy
    await sign_in(user, make_tenant().email)
    assert f'href="{href}"' in (await user.http_client.get('/clients')).text  # the shell


async def test_health_api_and_docs_are_served_by_the_app(user: User, sqlite_db) -> None:
    admin = make_tenant()
    assert (await user.http_client.get('/healthz')).json() == {'status': 'ok', 'database': 'ok'}
    token = (await user.http_client.post('/api/v1/auth/token',
                                         data={'username': admin.email, 'password': PASSWORD})).json()
    me = await user.http_client.get('/api/v1/me', headers={'Authorization': f'Bearer {token["access_token"]}'})
    assert me.json()['email'] == admin.email
    missing = await user.http_client.get('/api/v1/nothing-here')
    assert missing.status_code == 404 and missing.headers['content-type'].startswith('application/json')
    assert (await user.http_client.get('/openapi.json')).json()['paths']['/api/v1/me']


async def test_the_drawer_links_to_the_admin_pages_for_admins(user: User, sqlite_db) -> None:
    admin = make_tenant('Cabinet Tlemcen')
    await sign_in(user, admin.email)
    await user.should_see("Journal d'audit")
    await user.should_see('Utilisateurs')
    user.find(marker='nav-audit').click()
    await user.should_see(marker='audit-table', retries=PATIENT)


async def test_moving_between_screens_keeps_the_shell_and_swaps_the_content(user: User, sqlite_db) -> None:
    admin = make_tenant('Cabinet Oran')
    await sign_in(user, admin.email)
    client, drawer = user.client, next(iter(user.find(marker='nav-clients').elements))
    assert 'crm-nav-active' in next(iter(user.find(marker='nav-dashboard').elements)).classes
    user.find(marker='nav-clients').click()
    await user.should_see(marker='clients-table', retries=PATIENT)
    assert user.client is client  # no page load: the same browser tab, websocket and shell
    assert next(iter(user.find(marker='nav-clients').elements)) is drawer
    assert 'crm-nav-active' in drawer.classes
    assert 'crm-nav-active' not in next(iter(user.find(marker='nav-dashboard').elements)).classes
    await user.should_not_see('Dossiers ouverts par statut')  # the dashboard's content went away
    user.find(marker='nav-cases').click()
    await user.should_see(marker='cases-table', retries=PATIENT)
    assert user.client is client


async def test_an_address_that_names_nothing_is_not_found(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    for path in ('/nothing-here', '/clients/abc', '/clients/99999999999999999999', '/clients/2147483648',
                 '/cases/board/extra'):
        response = await user.http_client.get(path)
        assert response.status_code == 404, path
    user.navigate.to('/clients/abc')  # inside the shell, as a link would
    await user.should_see('Page introuvable', retries=PATIENT)
    user.find(marker='nav-dashboard').click()
    await user.should_see(marker='kpi-clients', retries=PATIENT)
    await user.should_not_see('Page introuvable')


async def test_api_docs_are_not_taken_by_the_shell(user: User, sqlite_db) -> None:
    for path in ('/docs', '/redoc'):
        response = await user.http_client.get(path)
        assert response.status_code == 200 and 'CRM IA API' in response.text, path


@pytest.fixture
def failing_screen():
    """A screen that fails the way a broken query would, with SQL and values in its message."""

    @member_page('/broken-screen')
    async def broken_screen(actor) -> None:
        raise RuntimeError('(psycopg.errors.NumericValueOutOfRange) SELECT client.name FROM client WHERE id = 9')

    yield
    SCREENS.pop('/broken-screen', None)


async def test_a_failing_screen_shows_a_reference_and_no_internals(user: User, sqlite_db, failing_screen,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    response = await user.http_client.get('/broken-screen')
    assert 'SELECT' not in response.text and 'psycopg' not in response.text
    user.navigate.to('/broken-screen')
    await user.should_see(marker='error-reference', retries=PATIENT)
    reference = next(iter(user.find(marker='error-reference').elements)).text
    shown = re.fullmatch(r'([0-9A-F]{8})', reference)
    await user.should_see("Référence à communiquer à l'administrateur")
    await user.should_not_see('SELECT')
    logged = [record for record in caplog.records if record.name == 'crm.incident']
    assert shown and any(shown.group(1) in record.getMessage() and record.exc_info for record in logged)
    caplog.clear()  # the errors were expected: the log holds them, with their traceback, for the administrator


async def test_every_response_carries_the_security_headers(user: User, sqlite_db) -> None:
    for path in ('/login', '/api/v1/me', '/healthz', '/clients'):
        response = await user.http_client.get(path)
        headers = response.headers
        assert "frame-ancestors 'self'" in headers['content-security-policy'], path
        assert "object-src 'none'" in headers['content-security-policy'], path
        assert headers['x-content-type-options'] == 'nosniff', path
        assert headers['referrer-policy'] == 'same-origin', path
        assert headers['x-frame-options'] == 'SAMEORIGIN', path
        assert 'server' not in headers, path


async def test_the_configured_portal_may_frame_the_app(user: User, sqlite_db, monkeypatch) -> None:
    monkeypatch.setenv('CRM_FRAME_ANCESTORS', 'https://intranet.cabinet.dz, https://portail.cabinet.dz:8443')
    reload_settings()
    try:
        policy = (await user.http_client.get('/login')).headers['content-security-policy']
    finally:
        monkeypatch.undo()
        reload_settings()
    assert "frame-ancestors 'self' https://intranet.cabinet.dz https://portail.cabinet.dz:8443" in policy


async def test_the_api_documentation_needs_a_signed_in_user_in_production(user: User, sqlite_db,
                                                                          monkeypatch) -> None:
    monkeypatch.setenv('CRM_ENVIRONMENT', 'production')
    monkeypatch.setenv('CRM_SECRET_KEY', 'a-private-random-value-for-this-test-only')
    monkeypatch.setenv('CRM_SECRETS_KEYS', 'n8c2wX4Kx7W0o3hB1w2YkKxL6m2Jd1vS3QZ0b9a8c7E=')
    reload_settings()
    try:
        for path in ('/docs', '/redoc', '/openapi.json'):
            response = await user.http_client.get(path)
            assert response.status_code in (302, 307), path
            assert response.headers['location'] == f'/login?next=%2F{path[1:]}', path
        await sign_in(user, make_tenant().email)
        assert (await user.http_client.get('/openapi.json')).status_code == 200
    finally:
        monkeypatch.undo()
        reload_settings()


async def test_a_screen_upload_over_the_limit_is_refused_before_it_is_read(user: User, sqlite_db) -> None:
    route = '/_nicegui/client/0a1b2c/upload/3d4e5f'
    headers = {'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': str(300 * 1024 * 1024)}
    refused = await user.http_client.post(route, content=b'--x--', headers=headers)
    assert refused.status_code == 413 and refused.json()['code'] == 'error.body_too_large_upload'
