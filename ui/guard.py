"""`@member_page(path)`: a screen for signed-in, active users only, handed the current Actor.

Screens are not separate NiceGUI pages: each is a sub-page of the one shell (`ui/shell.py`), which keeps the
header, the drawer and the websocket while only the content changes. `member_page` records the screen's builder
here; the shell routes to it.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import context, ui

from services.errors import DomainError, NotFound
from ui.errors import Link, error_notice, failure_notice, not_found_notice
from ui.i18n import t
from ui.layout import NAVIGATION
from ui.session import current_actor, login_path

MAX_ID = 2**31 - 1

PageBuilder = Callable[..., Awaitable[None]]
SubPage = Callable[..., Awaitable[None]]

SCREENS: dict[str, SubPage] = {}  # path pattern → sub-page, in registration order (the first match wins)


def member_page(path: str) -> Callable[[PageBuilder], PageBuilder]:
    """Register `build(actor, **path_and_query_params)` as the screen at `path`."""

    def decorator(build: PageBuilder) -> PageBuilder:
        SCREENS[path] = _sub_page(build)
        return build

    return decorator


def _sub_page(build: PageBuilder) -> SubPage:
    """The builder as `ui.sub_pages` calls it: parameters arrive as text and are converted here, so that a wrong
    one (`/clients/abc`) shows «not found» instead of an error; so does a record that does not exist (any more)
    (`/clients/99999`: the builder's service raised NotFound). The user is checked again on every screen."""
    parameters = [p for p in inspect.signature(build).parameters.values() if p.name != 'actor']

    async def screen(**raw: str) -> None:
        try:  # before any await: on a first load, a wrong address is answered with a 404
            values = {p.name: _convert(raw[p.name], p.annotation) for p in parameters if p.name in raw}
        except ValueError:
            context.client.status_code = 404
            not_found_notice(links=_section_link())
            return
        actor = await current_actor()
        if actor is None:
            ui.navigate.to(login_path(context.client.sub_pages_router.current_path))
            return
        container = context.slot.parent  # the screens element: what a failure replaces
        try:
            await build(actor, **values)
        except DomainError as refusal:  # a record out of reach, a rule: said as such, not logged as a failure
            container.clear()
            with container:
                _refused(refusal)
        except Exception as error:  # shown here: NiceGUI would only log an error of a screen built asynchronously
            container.clear()
            with container:
                failure_notice(error)

    screen.__signature__ = inspect.Signature([p.replace(annotation=str) for p in parameters])  # type: ignore[attr-defined]
    screen.__name__, screen.__qualname__, screen.__module__ = build.__name__, build.__qualname__, build.__module__
    return screen


def _convert(value: str, annotation: Any) -> Any:
    if annotation is int or annotation == int | None:
        number = int(value)
        if not 0 < number <= MAX_ID:  # the databases' 32-bit ids: beyond, nothing can exist
            raise ValueError(value)
        return number
    return value


SECTIONS = {'/contacts': '/clients'}  # screens under no menu entry of their own: the entry they belong to


def _section_link() -> list[Link]:
    """The list the screen shown belongs to (`/clients` for `/clients/99999`), as a way back."""
    section = '/' + context.client.sub_pages_router.current_path.lstrip('/').split('/')[0].split('?')[0]
    section = SECTIONS.get(section, section)
    return [(t(item.key), item.path) for item in NAVIGATION if item.path == section and section != '/']


def _refused(refusal: DomainError) -> None:
    if isinstance(refusal, NotFound):
        not_found_notice(t(refusal.key, **refusal.params), t('error.record_not_found_hint'), links=_section_link())
    else:
        error_notice(t(refusal.key, **refusal.params), t('error.screen_refused_hint'), icon='block',
                     mark='screen-refused', links=_section_link())
