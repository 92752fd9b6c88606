"""What every request must pass before anything parses it or asks who sent it.

- **Size.** A body larger than its limit is refused with 413: at once from `Content-Length`, or as soon as the
  streamed bytes pass the limit (chunked bodies). JSON and form bodies have their own, smaller limit
  (`CRM_MAX_JSON_KB`); file uploads (multipart) may reach `CRM_MAX_UPLOAD_MB`, but only from a caller that shows
  a validly signed API token or posts to a NiceGUI upload route (which exists only on a signed-in user's screen).
  Anonymous callers never get more than the JSON limit, whatever they send.
- **NUL characters.** PostgreSQL cannot store U+0000 in text, and no user types it: a NUL in the path, the query
  string, a JSON body or a form body is refused with 422 naming the field, for both databases alike.
- **Depth.** JSON nested deeper than `MAX_JSON_DEPTH` is refused with 422 before the parser recurses into it.

A pure ASGI middleware (not `BaseHTTPMiddleware`): it sees the body as it streams and never buffers uploads.
"""

import json
import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from components.formatting import human_size
from services.errors import Unauthorized
from services.security import read_token
from settings import get_settings
from ui.i18n import language_from_header, translate

MAX_JSON_DEPTH = 32
MULTIPART_OVERHEAD = 1024 * 1024  # boundaries and part headers around the files themselves
_UPLOAD_ROUTE = re.compile(r'^/_nicegui/client/[^/]+/upload/[^/]+$')
_BODY_METHODS = frozenset({'POST', 'PUT', 'PATCH', 'DELETE'})
NUL = '\x00'


class BodyTooLarge(HTTPException):
    """Raised from `receive` once the streamed body passes its limit. FastAPI's body parsing lets its own
    HTTPException through (any other error becomes a 400), so the request ends with this 413 and nothing half-read
    is used."""

    def __init__(self, detail: str) -> None:
        super().__init__(status_code=413, detail=detail)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get('headers', ()):
        if key == name:
            return value.decode('latin-1')
    return ''


def _language(scope: Scope) -> str:
    return language_from_header(_header(scope, b'accept-language'), get_settings().language)


def _problem(scope: Scope, status: int, key: str, *, field: str | None = None, **params: Any) -> JSONResponse:
    body: dict[str, Any] = {'detail': translate(key, _language(scope), **params), 'code': key}
    if field:
        body['field'] = field
    return JSONResponse(body, status_code=status)


def _has_valid_token(scope: Scope) -> bool:
    scheme, _, token = _header(scope, b'authorization').partition(' ')
    if scheme.lower() != 'bearer' or not token:
        return False
    try:
        read_token(token.strip(), secret_key=get_settings().secret_key)
    except Unauthorized:
        return False
    return True


def _content_type(scope: Scope) -> str:
    return _header(scope, b'content-type').split(';')[0].strip().lower()


def body_limit(scope: Scope) -> tuple[int, str]:
    """The byte limit of this request's body, and the message key that names it."""
    settings = get_settings()
    json_limit = settings.max_json_kb * 1024
    if _content_type(scope) == 'multipart/form-data' and (
            _UPLOAD_ROUTE.match(scope['path']) or _has_valid_token(scope)):
        return settings.max_upload_mb * 1024 * 1024 + MULTIPART_OVERHEAD, 'error.body_too_large_upload'
    return json_limit, 'error.body_too_large'


def _nul_in_pairs(pairs: list[tuple[str, str]]) -> str | None:
    return next((name or '?' for name, value in pairs if NUL in name or NUL in value), None)


def _nul_path(data: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first string (key or value) holding a NUL, or None."""
    if isinstance(data, str):
        return '.'.join(path) or 'body' if NUL in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            found = ('.'.join((*path, key)) if NUL in key else None) or _nul_path(value, (*path, key))
            if found:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            if found := _nul_path(value, (*path, str(index))):
                return found
    return None


def _json_depth(body: bytes) -> int:
    """The deepest nesting of brackets outside strings (only called on bodies with many brackets)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def body_problem(scope: Scope, body: bytes) -> JSONResponse | None:
    """422 for a JSON or form body holding a NUL, or JSON nested too deep; None when the body may go on."""
    kind = _content_type(scope)
    if kind == 'application/x-www-form-urlencoded':
        field = _nul_in_pairs(parse_qsl(body.decode('latin-1'), keep_blank_values=True))
        return _problem(scope, 422, 'error.nul_character', field=field) if field else None
    if kind != 'application/json' and not kind.endswith('+json'):
        return None
    if body.count(b'[') + body.count(b'{') > MAX_JSON_DEPTH and _json_depth(body) > MAX_JSON_DEPTH:
        return _problem(scope, 422, 'error.json_too_deep', max=MAX_JSON_DEPTH)
    if b'\\u0000' not in body:
        return None
    try:
        field = _nul_path(json.loads(body))
    except ValueError:
        return None  # FastAPI answers malformed JSON itself, naming the position
    return _problem(scope, 422, 'error.nul_character', field=field) if field else None


def request_line_problem(scope: Scope) -> JSONResponse | None:
    if NUL in scope.get('path', ''):
        return _problem(scope, 422, 'error.nul_character', field='path')
    query = scope.get('query_string', b'').decode('latin-1')
    if '%00' in query or NUL in query:
        field = _nul_in_pairs(parse_qsl(query, keep_blank_values=True))
        if field:
            return _problem(scope, 422, 'error.nul_character', field=field)
    return None


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        if problem := request_line_problem(scope):
            await problem(scope, receive, send)
            return
        if scope['method'] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit, message = body_limit(scope)
        declared = _header(scope, b'content-length')
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, message, limit)(scope, receive, send)
            return
        if _content_type(scope) in ('application/json', 'application/x-www-form-urlencoded') \
                or _content_type(scope).endswith('+json'):
            await self._checked_small_body(scope, receive, send, limit, message)
            return
        await self.app(scope, _limited(receive, limit, lambda: _too_large_error(scope, message, limit)), send)

    async def _checked_small_body(self, scope: Scope, receive: Receive, send: Send, limit: int, message: str) -> None:
        """Read the (small) body whole, check it, then hand it on unchanged."""
        chunks: list[bytes] = []
        size = 0
        while True:
            event = await receive()
            if event['type'] != 'http.request':
                return  # the client went away
            chunk = event.get('body', b'')
            size += len(chunk)
            if size > limit:
                await _too_large(scope, message, limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not event.get('more_body', False):
                break
        body = b''.join(chunks)
        if problem := body_problem(scope, body):
            await problem(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _limit_text(message: str, limit: int, language: str) -> str:
    """The limit as the user knows it: an upload's is that of its files (CRM_MAX_UPLOAD_MB), without the overhead."""
    return human_size(limit - MULTIPART_OVERHEAD if message == 'error.body_too_large_upload' else limit, language)


def _too_large(scope: Scope, message: str, limit: int) -> JSONResponse:
    return _problem(scope, 413, message, field='body', max=_limit_text(message, limit, _language(scope)))


def _too_large_error(scope: Scope, message: str, limit: int) -> BodyTooLarge:
    language = _language(scope)
    return BodyTooLarge(translate(message, language, max=_limit_text(message, limit, language)))


def _limited(receive: Receive, limit: int, error: Callable[[], Exception]) -> Receive:
    size = 0

    async def limited_receive() -> Message:
        nonlocal size
        event = await receive()
        if event['type'] == 'http.request':
            size += len(event.get('body', b''))
            if size > limit:
                raise error()
        return event

    return limited_receive


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    events: Iterator[Message] = iter([{'type': 'http.request', 'body': body, 'more_body': False}])

    async def replayed() -> Message:
        return next(events, None) or await receive()

    return replayed
