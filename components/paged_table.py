"""A `ui.table` whose rows are paged, sorted and counted on the server: only one page reaches the browser."""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nicegui import events, ui


@dataclass(frozen=True)
class TableQuery:
    page: int
    rows_per_page: int
    sort_by: str | None
    descending: bool

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.rows_per_page


Fetch = Callable[[TableQuery], Awaitable[tuple[list[dict], int]]]


class paged_table(ui.table):
    def __init__(self, *, columns: list[dict], fetch: Fetch, rows_per_page: int = 20, row_key: str = 'id',
                 no_data_label: str = '', phone_columns: list[str] | None = None) -> None:
        super().__init__(columns=columns, rows=[], row_key=row_key,
                         pagination={'page': 1, 'rowsPerPage': rows_per_page, 'rowsNumber': 0,
                                     'sortBy': None, 'descending': False})
        self._fetch = fetch
        self._latest_load = 0
        self._loaded: dict | None = None  # the pagination of the rows shown
        self.props(f'flat bordered loading no-data-label="{no_data_label}"')
        self._props['rows-per-page-options'] = [10, 20, 50, 100]
        self.props(':grid="window.innerWidth < 600"')  # cards instead of a sideways-scrolling table on phones
        if phone_columns:  # short cards on phones: only the columns that identify a row
            every = json.dumps([column['name'] for column in columns])
            self._props[':visible-columns'] = f'window.innerWidth < 600 ? {json.dumps(phone_columns)} : {every}'
        self.classes('w-full')
        self.on('request', self._on_request)
        self.on('update:pagination', self._keep_loaded_pagination)

    @property
    def pagination(self) -> dict:
        return self._props['pagination']

    @pagination.setter
    def pagination(self, value: dict) -> None:
        """Quasar echoes the pagination it was given (on mount, for one): an echo that changes nothing must not
        send the whole table, rows included, back to the browser."""
        if value != self._props.get('pagination'):
            self._props['pagination'] = value

    def _keep_loaded_pagination(self) -> None:
        """Quasar echoes its pagination when the table is mounted (a user's paging or sorting comes as a 'request'
        instead). A table filled after its page reached the browser would get a stale echo (0 rows in all): the
        pagination of the rows shown wins."""
        if self._loaded is not None and self.pagination != self._loaded:
            self.pagination = dict(self._loaded)

    async def _on_request(self, event: events.GenericEventArguments) -> None:
        pagination = event.args['pagination']
        await self.load(page=pagination.get('page', 1), rows_per_page=pagination.get('rowsPerPage') or 20,
                        sort_by=pagination.get('sortBy'), descending=bool(pagination.get('descending')))

    async def load(self, *, page: int = 1, rows_per_page: int | None = None, sort_by: str | None = None,
                   descending: bool | None = None) -> None:
        current = self.pagination
        query = TableQuery(page=page, rows_per_page=rows_per_page or current['rowsPerPage'],
                           sort_by=sort_by if sort_by is not None else current.get('sortBy'),
                           descending=current.get('descending', False) if descending is None else descending)
        self._latest_load += 1
        this_load = self._latest_load
        self.props('loading')
        rows, total = await self._fetch(query)
        if this_load != self._latest_load:  # a newer load (another filter) was asked meanwhile: its answer wins
            return
        self.rows = rows
        self._loaded = {'page': query.page, 'rowsPerPage': query.rows_per_page, 'rowsNumber': total,
                        'sortBy': query.sort_by, 'descending': query.descending}
        self.pagination = dict(self._loaded)
        self.props(remove='loading')
