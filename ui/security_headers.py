"""Headers every response carries: what the browser may load, who may frame the app, what it may tell others.

The Content-Security-Policy is what NiceGUI 3.18 tolerates: its pages start Vue with inline module scripts and
compile templates in the browser (so scripts need 'unsafe-inline' and 'unsafe-eval'), but everything comes from the
app itself: no script, style, font, image or connection to another host, no plugins, no foreign <base> or form
target. Framing is allowed to the app itself and to the origins of `CRM_FRAME_ANCESTORS` (the firm's intranet
portal), nobody else. The API documentation pages load Swagger UI and ReDoc from their CDN until they are served
from the app (see the «behind the proxy, offline» issue), so they get their own policy.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from settings import get_settings

_DOCS_PATHS = ('/docs', '/redoc')
_APP_SOURCES = {
    'default-src': "'self'",
    'script-src': "'self' 'unsafe-inline' 'unsafe-eval'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data: blob:",
    'font-src': "'self' data:",
    'connect-src': "'self'",
    'worker-src': "'self' blob:",
    'object-src': "'none'",
    'base-uri': "'self'",
    'form-action': "'self'",
}
_DOCS_SOURCES = _APP_SOURCES | {
    'script-src': "'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    'style-src': "'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    'img-src': "'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    'font-src': "'self' data: https://fonts.gstatic.com",
}


def content_security_policy(path: str) -> str:
    sources = _DOCS_SOURCES if path.startswith(_DOCS_PATHS) else _APP_SOURCES
    ancestors = ' '.join(["'self'", *get_settings().frame_ancestors])
    return '; '.join([*(f'{name} {value}' for name, value in sources.items()), f'frame-ancestors {ancestors}'])


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    headers = [
        (b'content-security-policy', content_security_policy(scope['path']).encode()),
        (b'x-content-type-options', b'nosniff'),
        (b'referrer-policy', b'same-origin'),
        (b'permissions-policy', b'camera=(), microphone=(), geolocation=(), payment=()'),
        (b'cross-origin-resource-policy', b'same-origin'),
    ]
    if not get_settings().frame_ancestors:
        headers.append((b'x-frame-options', b'SAMEORIGIN'))  # for browsers older than frame-ancestors
    if scope.get('scheme') == 'https':
        headers.append((b'strict-transport-security', b'max-age=31536000'))
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        added = security_headers(scope)
        names = {name for name, _ in added}

        async def send_with_headers(message: Message) -> None:
            if message['type'] == 'http.response.start':
                kept = [(name, value) for name, value in message.get('headers', [])
                        if name.lower() not in names and name.lower() != b'server']
                message['headers'] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)
