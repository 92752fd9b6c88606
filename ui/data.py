"""Calling services from pages: in a worker thread, in a unit of work opened in that thread."""

from collections.abc import Callable
from typing import Any, TypeVar

from nicegui import run

from db.session import session_scope

T = TypeVar('T')


def _in_unit_of_work(service: Callable[..., T], args: tuple, kwargs: dict) -> T:
    with session_scope() as session:
        return service(session, *args, **kwargs)


async def call(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`await call(clients.get_client, actor, 42)`: the service gets a fresh session as first argument."""
    return await run.io_bound(_in_unit_of_work, service, args, kwargs)
