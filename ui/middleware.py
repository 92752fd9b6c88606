"""Every page but the public ones needs a signed-in browser; the API and assets have their own rules."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware

from settings import get_settings
from ui.session import login_path, requested_path

PUBLIC_PREFIXES = ('/login', '/_nicegui', '/api/', '/healthz', '/static/', '/favicon')
DOCS_PREFIXES = ('/docs', '/redoc', '/openapi.json')  # public in development only: in production, signed-in users


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES) or (
        path.startswith(DOCS_PREFIXES) and get_settings().environment != 'production')


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        if not is_public(request.url.path) and not app.storage.user.get('user_id'):
            # the page asked for is opened once signed in; NiceGUI prepends X-Forwarded-Prefix to the redirect
            wanted = requested_path(request.url.path, request.url.query) if request.method in ('GET', 'HEAD') else None
            return RedirectResponse(login_path(wanted))
        return await call_next(request)
