"""Sales › list: a period (presets or two dates), family, client and channel filters, the period's totals above a
server-paged table, a sale's detail (delete) and the «Nouvelle vente» dialog."""

from calendar import monthrange
from datetime import date, timedelta

from nicegui import app, ui

from components.filter_bar import filter_bar
from components.formatting import format_date, format_integer, format_money
from components.paged_table import TableQuery, paged_table
from components.stat_grid import stat, stat_grid
from pages.cases.case_form import date_input, parse_date
from pages.sales.sale_form import channel_options, open_sale_detail, open_sale_dialog
from services import clients as clients_service
from services import products as products_service
from services import sales as sales_service
from services.actor import Actor
from services.clock import today
from services.errors import DomainError
from services.paging import PageRequest
from services.sales import SaleFilter, SaleRead
from ui.data import call
from ui.feedback import failed
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

FILTERS_KEY = 'sales_filters'
PRESETS = ('30d', 'month', 'ytd', '12m', 'all', 'custom')
DEFAULT_PRESET = '12m'
HALF = 'w-[calc(50%-0.375rem)]'  # two filters side by side on phones (gap-3 between them)


def period_bounds(preset: str, day: date) -> tuple[date | None, date | None]:
    """The days a preset covers, up to `day` (None: no bound)."""
    if preset == '30d':
        return day - timedelta(days=29), day
    if preset == 'month':
        return day.replace(day=1), day
    if preset == 'ytd':
        return date(day.year, 1, 1), day
    if preset == '12m':
        year = day.year - 1
        return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1])) + timedelta(days=1), day
    return None, None


def products_summary(sale: SaleRead) -> str:
    """«Café moulu ×2, Thé vert ×3» (the first three lines), or «Montant unique»."""
    if not sale.lines:
        return t('sales.single_amount')
    shown = ', '.join(f'{line.name} ×{line.quantity}' for line in sale.lines[:3])
    return shown + (f' {t("sales.more_lines", n=len(sale.lines) - 3)}' if len(sale.lines) > 3 else '')


def sale_columns(*, with_client: bool = True) -> list[dict]:
    columns = [{'name': 'sold_on', 'label': t('sale.sold_on'), 'field': 'sold_on', 'align': 'left'}]
    if with_client:
        columns.append({'name': 'client', 'label': t('sale.client'), 'field': 'client', 'align': 'left'})
    return [
        *columns,
        {'name': 'products', 'label': t('sales.products'), 'field': 'products', 'align': 'left',
         'classes': 'gt-sm ellipsis max-w-xs', 'headerClasses': 'gt-sm'},
        {'name': 'channel', 'label': t('sale.channel'), 'field': 'channel', 'align': 'left',
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
        {'name': 'reference', 'label': t('sale.reference'), 'field': 'reference', 'align': 'left',
         'classes': 'gt-md', 'headerClasses': 'gt-md'},
        {'name': 'total', 'label': t('sale.total'), 'field': 'total', 'align': 'right'},
    ]


def sale_row(sale: SaleRead, language: str) -> dict:
    return {'id': sale.id, 'sold_on': format_date(sale.sold_on, language), 'client': sale.client_name,
            'products': products_summary(sale), 'channel': t(f'channel.{sale.channel}'),
            'reference': sale.reference or '', 'total': format_money(sale.total, sale.currency, language)}


async def show_sale(actor: Actor, sale_id: int, on_deleted) -> None:
    try:
        sale = await call(sales_service.get_sale, actor, sale_id)
    except DomainError as problem:
        failed(problem)
        return
    open_sale_detail(actor, sale, on_deleted=on_deleted)


class SalesScreen:
    def __init__(self, actor: Actor, currency: str, client_id: int | None) -> None:
        self.actor, self.currency, self.language = actor, currency, current_language()
        saved = app.storage.user.get(FILTERS_KEY) or {}
        self.filters = {key: saved.get(key) for key in ('preset', 'start', 'end', 'family', 'client_id', 'channel')}
        self.filters['preset'] = self.filters['preset'] if self.filters['preset'] in PRESETS else DEFAULT_PRESET
        if client_id is not None:
            self.filters['client_id'] = client_id

    async def build(self) -> None:
        families = await call(products_service.product_families, self.actor)
        clients = dict(await call(clients_service.client_names, self.actor, ''))
        chosen = self.filters['client_id']
        if chosen is not None and chosen not in clients:
            try:
                clients[chosen] = (await call(clients_service.get_client, self.actor, chosen)).name
            except DomainError:
                self.filters['client_id'] = None
        self._filter_bar(families, clients)
        with stat_grid(4) as self.cards:
            for _ in range(3):
                ui.skeleton('text').classes('w-full h-12')
        self.table = paged_table(columns=sale_columns(), fetch=self._fetch, rows_per_page=20,
                                 no_data_label=t('sales.empty'), phone_columns=['sold_on', 'client', 'total']) \
            .mark('sales-table')
        self.table.classes('cursor-pointer')
        self.table.on('rowClick', lambda e: show_sale(self.actor, e.args[1]['id'], self.refresh))
        await self.refresh()

    def _filter_bar(self, families: list[str], clients: dict[int, str]) -> None:
        with filter_bar(t('filters.button')) as bar:
            with bar.lead:
                ui.select({preset: t(f'sales.period_{preset}') for preset in PRESETS}, value=self.filters['preset'],
                          label=t('sales.period'), on_change=self._preset_changed) \
                    .props('outlined dense').classes('w-full sm:w-48').mark('sales-period')
                with ui.row().classes('w-full sm:w-auto gap-3 no-wrap') as self.custom_dates:
                    self._filter(date_input(t('sales.start'), parse_date(self.filters['start']), 'sales-start'),
                                 'start').classes('flex-1 sm:w-40')
                    self._filter(date_input(t('sales.end'), parse_date(self.filters['end']), 'sales-end'),
                                 'end').classes('flex-1 sm:w-40')
                self.custom_dates.set_visibility(self.filters['preset'] == 'custom')
            with bar.folded:
                self.client = ui.select(clients, label=t('sale.client'), value=self.filters['client_id'],
                                        with_input=True, clearable=True).props('outlined dense') \
                    .classes('w-full sm:w-56').mark('sales-client')
                self.client.on('input-value', self._find_clients, throttle=0.3)
                bar.track(self._filter(self.client, 'client_id'))
                bar.track(self._filter(ui.select(families, label=t('product.family'),
                                                 value=self._known(families, 'family'), clearable=True)
                                       .props('outlined dense').classes(HALF + ' sm:w-44').mark('sales-family'),
                                       'family'))
                bar.track(self._filter(ui.select(channel_options(), label=t('sale.channel'),
                                                 value=self.filters['channel'], clearable=True)
                                       .props('outlined dense').classes(HALF + ' sm:w-40').mark('sales-channel'),
                                       'channel'))
            if self.actor.can_write:
                with bar.actions:
                    ui.button(t('sales.new'), icon='add_shopping_cart', on_click=self.new_sale) \
                        .props('unelevated').classes('w-full sm:w-auto').mark('sales-new')

    def _known(self, options: list[str], key: str) -> str | None:
        return self.filters[key] if self.filters[key] in options else None

    def _filter(self, element, key: str):
        async def changed(event) -> None:
            value = event.value or None
            self.filters[key] = value
            self._remember()
            await self.refresh()
        element.on_value_change(changed)
        return element

    async def _preset_changed(self, event) -> None:
        self.filters['preset'] = event.value
        self.custom_dates.set_visibility(event.value == 'custom')
        self._remember()
        await self.refresh()

    def _remember(self) -> None:
        app.storage.user[FILTERS_KEY] = {key: value for key, value in self.filters.items()}

    async def _find_clients(self, event) -> None:
        found = dict(await call(clients_service.client_names, self.actor, event.args or ''))
        if self.client.value in self.client.options:
            found.setdefault(self.client.value, self.client.options[self.client.value])
        self.client.set_options(found, value=self.client.value)

    def _sale_filter(self) -> SaleFilter:
        if self.filters['preset'] == 'custom':
            start, end = parse_date(self.filters['start']), parse_date(self.filters['end'])
        else:
            start, end = period_bounds(self.filters['preset'], today())
        return SaleFilter(start=start, end=end, family=self.filters['family'], client_id=self.filters['client_id'],
                          channel=self.filters['channel'])

    async def refresh(self) -> None:
        await self.table.load(page=1)
        await self._totals()

    async def _totals(self) -> None:
        try:
            totals = await call(sales_service.sales_totals, self.actor, self._sale_filter())
        except DomainError as problem:
            failed(problem)
            return
        language = self.language
        self.cards.clear()
        with self.cards:
            stat(t('sales.count'), format_integer(totals.count, language), icon='receipt_long', mark='sales-count',
                 definition=t('figure.sales_list_count'))
            stat(t('sales.revenue'), format_money(totals.revenue, totals.currency, language), icon='payments',
                 mark='sales-revenue', definition=t('figure.sales_list_revenue'))
            stat(t('sales.average_basket'), format_money(totals.average_basket, totals.currency, language),
                 icon='shopping_basket', mark='sales-basket', definition=t('figure.average_basket'))
            if totals.family_revenue is not None:
                stat(t('sales.family_revenue', family=self.filters['family']),
                     format_money(totals.family_revenue, totals.currency, language), icon='category',
                     mark='sales-family-revenue', definition=t('figure.sales_family_revenue'))

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        try:
            page = await call(sales_service.list_sales, self.actor, self._sale_filter(),
                              PageRequest(limit=query.rows_per_page, offset=query.offset))
        except DomainError:
            return [], 0  # the totals say why
        return [sale_row(sale, self.language) for sale in page.items], page.total

    async def new_sale(self) -> None:
        await open_sale_dialog(self.actor, self.currency, on_saved=lambda _: self.refresh(),
                               client_id=self.filters['client_id'])


def register() -> None:
    @member_page('/sales')
    async def sales_page(actor: Actor, client_id: int | None = None, new: int = 0) -> None:
        currency = await call(sales_service.tenant_currency, actor.tenant_id)
        with frame(actor, t('nav.sales'), path='/sales', subtitle=t('sales.subtitle')):
            screen = SalesScreen(actor, currency, client_id)
            await screen.build()
        if new and actor.can_write:
            await screen.new_sale()
