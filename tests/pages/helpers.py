import asyncio

from nicegui.storage import request_contextvar
from nicegui.testing import User

from tests.factories import PASSWORD

PATIENT = 100  # retries of 0.1 s: an upper bound for slow machines (argon2 logins, worker threads)


async def sign_in(user: User, email: str, password: str = PASSWORD) -> None:
    await user.open('/login')
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(password)
    user.find(marker='login-submit').click()
    await user.should_see(marker='page-title', retries=PATIENT)
    follow_the_browser(user)


def follow_the_browser(user: User) -> None:
    """Give the test's own context the request of the page now shown.

    A real browser's events carry the request of their page (NiceGUI sets it before each handler). The simulated
    user runs handlers in the test's context instead, whose request is the last one the test opened itself. Signing
    in gives the browser a new session in a navigation the test did not open itself (ui/session.py), so without this
    a click after it (sign out, language, a toast kept for the next page) would use the session from before."""
    request_contextvar.set(user.client.request)


async def _element_data(user: User, marker: str, read, expect) -> list[dict]:
    """read(element) of the element marked so; with `expect`, wait until expect(read(element)) holds."""
    await user.should_see(marker=marker, retries=PATIENT)
    element = user.find(marker=marker).elements.pop()
    for _ in range(PATIENT):
        if expect is None or expect(read(element)):
            break
        await asyncio.sleep(0.1)
    return read(element)


async def table_rows(user: User, marker: str, expect=None) -> list[dict]:
    """The rows of the `ui.table` marked so; with `expect`, wait until expect(rows) holds."""
    return await _element_data(user, marker, lambda table: table.rows, expect)


async def list_items(user: User, marker: str, expect=None) -> list[dict]:
    """The items of the `link_list` marked so (drawn in the browser from them); with `expect`, wait until
    expect(items) holds."""
    return await _element_data(user, marker, lambda links: links.items, expect)


class Board:
    """A kanban board as the browser receives it (its columns' JSON), and the events its cards emit.

    The cards are drawn in the browser (components/kanban.js), so the simulated user reads the columns the
    server sent and sends the board's own `move` event, as a drop or the card's menu does in a real browser
    (tests/browser drive those)."""

    def __init__(self, user: User, marker: str) -> None:
        self.user, self.marker = user, marker

    @property
    def element(self):
        return next(iter(self.user.find(marker=self.marker).elements))

    @property
    def columns(self) -> dict[str, dict]:
        return {column['key']: column for column in self.element.props['columns']}

    def count(self, key) -> str:
        return str(self.columns[str(key)]['total'])

    def cards(self, key) -> set[int]:
        return {card['id'] for card in self.columns[str(key)]['cards']}

    def card(self, card_id: int) -> dict | None:
        return next((card for column in self.columns.values() for card in column['cards']
                     if card['id'] == card_id), None)

    async def shows(self, card_id: int) -> dict:
        """Wait until the card is on the board; return it."""
        await self.user.should_see(marker=self.marker, retries=PATIENT)
        for _ in range(PATIENT):
            if (card := self.card(card_id)) is not None:
                return card
            await asyncio.sleep(0.1)
        raise AssertionError(f'card {card_id} not on the board {self.marker}')

    def move(self, card_id: int, to) -> None:
        card = self.card(card_id)
        self.user.find(marker=self.marker).trigger('move', {'id': card_id, 'from': card['column'], 'to': str(to)})

    async def until(self, check) -> None:
        """Wait for a condition on the board (a count that a background refresh updates)."""
        for _ in range(PATIENT):
            if check(self):
                return
            await asyncio.sleep(0.1)
        assert check(self)


async def field_value(user: User, marker: str, expect=None):
    """The value of the field marked so; with `expect`, wait until expect(value) holds."""
    return await _element_data(user, marker, lambda field: field.value, expect)


async def until(condition, message: str = '') -> None:
    """Wait until condition() holds: what a save left behind (a row in the database, say) when the screen shows
    nothing new that lasts."""
    for _ in range(PATIENT):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(message or 'condition never held')
