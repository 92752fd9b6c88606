"""No screen can hit NiceGUI's response timeout: the page answers at once, whatever the screen's data, and the
data follows over the websocket. A regression (a page that awaits its data again) fails here, early."""

import asyncio
import time

from nicegui import ui
from nicegui.testing import User

from db.session import session_scope
from services.contacts import ContactInput, create_contact
from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import sign_in
from ui import first_data
from ui.first_data import data_shown
from ui.guard import SCREENS, member_page

BUDGET_SECONDS = 1.0  # NiceGUI answers a raw 500 after 3 s; an idle machine answers in about 0.05 s


def _address(pattern: str, ids: dict[str, int | str]) -> str:
    return pattern.format(**ids)


async def test_every_screen_answers_within_the_budget(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Budget')
    case = data.case(admin, client.id, 'Déclaration G50')
    with session_scope() as session:
        contact = create_contact(session, admin, client.id, ContactInput(first_name='Nadia', last_name='Kaci'))
    ids = {'client_id': client.id, 'case_id': case.id, 'contact_id': contact.id, 'segment': 'champions'}
    await sign_in(user, admin.email)
    slow = {}
    for pattern in list(SCREENS):
        if pattern.startswith('/test/'):
            continue
        started = time.perf_counter()
        response = await user.http_client.get(_address(pattern, ids))
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, pattern
        if elapsed > BUDGET_SECONDS:
            slow[pattern] = round(elapsed, 2)
    assert slow == {}


async def test_a_screen_whose_data_is_slow_still_answers_at_once(user: User, sqlite_db) -> None:
    @member_page('/test/slow-screen')
    async def slow_screen(actor) -> None:
        await asyncio.sleep(5)  # a query that takes 5 s

    admin = make_tenant()
    await sign_in(user, admin.email)
    started = time.perf_counter()
    response = await user.http_client.get('/test/slow-screen')
    assert response.status_code == 200
    assert time.perf_counter() - started < BUDGET_SECONDS


async def test_a_first_load_carries_the_data_a_screen_has_shown(user: User, sqlite_db, monkeypatch) -> None:
    """A screen that draws its main data and says so goes out with it in the page itself (no second round trip over
    the websocket), without waiting for what the screen does next. (The wait is made long here, so that a page
    that waited for it could not pass.)"""
    monkeypatch.setattr(first_data, 'WAIT', 3 * BUDGET_SECONDS)

    @member_page('/test/shown-then-slow')
    async def shown_then_slow(actor) -> None:
        await asyncio.sleep(0.05)  # the main data's query
        ui.label('Chiffres du jour')
        data_shown()
        await asyncio.sleep(5)  # the rest of the screen: lists, charts
        ui.label('Tout le reste')

    admin = make_tenant()
    await sign_in(user, admin.email)
    started = time.perf_counter()
    response = await user.http_client.get('/test/shown-then-slow')
    assert time.perf_counter() - started < BUDGET_SECONDS
    assert 'Chiffres du jour' in response.text
    assert 'Tout le reste' not in response.text
