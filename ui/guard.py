"""`@member_page(path)`: a NiceGUI page for signed-in, active users only, handed the current Actor."""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import ui

from ui.session import current_actor, to_login

PageBuilder = Callable[..., Awaitable[None]]


def member_page(path: str) -> Callable[[PageBuilder], PageBuilder]:
    """Register `build(actor, **path_and_query_params)` at `path`; signed-out browsers go to the login page."""

    def decorator(build: PageBuilder) -> PageBuilder:
        async def page(**kwargs: Any) -> RedirectResponse | None:
            actor = await current_actor()
            if actor is None:
                return to_login()
            await build(actor, **kwargs)
            return None

        parameters = [p for p in inspect.signature(build).parameters.values() if p.name != 'actor']
        page.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        page.__name__, page.__qualname__, page.__module__ = build.__name__, build.__qualname__, build.__module__
        ui.page(path)(page)
        return build

    return decorator

