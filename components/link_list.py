"""A list of links drawn in the browser from JSON (`link_list.js`): one element on the server, however many rows.

An item is a dict: `key` (unique, also the row's `data-item`), `href`, `title`, and optionally `subtitle`,
`icon` (a Material icon), `lead` (a short code before the text, e.g. a case reference), `aside` (a date after
it), `badge` (an outlined label at the end) and `links` (icons after the row, each a dict of `href`, `icon`,
`label` and `external` (a new tab): an e-mail or a phone to reach the row's person). Texts are shown as text,
never as HTML.
"""

from nicegui import ui


class link_list(ui.element, component='link_list.js'):
    def __init__(self, items: list[dict] | None = None, *, separators: bool = False, dense: bool = False) -> None:
        super().__init__()
        self._props['items'] = items or []
        self._props['separators'] = separators
        self._props['dense'] = dense
        self.classes('w-full')

    @property
    def items(self) -> list[dict]:
        return self._props['items']

    def show(self, items: list[dict]) -> None:
        self._props['items'] = items
        self.update()
