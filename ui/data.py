"""Calling services from pages: in a worker thread, in a unit of work opened in that thread."""

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from nicegui import run

from db.engine import NulCharacter, is_busy_error
from db.session import session_scope
from services.errors import Invalid

T = TypeVar('T')


async def in_thread(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` in NiceGUI's thread pool. Unlike `run.io_bound`, which answers None when its
    caller is cancelled, this lets the cancellation through: a screen left before its data arrived stops there
    instead of drawing None (or, for the signed-in user, signing the user out)."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(run.thread_pool, partial(function, *args, **kwargs))


def _in_unit_of_work(service: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """Most of what screens ask only reads: it runs without SQLite's write lock, so screens never queue behind
    writers. A service that writes and finds another writer went first is rolled back and run again as a writer."""
    try:
        with session_scope(read_first=True) as session:
            return service(session, *args, **kwargs)
    except Exception as error:
        if not is_busy_error(error):
            raise
    with session_scope() as session:
        return service(session, *args, **kwargs)


async def call(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`await call(clients.get_client, actor, 42)`: the service gets a fresh session as first argument.
    Text the database would refuse (a NUL character) comes back as `Invalid` naming its field, like any rule."""
    try:
        return await in_thread(_in_unit_of_work, service, args, kwargs)
    except NulCharacter as error:
        raise Invalid('error.nul_character', field=error.field) from error
