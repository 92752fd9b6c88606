"""What a user sees when something unexpected fails: a page in their language with a reference the administrator
finds in the log, never the error itself (SQL statements and their values stay in the log)."""

from fastapi import Request
from fastapi.responses import Response
from nicegui import Client, app, ui
from nicegui.page import page

from api.errors import unexpected_error_response
from components.empty_state import empty_state
from services.incidents import incident_reference
from ui.i18n import t


def failure_notice(error: Exception) -> None:
    """The «this screen failed» block, with the error's reference (logged once with its traceback)."""
    reference = incident_reference(error)
    ui.page_title(f'{t("error.page_failed")} · CRM IA')
    with ui.column().classes('w-full max-w-7xl mx-auto p-4 md:p-6 gap-4').mark('page-failed'):
        with empty_state(t('error.page_failed'), t('error.page_failed_hint'), icon='error_outline'):
            ui.label(t('error.page_failed_reference', reference=reference)) \
                .classes('text-xs crm-muted font-mono').mark('error-reference')
            ui.link(t('error.back_home'), '/').classes('text-primary')


async def _on_unexpected_error(request: Request, error: Exception) -> Response:
    if not request.scope.get('nicegui_page_path'):
        return unexpected_error_response(request, error)
    with Client(page(''), request=request) as client:
        failure_notice(error)
    return client.build_response(request, 500)


def install() -> None:
    """Replace NiceGUI's error page (which prints the exception) for page functions and for any other route."""
    app.on_page_exception(failure_notice)
    app.add_exception_handler(Exception, _on_unexpected_error)
