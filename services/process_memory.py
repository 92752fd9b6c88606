"""The server process's C allocator (glibc malloc): fewer arenas, and free memory given back to the system.

glibc gives each thread that allocates its own arena (up to eight per core) and keeps what is freed in them for
later: with the worker threads that run the pages' database calls and the background jobs, about 40 MiB of a
server's resident memory was free memory parked in arenas. Two arenas, and a `malloc_trim` now and then (which hands
the free pages of every arena back), keep it low. Elsewhere than on glibc (musl, macOS) both are no-ops.
"""

import ctypes
import os
import sys

M_ARENA_MAX = -8  # mallopt's parameter number, from glibc's malloc.h
ARENAS = 2
TRIM_SECONDS = 30.0

_libc: ctypes.CDLL | None = None


def _glibc() -> ctypes.CDLL | None:
    global _libc
    if _libc is None and sys.platform.startswith('linux'):
        try:
            libc = ctypes.CDLL(None)
            libc.mallopt, libc.malloc_trim  # noqa: B018  (glibc has both; musl has no malloc_trim)
        except (OSError, AttributeError):
            return None
        _libc = libc
    return _libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """At most `arenas` malloc arenas, unless MALLOC_ARENA_MAX says otherwise. glibc fixes the limit when the first
    thread needs an arena of its own: call this before any thread starts. Whether the limit was set."""
    libc = _glibc()
    if libc is None or os.environ.get('MALLOC_ARENA_MAX'):
        return False
    return bool(libc.mallopt(M_ARENA_MAX, arenas))


def trim() -> bool:
    """Give the free pages of every arena back to the system; whether any were."""
    libc = _glibc()
    return bool(libc.malloc_trim(0)) if libc is not None else False
