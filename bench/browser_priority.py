"""The benched browsers at a low CPU priority, so that on a small machine the server gets the CPU first, as it would
if the browsers ran on the users' own computers.

On Linux the nice value belongs to each thread, and Chromium sets its renderers' value itself (a foreground tab goes
back to the browser's): a watcher thread re-applies it, every half second, to every thread of every process under
the given roots (the chromedrivers).
"""

import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for stat in Path('/proc').glob('[0-9]*/stat'):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            children.setdefault(int(text[text.rindex(')') + 2:].split()[1]), []).append(int(stat.parent.name))
    return children


def descendants(roots: Iterable[int]) -> list[int]:
    """The roots and every process under them."""
    children, found = _children(), []
    stack = list(roots)
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def lower(pids: Iterable[int], nice: int) -> None:
    """Every thread of these processes at least `nice` (processes and threads that are gone are skipped)."""
    for pid in pids:
        with contextlib.suppress(OSError):
            for task in Path(f'/proc/{pid}/task').iterdir():
                with contextlib.suppress(OSError, ValueError):
                    if os.getpriority(os.PRIO_PROCESS, int(task.name)) < nice:
                        os.setpriority(os.PRIO_PROCESS, int(task.name), nice)


class LowPriority:
    """`with LowPriority(roots):` keeps the processes under `roots()` at `nice` until the block ends."""

    def __init__(self, roots: Callable[[], list[int]], nice: int = 19, every: float = 0.5) -> None:
        self.roots, self.nice, self.every = roots, nice, every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name='browser-priority', daemon=True)

    def _watch(self) -> None:
        while True:
            lower(descendants(self.roots()), self.nice)
            if self._stopped.wait(self.every):
                return

    def __enter__(self) -> 'LowPriority':
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stopped.set()
        self._thread.join()
