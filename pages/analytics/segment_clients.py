"""Analyses › a segment: its R/F definition and its clients (server-paged, biggest spenders first, searchable)."""

from decimal import Decimal
from itertools import groupby

from nicegui import ui

from components.empty_state import empty_state
from components.formatting import format_date, format_integer, format_money
from components.paged_table import TableQuery, paged_table
from services.actor import Actor
from services.analytics import rfm
from services.analytics.segments import SEGMENT_MAP, SEGMENTS
from services.paging import PageRequest
from services.sales import tenant_currency
from ui.data import call
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

NAME_LINK = '''
<q-td :props="props">
  <a :href="'/clients/' + props.row.id" class="text-primary font-medium no-underline hover:underline"
     @click.stop>{{ props.value }}</a>
  <div class="text-xs crm-muted" v-if="props.row.email">{{ props.row.email }}</div>
</q-td>
'''


def _span(scores: list[int]) -> str:
    """[4, 5] → «4–5», [3] → «3» (scores of a segment are always consecutive)."""
    return f'{min(scores)}–{max(scores)}' if len(scores) > 1 else str(scores[0])


def segment_definition(segment: str) -> str:
    """The R/F cells of a segment, grouped: «R 5 · F 4–5», «R 3–4 · F 4–5», «R 2 · F 1–2, R 1 · F 2»."""
    by_recency = {r: sorted(f for (r2, f), code in SEGMENT_MAP.items() if code == segment and r2 == r)
                  for r in range(5, 0, -1)}
    parts = []
    for frequencies, rows in groupby(((r, fs) for r, fs in by_recency.items() if fs), key=lambda item: item[1]):
        recencies = [r for r, _ in rows]
        parts.append(f'R\u00a0{_span(recencies)} · F\u00a0{_span(frequencies)}')
    return ', '.join(parts)


def _columns() -> list[dict]:
    return [
        {'name': 'name', 'label': t('client.name'), 'field': 'name', 'align': 'left'},
        {'name': 'r', 'label': 'R', 'field': 'r', 'align': 'center'},
        {'name': 'f', 'label': 'F', 'field': 'f', 'align': 'center'},
        {'name': 'm', 'label': 'M', 'field': 'm', 'align': 'center'},
        {'name': 'last_purchase', 'label': t('segment_page.last_purchase'), 'field': 'last_purchase',
         'align': 'left'},
        {'name': 'purchases', 'label': t('segment_page.purchases'), 'field': 'purchases', 'align': 'right'},
        {'name': 'spend', 'label': t('segment_page.spend'), 'field': 'spend', 'align': 'right'},
    ]


def _currency(session, actor: Actor) -> str:
    return tenant_currency(session, actor.tenant_id)


class SegmentClientsScreen:
    def __init__(self, actor: Actor, segment: str) -> None:
        self.actor, self.segment, self.language, self.search = actor, segment, current_language(), ''
        self.currency = 'DZD'
        with ui.row().classes('w-full items-center gap-3'):
            ui.input(placeholder=t('segment_page.search')).props('outlined dense clearable debounce=300') \
                .classes('w-full sm:w-72').mark('segment-search').on_value_change(self._search)
            ui.space()
            self.total = ui.label('').classes('text-sm crm-muted').mark('segment-total')
        self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=50,
                                 no_data_label=t('segment_page.empty'),
                                 phone_columns=['name', 'last_purchase', 'spend']).mark('segment-clients')
        self.table.add_slot('body-cell-name', NAME_LINK)
        self.table.classes('cursor-pointer')  # a row (a card on phones) opens its client
        self.table.on('rowClick', lambda e: ui.navigate.to(f'/clients/{e.args[1]["id"]}'))

    async def build(self) -> None:
        self.currency = await call(_currency, self.actor)
        await self.table.load(page=1)

    async def _search(self, event) -> None:
        self.search = event.value or ''
        await self.table.load(page=1)

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        page = await call(rfm.segment_clients, self.actor, self.segment,
                          PageRequest(limit=query.rows_per_page, offset=query.offset), self.search)
        language = self.language
        self.total.set_text(t('segment_page.total', n=format_integer(page.total, language)))
        rows = [{'id': row.client_id, 'name': row.name, 'email': row.email or '', 'r': row.r_score, 'f': row.f_score,
                 'm': row.m_score, 'last_purchase': format_date(row.last_purchase_on, language),
                 'purchases': format_integer(row.frequency, language),
                 'spend': format_money(Decimal(row.monetary_cents) / 100, self.currency, language)}
                for row in page.items]
        return rows, page.total


def register() -> None:
    @member_page('/analytics/segments/{segment}')
    async def segment_page(actor: Actor, segment: str) -> None:
        back = ('/analytics', t('nav.analytics'))
        if segment not in SEGMENTS:
            with frame(actor, t('segment_page.unknown'), path='/analytics', back=back):
                with ui.card().classes('crm-card w-full p-4').mark('segment-unknown'):
                    empty_state(t('segment_page.unknown'), t('segment_page.unknown_hint'), icon='search_off')
            return
        with frame(actor, t(f'segment.{segment}'), path='/analytics', back=back,
                   subtitle=t('segment_page.definition', cells=segment_definition(segment))):
            screen = SegmentClientsScreen(actor, segment)
        await screen.build()
