"""Light simulated users of `bench.browser --users N`: the server's side of a browser, without a browser.

Twenty headless Chromium instances do not fit on a two-core machine next to the server (rendering the pipeline alone
takes about a second of CPU): the browsers would measure their own starvation. So `--browsers` real browsers
(2 by default) measure what a user feels, while the other users are light: each signed in with its own session
(through a real browser, once), each going round the screens with the same think time, doing to the server what a
browser does to it: it GETs the page (the server builds it: the main cost), then opens the page's socket with
NiceGUI's implicit handshake (so the page's timers run and its late content is pushed, as for a browser) and acks
the messages it gets every 3 s, as nicegui.js does, until it moves on. Their measures are the page's time to first
byte and to the whole HTML, and the failed loads (HTTP 500, «response_timeout», redirected to the login page).
"""

import ast
import asyncio
import contextlib
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
import socketio

from bench.browser_data import BenchData
from bench.browser_screens import COLD_ORDER, SCREENS
from bench.browser_user import Sample

QUERY = re.compile(r'query: (\{.*?\}),\n')  # the socket's query in the page (a Python literal)
ACK_SECONDS = 3.0


@dataclass
class LightUser:
    base: str
    cookies: dict[str, str]
    data: BenchData
    think: float
    timeout: float
    halt: threading.Event
    record: Callable[[Sample], None]
    sign_in: Callable[[], dict[str, str]]  # a new signed-in session's cookies (blocking)
    socket_failures: list[str] = field(default_factory=list)

    async def run(self, rounds: int, deadline: float | None) -> None:
        async with httpx.AsyncClient(base_url=self.base, cookies=self.cookies, timeout=self.timeout) as http:
            done = 0
            while (done < rounds) if deadline is None else (time.monotonic() < deadline):
                for name in COLD_ORDER:
                    if self.halt.is_set() or (deadline is not None and time.monotonic() > deadline):
                        return
                    query = await self._load(http, name)
                    await self._stay(query, self.think * random.uniform(0.5, 1.5))
                done += 1

    def _url(self, name: str) -> str:
        return SCREENS[name].url.format(client_id=self.data.client_id, query=self.data.search_query)

    async def _load(self, http: httpx.AsyncClient, name: str) -> dict | None:
        """GET the screen's page; record its first byte and whole-HTML times; the socket's query if it is a page."""
        started = time.perf_counter()
        try:
            async with http.stream('GET', self._url(name)) as response:
                first = time.perf_counter()
                body = (await response.aread()).decode(errors='replace')
        except httpx.HTTPError as error:
            self.record(Sample(name, 'http', None, error=f'{type(error).__name__} {error}'[:200]))
            return None
        ended = time.perf_counter()
        error = None
        if response.status_code >= 400:
            error = f'HTTP {response.status_code}' + (' response_timeout' if 'response_timeout' in body else '')
        elif response.status_code >= 300:
            error = f'HTTP {response.status_code} to {response.headers.get("location")}'
            if urlsplit(response.headers.get('location', '')).path == '/login':  # signed out: sign in again
                self.cookies = await asyncio.to_thread(self.sign_in)
                http.cookies.clear()
                http.cookies.update(self.cookies)
        self.record(Sample(name, 'http', None if error else (ended - started) * 1000, error=error,
                           ttfb=(first - started) * 1000))
        found = QUERY.search(body)
        return ast.literal_eval(found.group(1)) if found and not error else None

    async def _stay(self, query: dict | None, seconds: float) -> None:
        """Keep the page's socket open for `seconds` (just wait when there is no page)."""
        if query is None:
            await asyncio.sleep(seconds)
            return
        client = socketio.AsyncClient(reconnection=False)
        state = {'next': int(query.get('next_message_id', 0)), 'acked': -1}

        @client.on('*')
        async def any_event(_event: str, data: object = None, *_) -> None:
            if isinstance(data, dict) and isinstance(data.get('_id'), int):
                state['next'] = max(state['next'], data['_id'] + 1)

        params = {**query, 'implicit_handshake': 'true', 'document_id': uuid.uuid4().hex, 'tab_id': uuid.uuid4().hex}
        cookie = '; '.join(f'{name}={value}' for name, value in self.cookies.items())
        try:
            await client.connect(f'{self.base}?{urlencode(params)}', socketio_path='/_nicegui_ws/socket.io',
                                 transports=['websocket'], headers={'Cookie': cookie}, wait_timeout=self.timeout)
        except socketio.exceptions.ConnectionError as error:
            self.socket_failures.append(str(error))
            await asyncio.sleep(seconds)
            return
        try:
            await self._ack_until(client, query['client_id'], state, time.monotonic() + seconds)
        finally:
            with contextlib.suppress(Exception):
                await client.disconnect()

    async def _ack_until(self, client: socketio.AsyncClient, client_id: str, state: dict, until: float) -> None:
        while (left := until - time.monotonic()) > 0 and not self.halt.is_set():
            await asyncio.sleep(min(ACK_SECONDS, left))
            if state['next'] > state['acked'] and client.connected:
                await client.emit('ack', {'client_id': client_id, 'next_message_id': state['next']})
                state['acked'] = state['next']


def run_light_users(users: list[LightUser], rounds: int, deadline: float | None) -> None:
    """All light users in one event loop (this thread's)."""
    async def all_users() -> None:
        await asyncio.gather(*(user.run(rounds, deadline) for user in users))

    asyncio.run(all_users())
