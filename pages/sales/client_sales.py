"""Clients › one client › «Ventes»: the client's purchases at a glance, its sales (server-paged, newest first, a
click opens one) and «Nouvelle vente» for this client. The client's RFM profile and recommendations are shown above,
in the container marked 'client-insights' (filled by the page that builds the tab)."""

from nicegui import ui

from components.empty_state import empty_state
from components.formatting import format_date, format_integer, format_money
from components.paged_table import TableQuery, paged_table
from components.stat_grid import stat, stat_grid
from pages.sales.sale_form import open_sale_dialog
from pages.sales.sale_list import sale_columns, sale_row, show_sale
from services import sales as sales_service
from services.actor import Actor
from services.paging import PageRequest
from services.sales import SaleFilter
from ui.data import call
from ui.i18n import current_language, t


class ClientSalesTab:
    def __init__(self, actor: Actor, client_id: int) -> None:
        self.actor, self.client_id, self.language = actor, client_id, current_language()
        self.currency = 'DZD'
        # The client's RFM profile and recommendations go here (pages/client_insights.py, wired by client_detail).
        self.insights = ui.column().classes('w-full gap-3').mark('client-insights')
        with stat_grid(4) as self.cards:
            for _ in range(4):
                ui.skeleton('text').classes('w-full h-12')
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            with ui.column().classes('gap-0 flex-1 min-w-0'):
                ui.label(t('client_sales.history')).classes('text-base font-semibold')
                ui.link(t('client_sales.see_all'), f'/sales?client_id={client_id}').classes('text-sm text-primary') \
                    .mark('client-sales-all')
            if actor.can_write:
                ui.button(t('sales.new'), icon='add_shopping_cart', on_click=self.new_sale) \
                    .props('outline no-caps').classes('shrink-0').mark('client-sale-new')
        self.table = paged_table(columns=sale_columns(with_client=False), fetch=self._fetch, rows_per_page=10,
                                 no_data_label=t('client_sales.empty'), phone_columns=['sold_on', 'total']) \
            .mark('client-sales-table')
        self.table.classes('cursor-pointer')
        self.table.on('rowClick', lambda e: show_sale(self.actor, e.args[1]['id'], self.refresh))
        self.empty = ui.column().classes('w-full')

    async def refresh(self) -> None:
        summary = await call(sales_service.client_sales_summary, self.actor, self.client_id)
        self.currency = summary.currency
        language = self.language
        self.cards.clear()
        with self.cards:
            stat(t('client_sales.count'), format_integer(summary.count, language), icon='receipt_long',
                 mark='client-sales-count', definition=t('figure.client_sales_count'))
            stat(t('client_sales.revenue'), format_money(summary.revenue, summary.currency, language),
                 icon='payments', mark='client-sales-revenue', definition=t('figure.client_sales_revenue'))
            stat(t('sales.average_basket'), format_money(summary.average_basket, summary.currency, language),
                 icon='shopping_basket', mark='client-sales-basket', definition=t('figure.average_basket'))
            stat(t('client_sales.last_sale'), format_date(summary.last_sale, language), icon='event',
                 caption=t('client_sales.first_sale', date=format_date(summary.first_sale, language))
                 if summary.first_sale else None, mark='client-sales-last', definition=t('figure.client_last_sale'))
        self.table.set_visibility(summary.count > 0)
        self.empty.clear()
        if summary.count == 0:
            with self.empty:
                empty_state(t('client_sales.empty'), t('client_sales.empty_hint'), icon='shopping_bag') \
                    .mark('client-sales-empty')
        await self.table.load(page=1)

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        page = await call(sales_service.list_sales, self.actor, SaleFilter(client_id=self.client_id),
                          PageRequest(limit=query.rows_per_page, offset=query.offset))
        return [sale_row(sale, self.language) for sale in page.items], page.total

    async def new_sale(self) -> None:
        await open_sale_dialog(self.actor, self.currency, on_saved=lambda _: self.refresh(), client_id=self.client_id)


def client_sales_tab(actor: Actor, client_id: int) -> ClientSalesTab:
    """Build the tab's content where the caller stands; `await tab.refresh()` fills it."""
    return ClientSalesTab(actor, client_id)
