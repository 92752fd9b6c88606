"""A board is kept up to date by polling the server, for a browser that is there: polling waits while the browser
is away (a closed tab, a lost connection) and stops for good once its page is gone."""

import asyncio
import gc

import pytest
from nicegui import app
from nicegui.testing import User

from components.poller import Poller
from db.models import CaseStatus
from db.session import session_scope
from pages.cases.case_board import POLL_SECONDS
from services.cases import move_case
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import Board, sign_in


@pytest.fixture
def patient_reconnects():
    """A browser that went away keeps its page on the server for a while (NiceGUI's reconnect timeout)."""
    before = app.config.reconnect_timeout
    app.config.reconnect_timeout = 60.0
    yield
    app.config.reconnect_timeout = before


async def test_the_board_polls_only_while_its_browser_is_connected(user: User, sqlite_db, patient_reconnects) -> None:
    admin = make_tenant()
    colleague = make_user(admin)
    client = data.client(admin, 'SNC Temps réel')
    first = data.case(admin, client.id, 'Bail commercial', case_type='legal')
    second = data.case(admin, client.id, 'Cession de parts', case_type='legal')
    await sign_in(user, admin.email)
    await user.open('/cases/board')
    board = Board(user, 'case-board')
    await board.shows(first.id)
    page = user.client
    with session_scope() as session:
        move_case(session, colleague, first.id, CaseStatus.RESOLVED)
    await board.until(lambda b: b.cards('resolved') == {first.id})
    assert board.cards('resolved') == {first.id}  # polled: a colleague's move shows up

    [(socket_id, document_id)] = page._socket_to_document_id.items()
    page.handle_disconnect(socket_id)  # the browser goes away (a closed tab, a lost connection)
    with session_scope() as session:
        move_case(session, colleague, second.id, CaseStatus.RESOLVED)
    await asyncio.sleep(2.5 * POLL_SECONDS)
    assert board.cards('resolved') == {first.id}  # nobody to show it to: the server did not poll

    await page.handle_handshake(socket_id, user.tab_id, None, document_id, None)  # back after a network hiccup
    await board.until(lambda b: b.cards('resolved') == {first.id, second.id})
    assert board.cards('resolved') == {first.id, second.id}  # polling goes on with the browser back


def _running_pollers() -> list[Poller]:
    return [thing for thing in gc.get_objects() if isinstance(thing, Poller) and thing.running]


async def _until_stopped(poller: Poller) -> None:
    for _ in range(int(3 * POLL_SECONDS / 0.1)):
        if not poller.running:
            return
        await asyncio.sleep(0.1)


async def test_the_boards_polling_ends_with_its_page(user: User, sqlite_db) -> None:
    admin = make_tenant()
    case = data.case(admin, data.client(admin, 'SNC Temps réel').id, 'Bail commercial', case_type='legal')
    await sign_in(user, admin.email)
    await user.open('/cases/board')
    await Board(user, 'case-board').shows(case.id)
    [poller] = _running_pollers()
    user.find(marker='nav-clients').click()  # another screen of the shell
    await _until_stopped(poller)
    assert not poller.running

    await user.open('/pipeline')
    await Board(user, 'pipeline-board').shows(case.client_id)
    [poller] = _running_pollers()
    user.client.delete()  # the browser left for good: NiceGUI deletes its page after the reconnect timeout
    await _until_stopped(poller)
    assert not poller.running
