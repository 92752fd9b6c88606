"""What a user sees when an address leads nowhere or something fails: a notice in their language with a way back,
and for a failure a reference the administrator finds in the log, never the error itself (SQL statements and their
values stay in the log).

Inside the shell a screen shows these notices in place of its content (ui/guard.py, ui/shell.py). What is answered
outside it — a page function that fails, an unknown file, a wrong method, a public address that names nothing —
gets a page of its own in the app's frame (`standalone_frame`). The API, and callers that do not ask for HTML (a
script, an upload), get the API's JSON.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from nicegui import Client, app, ui
from nicegui.page import page
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import http_error_response, unexpected_error_response, validation_error_response
from components.empty_state import empty_state
from services.incidents import incident_reference
from ui.i18n import t
from ui.session import HOME_PATH, LOGIN_PATH, is_signed_in
from ui.theme import apply_theme

JSON_PATHS = ('/api/', '/healthz', '/openapi.json')
NOT_FOUND, METHOD_NOT_ALLOWED = 404, 405

Link = tuple[str, str]  # (label, address)


def _signed_in() -> bool:
    try:
        return is_signed_in()
    except RuntimeError:  # no browser storage for this request
        return False


def way_home() -> Link:
    """Where a lost user goes on: the dashboard, or the sign-in page when signed out."""
    return (t('error.back_home'), HOME_PATH) if _signed_in() else (t('error.to_login'), LOGIN_PATH)


def error_notice(title: str, hint: str, *, icon: str, mark: str, links: list[Link] | None = None,
                 reference: str | None = None, status: int | None = None) -> None:
    """A notice in place of a screen: what happened, what to do, and links on (the way home last)."""
    ui.page_title(f'{title} · CRM IA')
    with ui.column().classes('w-full max-w-7xl mx-auto p-4 md:p-6 gap-4').mark(mark):
        with empty_state(title, hint, icon=icon):
            if reference:
                with ui.row().classes('items-baseline justify-center gap-1 text-sm crm-muted'):
                    ui.label(t('error.page_failed_reference'))
                    ui.label(reference).classes('font-mono font-semibold text-slate-700 select-all') \
                        .mark('error-reference')
            with ui.row().classes('items-center justify-center gap-x-6 gap-y-2 pt-2'):
                for label, target in links or []:  # back to where the address belongs
                    with ui.link(target=target).mark('error-way-back') \
                            .classes('flex items-center gap-1 text-primary font-medium no-underline'):
                        ui.icon('arrow_back', size='xs')
                        ui.label(label).classes('underline')
                label, target = way_home()
                ui.link(label, target).classes('text-primary font-medium').mark('error-way-home')
            if status:
                ui.label(t('error.status', status=status)).classes('text-xs crm-muted').mark('error-status')


def failure_notice(error: Exception) -> None:
    """The «this screen failed» block, with the error's reference (logged once with its traceback)."""
    error_notice(t('error.page_failed'), t('error.page_failed_hint'), icon='error_outline', mark='page-failed',
                 reference=incident_reference(error))


def not_found_notice(title: str | None = None, hint: str | None = None, *, links: list[Link] | None = None) -> None:
    """What an address that names nothing shows: an unknown page, or a record that does not exist (any more)."""
    error_notice(title or t('error.page_not_found'), hint or t('error.page_not_found_hint'), icon='travel_explore',
                 mark='not-found', links=links)


def http_error_notice(status: int) -> None:
    if status in (NOT_FOUND, 422):  # 422: a path or query parameter that names nothing
        error_notice(t('error.page_not_found'), t('error.page_not_found_hint'), icon='travel_explore',
                     mark='not-found', status=NOT_FOUND)
    elif status == METHOD_NOT_ALLOWED:
        error_notice(t('error.method_not_allowed'), t('error.method_not_allowed_hint'), icon='block',
                     mark='method-not-allowed', status=status)
    else:
        error_notice(t('error.request_refused'), t('error.request_refused_hint'), icon='report',
                     mark='request-refused', status=status)


@contextmanager
def standalone_frame() -> Iterator[None]:
    """The app's frame for a page outside the shell: its look, and a header whose name leads home."""
    apply_theme()
    with ui.header(elevated=False).classes('items-center gap-2 px-4 py-2 bg-primary text-white'):
        with ui.link(target=HOME_PATH).classes('flex items-center gap-2 text-white no-underline').mark('home-link'):
            ui.icon('hub', size='1.5rem')
            ui.label('CRM IA').classes('text-lg font-bold tracking-tight')
    with ui.card().classes('crm-card w-full max-w-2xl mx-auto mt-6 md:mt-16 p-0'):
        yield


def standalone_not_found() -> None:
    """A framed «page not found» drawn in the current page (a public address that names nothing)."""
    with standalone_frame():
        http_error_notice(NOT_FOUND)


def failure_page(error: Exception) -> None:
    """A page function failed: the notice in the app's frame (NiceGUI's page-exception handler)."""
    with standalone_frame():
        failure_notice(error)


def _page_response(request: Request, status: int, draw) -> Response:
    # a mounted app (NiceGUI's static files) answers with its mount as root path: the page's own files are the app's
    request = Request({**request.scope, 'root_path': app.root_path}, request.receive)
    with Client(page(''), request=request) as client, standalone_frame():
        draw()
    return client.build_response(request, status)


def wants_page(request: Request) -> bool:
    """A browser opening an address of the app (not the API, not a script or an upload): it gets a page."""
    if request.url.path.startswith(JSON_PATHS):
        return False
    return bool(request.scope.get('nicegui_page_path')) or 'text/html' in request.headers.get('accept', '')


async def _on_http_error(request: Request, error: StarletteHTTPException) -> Response:
    if not wants_page(request):
        return await http_error_response(request, error)
    return _page_response(request, error.status_code, lambda: http_error_notice(error.status_code))


async def _on_validation_error(request: Request, error: RequestValidationError) -> Response:
    if not wants_page(request):
        return await validation_error_response(request, error)
    return _page_response(request, NOT_FOUND, lambda: http_error_notice(NOT_FOUND))


async def _on_unexpected_error(request: Request, error: Exception) -> Response:
    if not wants_page(request):
        return unexpected_error_response(request, error)
    return _page_response(request, 500, lambda: failure_notice(error))


def install() -> None:
    """Replace NiceGUI's error pages (which print the exception, in English, without the app around them) and
    answer the framework's own errors (an unknown file, a wrong method) with a page when a browser asks."""
    app.on_page_exception(failure_page)
    for status in (NOT_FOUND, METHOD_NOT_ALLOWED):  # before NiceGUI's handler of 404, and the API's JSON
        app.add_exception_handler(status, _on_http_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
