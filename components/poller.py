"""A polling timer made only when polling starts.

A `ui.timer` created while a page is being built makes NiceGUI send the page at once (the timer waits for the
browser to connect, and NiceGUI answers as soon as anything does), before the screen's data is drawn: a widget
that polls only now and then (a job's progress) must not cost the whole screen its first data.
"""

from collections.abc import Awaitable, Callable

from nicegui import ui


class Poller:
    def __init__(self, interval: float, callback: Callable[[], Awaitable[None]], container: ui.element) -> None:
        """`container`: where the timer goes once made (an element that is never cleared)."""
        self.interval, self.callback, self.container = interval, callback, container
        self._timer: ui.timer | None = None

    @property
    def active(self) -> bool:
        return self._timer is not None and self._timer.active

    @active.setter
    def active(self, value: bool) -> None:
        if self._timer is None:
            if not value:
                return
            with self.container:
                self._timer = ui.timer(self.interval, self.callback)
        self._timer.active = value
