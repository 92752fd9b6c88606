"""A kanban board: columns of draggable cards. Dropping a card on another column calls `on_move`.

Each board keeps its own drag state (several users, several boards). Cards also carry a menu to move them
without a mouse (phones, keyboards), so drag and drop is a shortcut, not the only way.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nicegui import ui


@dataclass
class KanbanColumn:
    key: str
    title: str
    total: int
    cards: list[dict] = field(default_factory=list)


MoveHandler = Callable[[dict, str], Awaitable[None]]
CardRenderer = Callable[[dict], None]


class kanban_board(ui.row):
    def __init__(self, *, render_card: CardRenderer, on_move: MoveHandler,
                 on_more: Callable[[str], Awaitable[None]], more_label: str, empty_label: str,
                 move_label: str, can_move: bool = True) -> None:
        super().__init__(wrap=False)
        self.classes('w-full gap-3 items-start overflow-x-auto pb-2')
        self._render_card, self._on_move, self._on_more = render_card, on_move, on_more
        self._more_label, self._empty_label, self._move_label = more_label, empty_label, move_label
        self._can_move = can_move  # False: read-only cards (no drag, no move menu)
        self._dragged: dict | None = None
        self._titles: dict[str, str] = {}

    def show(self, columns: list[KanbanColumn]) -> None:
        self._titles = {column.key: column.title for column in columns}
        self.clear()
        with self:
            for column in columns:
                self._column(column)

    def _column(self, column: KanbanColumn) -> None:
        with ui.column().classes('crm-kanban-column min-w-64 w-64 shrink-0 gap-2 p-2 rounded-xl') \
                .props(f'data-kanban-column={column.key}').mark(f'column-{column.key}') as box:
            with ui.row().classes('w-full items-center justify-between px-1'):
                ui.label(column.title).classes('font-semibold text-slate-700')
                ui.badge(str(column.total)).props('color=grey-4 text-color=grey-9 rounded') \
                    .mark(f'count-{column.key}')
            if not column.cards:
                ui.label(self._empty_label).classes('text-xs crm-muted px-1 py-3')
            for card in column.cards:
                self._card(card, column.key)
            if column.total > len(column.cards):
                ui.button(self._more_label.format(n=column.total - len(column.cards)),
                          on_click=lambda key=column.key: self._on_more(key)) \
                    .props('flat dense no-caps size=sm').classes('w-full').mark(f'more-{column.key}')
        box.on('dragover.prevent', lambda b=box: b.classes(add='crm-kanban-over'))
        box.on('dragleave', lambda b=box: b.classes(remove='crm-kanban-over'))
        box.on('drop', lambda b=box, key=column.key: self._drop(b, key))

    def _card(self, card: dict, column_key: str) -> None:
        with ui.card().props(f'{"draggable " if self._can_move else ""}flat bordered data-kanban-card={card["id"]}') \
                .classes('crm-kanban-card w-full p-3 gap-1').mark(f'card-{card["id"]}') as element:
            self._render_card(card)
            if not self._can_move:
                return
            element.classes('cursor-grab')
            with ui.button(icon='more_horiz').props('flat round dense size=sm') \
                    .classes('absolute top-1 right-1').mark(f'card-menu-{card["id"]}'):
                with ui.menu():
                    ui.item_label(self._move_label).props('header').classes('text-xs')
                    for key, title in self._titles.items():
                        if key != column_key:
                            ui.menu_item(title, on_click=lambda _, c=card, k=key: self._on_move(c, k)) \
                                .mark(f'move-{card["id"]}-{key}')
        element.on('dragstart', lambda c=card: self._start(c))

    def _start(self, card: dict) -> None:
        self._dragged = card

    async def _drop(self, box: ui.column, key: str) -> None:
        box.classes(remove='crm-kanban-over')
        if not self._can_move:
            return
        card, self._dragged = self._dragged, None
        if card is not None and card.get('column') != key:
            await self._on_move(card, key)
