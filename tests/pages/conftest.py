"""Page tests open a screen the way a browser does, and look at it once its builder has drawn it.

Screens are sub-pages of one shell: the page's HTTP answer comes at once, and the screen's data arrives after,
from a builder running in the background. `user.open` here also waits for that builder to finish (as a person
waits for the skeletons to go), so a test finds the screen's elements without racing it.
"""

import asyncio

import pytest
from nicegui import Client
from nicegui.elements.sub_pages import SubPages
from nicegui.testing import User

BUILDER_WAIT = 30.0  # seconds: an upper bound for slow machines


async def screens_drawn(client: Client) -> None:
    """Wait until no sub-page builder of this client is still running."""
    deadline = asyncio.get_running_loop().time() + BUILDER_WAIT
    while asyncio.get_running_loop().time() < deadline:
        building = [element for element in client.layout.descendants()
                    if isinstance(element, SubPages) and element._active_tasks]
        if not building:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'the screen at {client.sub_pages_router.current_path} was still building')


@pytest.fixture
def user(user: User) -> User:
    open_page = user.open

    async def open_and_wait(path: str, **kwargs) -> Client:
        client = await open_page(path, **kwargs)
        await screens_drawn(client)
        return client

    user.open = open_and_wait  # type: ignore[method-assign]
    return user


@pytest.fixture
def trusted_proxy(monkeypatch):
    """The test client (127.0.0.1) as a proxy the settings trust, like nginx in front of the app."""
    from settings import reload_settings

    monkeypatch.setenv('CRM_TRUSTED_PROXIES', '127.0.0.1')
    reload_settings()
    yield
    monkeypatch.undo()
    reload_settings()
