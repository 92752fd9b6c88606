"""Forwarded headers are believed only when they come from a proxy the settings name (`CRM_TRUSTED_PROXIES`).

`X-Forwarded-Prefix` decides script URLs and redirects, `X-Forwarded-Proto` whether the browser uses HTTPS (secure
cookies), `X-Forwarded-For` the caller's address (sign-in limits, audit). From anyone else they are removed before
NiceGUI or the app read them. From a trusted proxy, the caller's address is the last one of `X-Forwarded-For` that
is not itself a trusted proxy, the scheme comes from `X-Forwarded-Proto`, and a prefix that is not a plain path is
dropped. It must be the outermost middleware — NiceGUI's own (added by `ui.run`, after the composition root)
reads the prefix — so `install` puts it first when the stack is built; uvicorn's proxy handling is switched off
(`proxy_headers=False`).
"""

import ipaddress
import re
from functools import lru_cache

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from settings import get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = frozenset({b'x-forwarded-prefix', b'x-forwarded-proto', b'x-forwarded-for', b'x-forwarded-host',
                               b'x-forwarded-port', b'x-real-ip', b'forwarded'})
_PLAIN_PREFIX = re.compile(r'^(/[A-Za-z0-9._~-]+)+$')


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted(address: str | None, proxies: tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address((address or '').strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(proxies))


def _value(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((value.decode('latin-1') for key, value in headers if key == name), '')


def _real_client(forwarded_for: str, peer: str, proxies: tuple[str, ...]) -> str:
    """Walking back from the proxy next to us: the first address that is not one of our proxies."""
    for address in reversed([part.strip() for part in forwarded_for.split(',') if part.strip()]):
        if not is_trusted(address, proxies):
            return address
    return peer


def apply_forwarded_headers(scope: Scope) -> None:
    proxies = tuple(get_settings().trusted_proxies)
    client = scope.get('client') or ('', 0)
    headers = list(scope.get('headers', ()))
    if not is_trusted(client[0], proxies):
        scope['headers'] = [(key, value) for key, value in headers if key not in FORWARDED_HEADERS]
        return
    prefix = _value(headers, b'x-forwarded-prefix').rstrip('/')
    kept = [(key, value) for key, value in headers if key != b'x-forwarded-prefix']
    if _PLAIN_PREFIX.match(prefix):
        kept.append((b'x-forwarded-prefix', prefix.encode('latin-1')))
    scope['headers'] = kept
    proto = _value(headers, b'x-forwarded-proto').split(',')[0].strip().lower()
    if proto in ('http', 'https'):
        scope['scheme'] = proto if scope['type'] == 'http' else {'http': 'ws', 'https': 'wss'}[proto]
    forwarded_for = _value(headers, b'x-forwarded-for')
    if forwarded_for:
        scope['client'] = (_real_client(forwarded_for, client[0], proxies), 0)


class TrustedProxies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] in ('http', 'websocket'):
            apply_forwarded_headers(scope)
        await self.app(scope, receive, send)


def install(app: Starlette) -> None:
    """Make `TrustedProxies` the outermost middleware of `app`, whatever is added after this call."""
    build = getattr(app.build_middleware_stack, 'original', app.build_middleware_stack)

    def build_with_trusted_proxies_first() -> ASGIApp:
        if not any(entry.cls is TrustedProxies for entry in app.user_middleware):
            app.user_middleware.insert(0, Middleware(TrustedProxies))
        return build()

    build_with_trusted_proxies_first.original = build  # type: ignore[attr-defined]
    app.build_middleware_stack = build_with_trusted_proxies_first  # type: ignore[method-assign]
