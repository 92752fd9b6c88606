"""Monthly KPIs (seed 001): a client's KPI tab (12 months, chart, editing one month) and the KPI page (one
month across clients)."""

from decimal import Decimal, InvalidOperation

from nicegui import ui

from components.charts import bar_chart, column_chart
from components.empty_state import empty_state
from components.figure_title import figure_title
from components.formatting import format_integer, format_money
from components.grid import responsive_grid
from components.kpi_card import kpi_card, kpi_skeleton
from services import kpis as kpis_service
from services.actor import Actor
from services.clients import ClientRead
from services.clock import today
from services.errors import DomainError, Invalid
from services.kpis import KpiInput, KpiRead
from ui.data import call
from ui.feedback import saved
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

YEARS_BACK = 5
HEADROOM = 0.45  # room after the bars for their amounts
# The month table is wider than a phone: it scrolls inside its card, the month column staying in view.
TABLE_CSS = '''
.crm-kpi-table th:first-child, .crm-kpi-table td:first-child { position: sticky; left: 0; z-index: 1;
  background: white; box-shadow: 1px 0 0 #e2e8f0; }
'''


def month_name(month: int) -> str:
    return t(f'month.{month}')


def _year_options() -> list[int]:
    year = today().year
    return list(range(year, year - YEARS_BACK, -1))


def _decimal(value, field: str) -> Decimal:
    # French amounts group thousands with a space («150 000,50»): any space (plain, no-break, narrow) is dropped.
    text = ''.join(str(value if value is not None else '').split()) or '0'
    try:
        return Decimal(text.replace(',', '.'))
    except InvalidOperation as error:
        raise Invalid('error.amount_invalid', field=field) from error


def _plain(value: Decimal, language: str) -> str:
    """A rate or an amount to read or type again: «2,50» in French, «2.50» in English (no grouping)."""
    return f'{value}'.replace('.', ',') if language == 'fr' else f'{value}'


def _count(value) -> int | None:
    return None if value in (None, '') else int(value)


def _amount(value: Decimal, language: str) -> str:
    """An amount of the month table, its currency in the column's title: «203 500,00»."""
    return format_money(value, '', language).strip()


class ClientKpiTab:
    def __init__(self, actor: Actor, client: ClientRead) -> None:
        self.actor, self.client, self.language = actor, client, current_language()
        self.currency = 'DZD'
        self.year = today().year
        with ui.row().classes('w-full items-center gap-3'):
            ui.select(_year_options(), value=self.year, label=t('kpi.year'), on_change=self._year) \
                .props('outlined dense').classes('w-32').mark('kpi-year')
            ui.label(t('kpi.counted_hint')).classes('text-xs crm-muted flex-1 min-w-0')
        self.box = ui.column().classes('w-full gap-3')
        with self.box:
            ui.skeleton('rect').classes('w-full h-64')

    async def _year(self, event) -> None:
        self.year = event.value
        await self.refresh()

    async def refresh(self) -> None:
        summary = await call(kpis_service.annual_summary, self.actor, self.client.id, self.year)
        self.box.clear()
        with self.box:
            with ui.row().classes('w-full gap-4'):
                totals = summary.totals
                kpi_card(t('kpi.meetings'), format_integer(totals.meetings, self.language), icon='groups',
                         definition=t('figure.kpi_meetings'), mark='kpi-total-meetings')
                kpi_card(t('kpi.pitches'), format_integer(totals.pitches, self.language), icon='present_to_all',
                         definition=t('figure.kpi_pitches'))
                kpi_card(t('kpi.closings'), format_integer(totals.closings, self.language), icon='handshake',
                         definition=t('figure.kpi_entered'))
                kpi_card(t('kpi.revenue'), format_money(totals.revenue, self.currency, self.language), icon='payments',
                         definition=t('figure.kpi_revenue'), mark='kpi-total-revenue')
            with ui.card().classes('crm-card w-full p-4'):
                figure_title(t('kpi.activity_by_month'), t('figure.kpi_by_month'))
                column_chart([t(f'month_short.{m.month}') for m in summary.months],
                             {t('kpi.meetings'): [m.meetings for m in summary.months],
                              t('kpi.pitches'): [m.pitches for m in summary.months],
                              t('kpi.closings'): [m.closings for m in summary.months]}, 'chart-client-kpis',
                             counts=True)
            self._table(summary.months)

    def _table(self, months: list[KpiRead]) -> None:
        columns = [{'name': 'month', 'label': t('kpi.month'), 'field': 'month', 'align': 'left'},
                   {'name': 'meetings', 'label': t('kpi.meetings'), 'field': 'meetings'},
                   {'name': 'pitches', 'label': t('kpi.pitches'), 'field': 'pitches'},
                   {'name': 'due_diligences', 'label': t('kpi.due_diligences'), 'field': 'due_diligences'},
                   {'name': 'closings', 'label': t('kpi.closings'), 'field': 'closings'},
                   {'name': 'revenue', 'label': f'{t("kpi.revenue")} ({self.currency})', 'field': 'revenue'},
                   {'name': 'commission', 'label': f'{t("kpi.commission")} ({self.currency})', 'field': 'commission'}]
        rows = [{'id': m.month, 'month': month_name(m.month),
                 'meetings': f'{m.meetings}' + ('' if m.meetings_overridden else ' ⟳'),
                 'pitches': f'{m.pitches}' + ('' if m.pitches_overridden else ' ⟳'),
                 'due_diligences': m.due_diligences, 'closings': m.closings,
                 'revenue': _amount(m.revenue, self.language),
                 'commission': f'{_amount(m.commission, self.language)} ({_plain(m.commission_rate, self.language)} %)'}
                for m in months]
        ui.add_css(TABLE_CSS)
        with ui.card().classes('crm-card w-full min-w-0 p-0 overflow-hidden'):
            table = ui.table(columns=columns, rows=rows, row_key='id').props('flat dense hide-bottom') \
                .classes('crm-kpi-table w-full max-w-full').mark('client-kpi-table')
        if self.actor.can_write:
            table.classes('cursor-pointer')
            table.on('rowClick', lambda e: self._edit(months[e.args[1]['id'] - 1]))
        ui.label(t('kpi.legend')).classes('text-xs crm-muted')

    def _edit(self, month: KpiRead) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-lg'):
            ui.label(t('kpi.edit_title', month=month_name(month.month), year=month.year)) \
                .classes('text-lg font-semibold')
            with responsive_grid(2):
                meetings = ui.number(t('kpi.meetings'), value=month.meetings if month.meetings_overridden else None,
                                     min=0, format='%.0f', placeholder=t('kpi.auto', n=month.meetings_counted)) \
                    .props('outlined dense clearable').mark('kpi-meetings')
                pitches = ui.number(t('kpi.pitches'), value=month.pitches if month.pitches_overridden else None,
                                    min=0, format='%.0f', placeholder=t('kpi.auto', n=month.pitches_counted)) \
                    .props('outlined dense clearable').mark('kpi-pitches')
                due = ui.number(t('kpi.due_diligences'), value=month.due_diligences, min=0, format='%.0f') \
                    .props('outlined dense').mark('kpi-due')
                closings = ui.number(t('kpi.closings'), value=month.closings, min=0, format='%.0f') \
                    .props('outlined dense').mark('kpi-closings')
                revenue = ui.input(t('kpi.revenue'), value=_plain(month.revenue, self.language)) \
                    .props(f'outlined dense suffix={self.currency} inputmode=decimal').mark('kpi-revenue')
                rate = ui.input(t('kpi.commission_rate'), value=_plain(month.commission_rate, self.language)) \
                    .props('outlined dense suffix=% inputmode=decimal').mark('kpi-rate')
            ui.label(t('kpi.auto_hint')).classes('text-xs crm-muted')
            error = ui.label('').classes('text-negative text-sm').mark('kpi-error')

            async def save() -> None:
                try:
                    data = KpiInput(year=month.year, month=month.month, meetings=_count(meetings.value),
                                    pitches=_count(pitches.value), due_diligences=int(due.value or 0),
                                    closings=int(closings.value or 0), revenue=_decimal(revenue.value, 'revenue'),
                                    commission_rate=_decimal(rate.value, 'commission_rate'))
                    await call(kpis_service.save_kpi, self.actor, self.client.id, data)
                except DomainError as problem:
                    error.set_text(t(problem.key, **problem.params))
                    return
                dialog.close()
                saved()
                await self.refresh()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.save'), on_click=save).props('unelevated').mark('kpi-save')
        dialog.open()


class KpiMonthScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        day = today()
        self.year, self.month, self.currency = day.year, day.month, 'DZD'
        with ui.row().classes('w-full items-center gap-3'):
            ui.select({m: month_name(m) for m in range(1, 13)}, value=self.month, label=t('kpi.month'),
                      on_change=lambda e: self._period(month=e.value)).props('outlined dense').classes('w-40') \
                .mark('kpi-month')
            ui.select(_year_options(), value=self.year, label=t('kpi.year'),
                      on_change=lambda e: self._period(year=e.value)).props('outlined dense').classes('w-32') \
                .mark('kpi-page-year')
        with ui.row().classes('w-full gap-4') as self.cards:
            for _ in range(4):
                kpi_skeleton()
        self.box = ui.row().classes('w-full gap-4')

    async def _period(self, **changes) -> None:
        self.year, self.month = changes.get('year', self.year), changes.get('month', self.month)
        await self.refresh()

    async def refresh(self) -> None:
        summary = await call(kpis_service.month_summary, self.actor, self.year, self.month)
        totals, language = summary.totals, self.language
        self.cards.clear()
        with self.cards:
            kpi_card(t('kpi.meetings'), format_integer(totals.meetings, language), icon='groups',
                     caption=t('kpi.clients_active', n=format_integer(summary.clients_with_activity, language)),
                     definition=t('figure.kpi_meetings'), mark='kpi-month-meetings')
            kpi_card(t('kpi.pitches'), format_integer(totals.pitches, language), icon='present_to_all',
                     definition=t('figure.kpi_pitches'), mark='kpi-month-pitches')
            kpi_card(t('kpi.due_diligences'), format_integer(totals.due_diligences, language), icon='fact_check',
                     definition=t('figure.kpi_entered'))
            kpi_card(t('kpi.closings'), format_integer(totals.closings, language), icon='handshake',
                     definition=t('figure.kpi_entered'))
            kpi_card(t('kpi.revenue'), format_money(totals.revenue, self.currency, language), icon='payments',
                     caption=t('kpi.commission_caption', amount=format_money(totals.commission, self.currency,
                                                                              language)),
                     definition=t('figure.kpi_revenue'), mark='kpi-month-revenue')
        self.box.clear()
        with self.box:
            with ui.card().classes('crm-card flex-1 min-w-0 basis-96 p-4 gap-2'):
                top = summary.top_by_revenue
                with ui.row().classes('w-full items-center justify-between gap-2 no-wrap'):
                    figure_title(t('kpi.top_revenue'), t('figure.kpi_top_revenue'))
                    if top:
                        ui.label(t('analytics.in_currency', currency=self.currency)).classes('text-xs crm-muted')
                if top:
                    bar_chart([r.client_name for r in top], [float(r.revenue) for r in top], 'chart-top-revenue',
                              texts=[format_integer(round(r.revenue), language) for r in top],
                              height=40 + 36 * len(top), headroom=HEADROOM)
                else:
                    empty_state(t('kpi.no_revenue'), t('kpi.no_revenue_hint'), icon='payments')
            with ui.card().classes('crm-card flex-1 min-w-0 basis-80 p-4 gap-1').mark('top-meetings'):
                figure_title(t('kpi.top_meetings'), t('figure.kpi_top_meetings'))
                if not summary.top_by_meetings:
                    empty_state(t('kpi.no_meetings'), t('kpi.no_meetings_hint'), icon='groups')
                for row in summary.top_by_meetings:
                    with ui.link(target=f'/clients/{row.client_id}?tab=kpis') \
                            .classes('no-underline text-inherit w-full'):
                        with ui.row().classes('w-full items-center no-wrap py-1 gap-2'):
                            ui.label(row.client_name).classes('flex-1 truncate text-slate-800')
                            ui.badge(str(row.meetings)).props('color=indigo-1 text-color=indigo-9 rounded')


def register() -> None:
    @member_page('/kpis')
    async def kpi_page(actor: Actor) -> None:
        with frame(actor, t('nav.kpis'), path='/kpis', subtitle=t('kpi.subtitle')):
            screen = KpiMonthScreen(actor)
        await screen.refresh()
