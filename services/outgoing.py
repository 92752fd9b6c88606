"""Every call this server makes to another server goes through here: LLM endpoints today, mail providers and
webhooks tomorrow. An address typed by an admin must not let the server reach what only the server can reach.

- **Where:** only http(s) URLs without credentials; the host is resolved and refused if any of its addresses is
  private, loopback, link-local, multicast, reserved or unspecified (IPv4 and IPv6, embedded IPv4 included), unless
  the host name or its network is in `CRM_OUTGOING_ALLOWED_HOSTS`. The connection goes to the very address that was
  checked (no second lookup that a rebinding DNS server could answer differently); TLS still checks the name.
- **How long:** a connect timeout (`CRM_OUTGOING_CONNECT_TIMEOUT`), a read timeout and a total deadline per call;
  answers are capped in size; redirects are never followed (a 3xx is an answer like any other).
- **What is said:** failures are `OutgoingError`s whose `reason` is a translation key naming a category (refused
  address, timeout, connection impossible, answer too large). Refused, closed and unreachable ports all read
  «connexion impossible»; nothing of the remote answer nor of the request's headers (keys) is ever in an error.
- **Which threads:** `run_async` / `run` use a bounded pool of their own (`CRM_OUTGOING_WORKERS`), never the
  threads that pages and the API share; when it is full the caller gets `Busy` (HTTP 503 with Retry-After) at once.
"""

import asyncio
import functools
import ipaddress
import json
import logging
import socket
import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from services.errors import Busy
from settings import get_settings

log = logging.getLogger(__name__)

INVALID_URL = 'outgoing.invalid_url'
REFUSED_ADDRESS = 'outgoing.refused_address'
TIMEOUT = 'outgoing.timeout'
UNREACHABLE = 'outgoing.unreachable'
TOO_LARGE = 'outgoing.too_large'

MAX_RESPONSE_BYTES = 4 * 1024 * 1024
RETRY_AFTER_SECONDS = 5
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network('64:ff9b::/96')

T = TypeVar('T')
# How a face runs blocking work (database units of work) in its own threads: `ui.data.in_thread` for pages,
# `starlette.concurrency.run_in_threadpool` for the API; called as `await run_db(function, *args)`.
ThreadRunner = Callable[..., Awaitable[Any]]


class OutgoingError(Exception):
    """`reason`: a translation key (`outgoing.*`); `detail`: short English words for the log, never a secret nor
    anything the remote server sent."""

    def __init__(self, reason: str, detail: str = '') -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f'{reason}: {detail}' if detail else reason)


class AddressRefused(Exception):
    """Raised by `AddressGuard.resolve` from inside the connection, where httpx lets it through unchanged."""


# --- Which addresses --------------------------------------------------------------------------------------------

def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), which is what it reaches."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    """True for an address on the public internet: not private, loopback, link-local, multicast, reserved,
    unspecified, shared (CGNAT) or documentation, nor an IPv6 address wrapping such an IPv4 one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified
                                      or address.is_loopback or address.is_link_local or address.is_private)


@dataclass(frozen=True)
class AddressGuard:
    """The allow-list of the settings: host names (`llm.intranet`, `*.intranet`) and networks (`10.20.0.0/16`)."""

    names: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(default=())

    @classmethod
    def from_list(cls, entries: Iterable[str]) -> 'AddressGuard':
        names, networks = set(), []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                names.add(entry.lower().rstrip('.'))
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        host = host.lower().rstrip('.')
        return host in self.names or any(name.startswith('*.') and host.endswith(name[1:]) for name in self.names)

    def allows(self, address: IPAddress) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return is_public(address) or any(address in network for network in self.networks)

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to, all checked: `AddressRefused` if any of them may not be reached, OSError if
        the name does not resolve."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except UnicodeError as error:
            raise OSError('host name not encodable') from error
        addresses = list(dict.fromkeys(info[4][0].split('%')[0] for info in found))
        if not self.allows_name(host):
            refused = [text for text in addresses if not self.allows(ipaddress.ip_address(text))]
            if refused:
                raise AddressRefused(f'{host} resolves to a non-public address')
        return addresses


@functools.lru_cache(maxsize=8)
def _guard_for(entries: tuple[str, ...]) -> AddressGuard:
    return AddressGuard.from_list(entries)


def current_guard() -> AddressGuard:
    return _guard_for(tuple(get_settings().outgoing_allowed_hosts))


def check_url(url: str, guard: AddressGuard | None = None) -> None:
    """What can be told without the network: an http(s) URL with a host and no credentials, whose host, when it is
    an address, may be reached. The name of a host is checked when it is resolved, at each call."""
    try:
        parts = urlsplit(url.strip())
        host, _port = parts.hostname, parts.port  # `.port` raises ValueError on a bad port
    except ValueError:
        raise OutgoingError(INVALID_URL, 'malformed URL') from None
    if parts.scheme not in ('http', 'https') or not host:
        raise OutgoingError(INVALID_URL, 'not an http(s) URL with a host')
    if parts.username is not None or parts.password is not None:
        raise OutgoingError(INVALID_URL, 'credentials in the URL')
    guard = guard or current_guard()
    try:
        address = ipaddress.ip_address(host.split('%')[0])
    except ValueError:
        return
    if not guard.allows_name(host) and not guard.allows(address):
        raise OutgoingError(REFUSED_ADDRESS, 'non-public address')


# --- The call ---------------------------------------------------------------------------------------------------

def request(method: str, url: str, *, timeout: float, json_body: Any = None, headers: dict[str, str] | None = None,
            max_bytes: int = MAX_RESPONSE_BYTES) -> 'Reply':
    """One HTTP exchange under every rule above; `timeout` bounds the wait for each read and the whole call."""
    from services import outgoing_http  # httpx: only in a process that calls out

    guard = current_guard()
    check_url(url, guard)
    try:
        return outgoing_http.exchange(method, url, guard=guard, timeout=timeout,
                                      connect_timeout=min(timeout, get_settings().outgoing_connect_timeout),
                                      json_body=json_body, headers=headers, max_bytes=max_bytes)
    except OutgoingError as error:
        _log_failure(url, error)
        raise


def _log_failure(url: str, error: OutgoingError) -> None:
    parts = urlsplit(url)
    log.warning('outgoing call to %s://%s failed: %s', parts.scheme, parts.hostname, error)


@dataclass(frozen=True)
class Reply:
    """An answer, read whole (within `MAX_RESPONSE_BYTES`). Its body is for the caller to parse, never to show."""

    status_code: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode('utf-8', errors='replace')

    def json(self) -> Any:
        return json.loads(self.content)


# --- The threads ------------------------------------------------------------------------------------------------

class BoundedPool:
    """A thread pool that refuses work rather than queueing it: at most `workers` calls at once, the next gets
    `Busy` at once. A slot is freed when its call ends (calls end: every one has a deadline)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix='outgoing')

    def submit(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> 'Future[T]':
        if not self._slots.acquire(blocking=False):
            raise Busy('error.outgoing_busy', retry_after=RETRY_AFTER_SECONDS)
        try:
            future = self._executor.submit(function, *args, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_pool: BoundedPool | None = None
_pool_lock = threading.Lock()


def pool() -> BoundedPool:
    """The process's pool, sized by `CRM_OUTGOING_WORKERS` when first used (or again after `reset_pool`)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = BoundedPool(get_settings().outgoing_workers)
        return _pool


def reset_pool() -> None:
    """Forget the pool (calls running go on): the next call builds one from the current settings."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.shutdown()
        _pool = None


async def run_async(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args)` in the outgoing pool, awaited without holding any other thread; `Busy` when full."""
    return await asyncio.wrap_future(pool().submit(function, *args, **kwargs))


def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The same for a caller that is a thread already (the CLI, a background job): it waits for the result."""
    return pool().submit(function, *args, **kwargs).result()
