"""Tabs whose content is read when first opened: a screen reads the data of the tab it shows, not of all."""

from collections.abc import Awaitable, Callable

from nicegui import events, ui

Loader = Callable[[], Awaitable[None]]


class lazy_tabs:
    """Call each tab's loaders the first time the tab is shown (`start` loads the tab shown at first)."""

    def __init__(self, panels: ui.tab_panels, loaders: dict[str, list[Loader]]) -> None:
        self.panels, self.loaders = panels, loaders
        self.pending = set(loaders)
        panels.on_value_change(self._opened)

    def is_loaded(self, name: str) -> bool:
        return name not in self.pending

    async def start(self) -> None:
        await self.load(str(self.panels.value))

    async def load(self, name: str) -> None:
        if name not in self.pending:
            return
        self.pending.discard(name)
        for loader in self.loaders[name]:
            await loader()

    async def _opened(self, event: events.ValueChangeEventArguments) -> None:
        await self.load(str(event.value))
