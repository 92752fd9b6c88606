"""A page opened while signed out is the page shown once signed in: only this app's own pages, even behind a proxy."""

import asyncio

import httpx
import pytest
from nicegui.testing import User

from tests.factories import PASSWORD, make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, follow_the_browser
from ui.session import safe_next


async def _sign_in_at(user: User, login_address: str, email: str) -> None:
    """Sign in on the login page at this address (as the redirect gave it), and wait for the page it leads to."""
    await user.open(login_address)
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(PASSWORD)
    user.find(marker='login-submit').click()
    await user.should_see(marker='page-title', retries=PATIENT)
    follow_the_browser(user)


async def test_a_case_opened_signed_out_is_shown_after_signing_in(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Tassili')
    case = data.case(admin, client.id, 'Contentieux fiscal')
    response = await user.http_client.get(f'/cases/{case.id}')
    assert response.status_code in (302, 307)
    assert response.headers['location'] == f'/login?next=%2Fcases%2F{case.id}'
    await _sign_in_at(user, response.headers['location'], admin.email)
    await user.should_see(f'{case.reference} · Contentieux fiscal', retries=PATIENT)
    assert user.client.sub_pages_router.current_path == f'/cases/{case.id}'


async def test_the_query_string_and_the_chosen_language_are_kept(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'EURL Hoggar')
    response = await user.http_client.get(f'/clients/{client.id}?tab=contacts')
    assert response.headers['location'] == f'/login?next=%2Fclients%2F{client.id}%3Ftab%3Dcontacts'
    await user.open(response.headers['location'])
    user.find('EN').click()  # the language switch reloads the sign-in page: the way on is not lost
    await user.should_see('Sign in', retries=PATIENT)
    await _sign_in_at(user, user.client.sub_pages_router.current_path, admin.email)
    await user.should_see(marker='tab-contacts', retries=PATIENT)
    assert user.client.sub_pages_router.current_path == f'/clients/{client.id}?tab=contacts'


@pytest.mark.parametrize('target', ['//evil.example/x', '/\\evil.example', 'https://evil.example/',
                                    '/\t/evil.example', 'javascript:alert(1)', '/login', '/logout'])
async def test_sign_in_never_leads_elsewhere(user: User, sqlite_db, target: str) -> None:
    admin = make_tenant()
    finishes: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        if response.request.url.path == '/login/finish':
            finishes.append(response)

    user.http_client.event_hooks['response'].append(record)
    await _sign_in_at(user, f'/login?{httpx.QueryParams(next=target)}', admin.email)
    await user.should_see(marker='kpi-clients', retries=PATIENT)  # the dashboard
    assert [response.headers['location'] for response in finishes] == ['/']


async def test_behind_a_proxy_the_way_back_carries_the_prefix_once(user: User, sqlite_db, trusted_proxy) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SNC Djurdjura')
    case = data.case(admin, client.id, 'Bail commercial')
    response = await user.http_client.get(f'/cases/{case.id}?view=full', headers={'X-Forwarded-Prefix': '/crm'})
    assert response.headers['location'] == f'/crm/login?next=%2Fcases%2F{case.id}%3Fview%3Dfull'
    finishes: list[httpx.Response] = []

    async def record(response: httpx.Response) -> None:
        if response.request.url.path == '/login/finish':
            finishes.append(response)

    user.http_client.event_hooks['response'].append(record)
    user.http_client.headers['X-Forwarded-Prefix'] = '/crm'  # every request now comes through the proxy
    await user.open(f'/login?next=%2Fcases%2F{case.id}%3Fview%3Dfull')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type(PASSWORD)
    user.find(marker='login-submit').click()
    for _ in range(PATIENT):
        if finishes:
            break
        await asyncio.sleep(0.1)
    assert [response.headers['location'] for response in finishes] == [f'/crm/cases/{case.id}?view=full']


def test_only_paths_of_this_app_are_safe_destinations() -> None:
    for path in ('/cases/402', '/clients/7?tab=contacts', '/search?q=Batna%20Agro', '/cases/402#notes', '/'):
        assert safe_next(path) == path, path
    for path in ('', None, 'cases/402', '//evil.example', '///evil.example', '/\\evil.example', '/\\/evil.example',
                 'https://evil.example', 'http:/evil.example', '/\t/evil.example', '/\n/evil.example',
                 'javascript:alert(1)', '/login', '/login/finish?ticket=x', '/logout', '/' + 'a' * 2500):
        assert safe_next(path) is None, path
