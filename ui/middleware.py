"""Every page but the public ones needs a signed-in browser; the API and assets have their own rules."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app
from starlette.middleware.base import BaseHTTPMiddleware

PUBLIC_PREFIXES = ('/login', '/_nicegui', '/api/', '/docs', '/redoc', '/openapi.json', '/healthz', '/static/',
                   '/favicon')


class AuthMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        if not path.startswith(PUBLIC_PREFIXES) and not app.storage.user.get('user_id'):
            return RedirectResponse('/login')  # NiceGUI prepends X-Forwarded-Prefix to relative redirects
        return await call_next(request)
