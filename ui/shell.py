"""The one page of the app: the shell (header, drawer, websocket) is built once per browser tab, and every
screen is a sub-page swapped inside it, so moving between screens sends only the new content."""

from fastapi import Request
from fastapi.responses import Response
from nicegui import context, ui
from starlette.exceptions import HTTPException

from api.errors import http_error_response
from ui.errors import failure_notice, not_found_notice, standalone_not_found
from ui.first_data import wait_for as wait_for_first_data
from ui.guard import SCREENS
from ui.layout import shell
from ui.middleware import is_public
from ui.session import current_actor, requested_path, to_login


class screens(ui.sub_pages):
    """`ui.sub_pages` with the app's own «not found» and «this screen failed» states."""

    def _find_matching_path(self):
        """Only whole paths: `/clients/7/nothing` is not found, where `ui.sub_pages` would start `/clients/7` and
        then draw «not found» over it (screens have no nested sub-pages)."""
        match = super()._find_matching_path()
        return match if match is None or not match.remaining_path else None

    def _render_404(self) -> None:
        not_found_notice()

    def _render_error(self, error: Exception) -> None:
        self.clear()
        with self:
            failure_notice(error)


def register() -> None:
    """Register the shell for every path no other route claims; call it after the other pages and the API."""

    @ui.page('/')
    @ui.page('/{_:path}')
    async def app_shell(request: Request) -> Response | None:
        if request.url.path.startswith('/api/'):  # the API's namespace: its own «not found», in JSON
            return await http_error_response(request, HTTPException(404))
        actor = await current_actor()
        if actor is None and is_public(request.url.path):  # `/login/xyz`, `/static/x`: nothing to sign in for
            context.client.status_code = 404
            standalone_not_found()
            return None
        if actor is None:
            return to_login(requested_path(request.url.path, request.url.query))
        shell(actor)
        content = screens(dict(SCREENS)).classes('w-full').mark('screen')
        await wait_for_first_data(content)
        return None
