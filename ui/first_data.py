"""A first load (a bookmark, F5) sends the page with the screen's main data when it is quick to read.

The shell gives the screen's builder up to WAIT seconds before answering: whatever the builder drew by then goes
out in the HTML, and the rest follows over the websocket once it connects (some 300 ms later), so the page never
waits longer than WAIT. A screen whose builder goes on after its main data (the dashboard's lists and charts, a
board's filter choices) calls `data_shown()` once that data is drawn, so the page need not wait for the rest.
"""

import asyncio
import weakref

from nicegui import Client, context, ui

WAIT = 0.075  # seconds; with the shell's own work the page function stays well under 100 ms

_SHOWN: weakref.WeakKeyDictionary[Client, asyncio.Event] = weakref.WeakKeyDictionary()


def data_shown() -> None:
    """The screen's main data is on the page (called by the screen's builder; a no-op after the first load)."""
    if (event := _SHOWN.get(context.client)) is not None:
        event.set()


async def wait_for(content: ui.sub_pages) -> None:
    """Until the screen's builder is done or says its main data is shown, WAIT at most."""
    building = [task for task in content._active_tasks if not task.done()]
    if not building:
        return
    event = _SHOWN.setdefault(content.client, asyncio.Event())
    signal = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait([*building, signal], timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    finally:
        signal.cancel()
        _SHOWN.pop(content.client, None)
