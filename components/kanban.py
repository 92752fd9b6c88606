"""A kanban board: columns of cards drawn in the browser (`kanban.js`) from JSON, one element on the server.

Cards move by drag and drop or by their menu (phones, keyboards), so drag and drop is a shortcut, not the only
way. The board emits `move` and `more`; the page saves the move or raises the column's limit, then calls `show`
with fresh columns. A card is a plain dict:

    {'id': 7, 'column': 'new', 'href': '/cases/7', 'title': 'Constitution SARL',
     'overline': 'DOS-2026-0007', 'subtitle': 'SARL Atlas',
     'chips': [{'label': 'Urgente', 'color': 'red-1', 'textColor': 'red-9', 'top': False, 'tooltip': ''}],
     'meta': [{'icon': 'schedule', 'text': '3 j', 'tooltip': 'Dans cette étape depuis', 'danger': False}],
     'avatar': {'text': 'K', 'tooltip': 'Karim'}, 'next': 'in_progress'}

plus whatever the page keeps for itself (a version, say): the board hands the card back as it was given.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from nicegui import events, ui


@dataclass
class KanbanColumn:
    key: str
    title: str
    total: int
    cards: list[dict] = field(default_factory=list)


MoveHandler = Callable[[dict, str], Awaitable[None]]
MoreHandler = Callable[[str], Awaitable[None]]


class kanban_board(ui.element, component='kanban.js'):
    def __init__(self, *, on_move: MoveHandler, on_more: MoreHandler, more_label: str, empty_label: str,
                 move_label: str, next_label: str = '', can_move: bool = True, skeletons: int = 5) -> None:
        """`more_label` holds `{n}`, the number of cards not shown yet."""
        super().__init__()
        self._on_move, self._on_more = on_move, on_more
        self._cards: dict[str, dict] = {}
        self._props['columns'] = []
        self._props['labels'] = {'more': more_label, 'empty': empty_label, 'moveTo': move_label, 'next': next_label}
        self._props['can-move'] = can_move  # False: read-only cards (no drag, no menu, no arrow)
        self._props['loading'] = True
        self._props['skeletons'] = skeletons
        self.classes('w-full')
        self.on('move', self._moved)
        self.on('more', self._more)

    @property
    def columns(self) -> list[dict]:
        """The columns shown, as the browser has them."""
        return self._props['columns']

    @property
    def can_move(self) -> bool:
        return self._props['can-move']

    def show(self, columns: list[KanbanColumn]) -> None:
        self._cards = {str(card['id']): card for column in columns for card in column.cards}
        self._props['columns'] = [{'key': c.key, 'title': c.title, 'total': c.total, 'cards': c.cards}
                                  for c in columns]
        self._props['loading'] = False
        self.update()

    async def _moved(self, event: events.GenericEventArguments) -> None:
        card = self._cards.get(str(event.args.get('id')))
        target = str(event.args.get('to'))
        if not self.can_move or card is None or card.get('column') == target:
            return
        await self._on_move(card, target)

    async def _more(self, event: events.GenericEventArguments) -> None:
        column = str(event.args.get('column'))
        if any(c['key'] == column for c in self.columns):
            await self._on_more(column)
