"""The HTTP side of services/outgoing.py, apart so that httpx is imported only by a process that calls out.

The connection is made by `_GuardedBackend`: it resolves the host, has every address checked by the guard and
connects to one of those very addresses, so a DNS server cannot answer one address to the check and another to the
connection. TLS is still negotiated and verified for the host's name.
"""

import functools
import ssl
import time
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from services import outgoing
from services.outgoing import AddressGuard, AddressRefused, OutgoingError, Reply


class _GuardedBackend(httpcore.SyncBackend):
    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last_error: Exception = httpcore.ConnectError('no address')
        for address in self.guard.resolve(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        raise last_error


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, guard: AddressGuard) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        # httpx has no public way to choose the network backend: its pool is replaced by an equal one that has it.
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=_GuardedBackend(guard),
                                             max_connections=4, retries=0)


def _read(response: httpx.Response, deadline: float, max_bytes: int) -> bytes:
    declared = response.headers.get('content-length', '')
    if declared.isdigit() and int(declared) > max_bytes:
        raise OutgoingError(outgoing.TOO_LARGE, f'Content-Length over {max_bytes} bytes')
    chunks, size = [], 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > max_bytes:
            raise OutgoingError(outgoing.TOO_LARGE, f'over {max_bytes} bytes')
        if time.monotonic() > deadline:
            raise OutgoingError(outgoing.TIMEOUT, 'total time exceeded')
        chunks.append(chunk)
    return b''.join(chunks)


def _category(error: Exception) -> str | None:
    if isinstance(error, AddressRefused):
        return outgoing.REFUSED_ADDRESS
    if isinstance(error, httpx.TimeoutException) and not isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout):
        return outgoing.TIMEOUT  # connected, then no answer in time
    if isinstance(error, httpx.HTTPError | httpx.InvalidURL | httpx.StreamError | OSError | UnicodeError):
        return outgoing.UNREACHABLE  # refused, closed, filtered, unknown name, not HTTP: one and the same answer
    return None


def exchange(method: str, url: str, *, guard: AddressGuard, timeout: float, connect_timeout: float,
             json_body: Any, headers: dict[str, str] | None, max_bytes: int) -> Reply:
    limits = httpx.Timeout(timeout, connect=connect_timeout, pool=connect_timeout)
    deadline = time.monotonic() + timeout
    # identity: the size cap is on what arrives, never on what a compressed answer would inflate to.
    headers = {**(headers or {}), 'Accept-Encoding': 'identity'}
    try:
        with httpx.Client(transport=_GuardedTransport(guard), timeout=limits, follow_redirects=False,
                          trust_env=False) as client, \
                client.stream(method, url, json=json_body, headers=headers) as response:
            return Reply(response.status_code, dict(response.headers), _read(response, deadline, max_bytes))
    except OutgoingError:
        raise
    except Exception as error:  # httpx's and the guard's, reduced to a category without their message
        reason = _category(error)
        if reason is None:
            raise
        raise OutgoingError(reason, type(error).__name__) from None
