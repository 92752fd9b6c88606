"""Polling the server for one browser, and only while that browser is there to see the result.

NiceGUI's `ui.timer` runs until its client is deleted: after the browser left it goes on for the reconnect timeout,
and a client dropped without being deleted (a stopping server, a test's reset) leaves it running for good, logging
«The client this element belongs to has been deleted» at every round. A Poller runs while it is active, while the
element it serves is on the page and while the browser is connected: it skips its rounds while the connection is
lost (a network hiccup: it goes on once the browser is back) and stops for good once that element or its client is
gone.

It is also no element, so it may start while a page is being built: a `ui.timer` made then makes NiceGUI send the
page at once (the timer waits for the browser to connect, and NiceGUI answers as soon as anything does), before the
screen's data is drawn.
"""

import asyncio
from collections.abc import Awaitable, Callable

from nicegui import Client, app, background_tasks, ui


class Poller:
    def __init__(self, interval: float, callback: Callable[[], Awaitable[None]], container: ui.element) -> None:
        """`container`: the element the polling serves; the callback runs in its slot, and polling ends with it."""
        self.interval, self.callback, self.container = interval, callback, container
        self._active = False
        self._task: asyncio.Task | None = None

    @property
    def active(self) -> bool:
        return self._active

    @active.setter
    def active(self, value: bool) -> None:
        self._active = value
        if value and (self._task is None or self._task.done()):
            self._task = background_tasks.create(self._run(self.container.client), name=f'poll {self.callback}')

    @property
    def running(self) -> bool:
        """Whether rounds are still to come (False once the element or its client is gone, or polling stopped)."""
        return self._task is not None and not self._task.done()

    def _gone(self, client: Client) -> bool:
        return self.container.is_deleted or client.is_deleted or app.is_stopping or app.is_stopped

    async def _run(self, client: Client) -> None:
        while self._active:
            await asyncio.sleep(self.interval)
            if self._gone(client):
                self._active = False
                return
            if not self._active or not client.has_socket_connection:
                continue  # stopped meanwhile, or nobody to show the result to until the browser is back
            try:
                with self.container:
                    await self.callback()
            except Exception as error:  # one failed round is logged; the next one may do better
                app.handle_exception(error)
