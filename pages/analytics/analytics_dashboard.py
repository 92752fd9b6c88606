"""Analyses › the sales dashboard: a period, its KPIs against the period before, the monthly trend against the
previous year, revenue by family, top products, RFM segments (each opens its clients) and this month's moves."""

from nicegui import app, ui

from components.badges import SEGMENT_COLORS
from components.charts import bar_chart, line_chart, treemap_chart
from components.empty_state import empty_state
from components.figure_title import figure_title
from components.formatting import format_date, format_datetime, format_integer, format_money, format_percent
from components.kpi_card import kpi_card, kpi_skeleton
from components.poller import Poller
from pages.cases.case_form import date_input, parse_date
from services.actor import Actor
from services.analytics import dashboard as dashboard_service
from services.analytics import runs
from services.analytics.dashboard import DEFAULT_PRESET, PRESETS, CountKpi, Dashboard, MoneyKpi, Period
from services.analytics.runs import RunRead
from services.errors import DomainError
from ui.data import call
from ui.feedback import failed
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

PERIOD_KEY = 'analytics_period'
CARD = 'crm-card flex-1 min-w-0 p-4 gap-2'
NAME_LENGTH, LINE_LENGTH = 36, 22  # names on the bars: longer ones end with «…», and go on two lines
HEADROOM = 0.35  # room after the bars for their amounts
PERIOD_CSS = '''
.crm-period-toggle .q-btn { white-space: nowrap; }
@media (max-width: 599px) { .crm-period-toggle .q-btn { padding: 4px 6px; font-size: 12px; } }
'''
POLL_SECONDS = 1.0


def segment_label(code: str) -> str:
    return t(f'segment.{code}')


def _bar_label(name: str) -> str:
    """A name for a bar's axis: cut at 36 characters, on two lines from 22 (so the bars keep their width on phones)."""
    name = name if len(name) <= NAME_LENGTH else name[:NAME_LENGTH - 1].rstrip() + '…'
    if len(name) <= LINE_LENGTH or ' ' not in name:
        return name
    spaces = [index for index, char in enumerate(name) if char == ' ']
    cut = min(spaces, key=lambda index: abs(index - len(name) / 2))
    return f'{name[:cut]}<br>{name[cut + 1:]}'


def _chart_card(title: str, definition: str, mark: str, basis: str) -> ui.card:
    with ui.card().classes(f'{CARD} {basis}').mark(mark) as card:
        figure_title(title, definition)
        ui.skeleton('rect').classes('w-full h-56')
    return card


class RecomputeSegments:
    """«Recalculer les segments» (managers and admins) and the progress of the tenant's latest run, read back from
    the database: leave the page, come back, it is still there. `on_done` runs when a followed run ends."""

    def __init__(self, actor: Actor, on_done=None) -> None:
        self.actor, self.on_done, self.language = actor, on_done, current_language()
        self.allowed = actor.can_write and actor.role in ('admin', 'manager')
        with ui.column().classes('gap-0 w-full sm:w-auto') as root:
            self.box = ui.column().classes('gap-1 items-end w-full sm:w-auto').mark('recompute')
        self.timer = Poller(POLL_SECONDS, self.refresh, root)

    async def refresh(self) -> None:
        run = await call(runs.latest_run, self.actor)
        self._show(run)
        active = run is not None and run.active
        if self.timer.active and not active and self.on_done:
            await self.on_done()
        self.timer.active = active

    def _show(self, run: RunRead | None) -> None:
        self.box.clear()
        with self.box:
            if run is not None and run.active:
                with ui.row().classes('items-center gap-2 no-wrap'):
                    ui.spinner(size='sm')
                    ui.label(t('analytics.recompute_queued') if run.status == 'queued' else
                             t('analytics.recompute_running', step=t(f'analytics.step_{run.step or "profiles"}'),
                               progress=run.progress)).classes('text-sm').mark('recompute-status')
                ui.linear_progress(value=run.progress / 100, show_value=False).props('rounded color=primary') \
                    .classes('w-full sm:w-64').mark('recompute-progress')
                return
            if self.allowed:
                ui.button(t('analytics.recompute'), icon='autorenew', on_click=self._start) \
                    .props('outline no-caps').classes('w-full sm:w-auto').mark('recompute-start')
            if run is not None and run.status != 'done':
                moment = format_datetime(run.finished_at or run.created_at, self.language)
                ui.label(t(f'analytics.recompute_{run.status}', date=moment)) \
                    .classes('text-xs text-negative').mark('recompute-last')

    async def _start(self) -> None:
        try:
            run, new = await call(runs.start_run, self.actor)
        except DomainError as problem:
            failed(problem)
            return
        if new:
            runs.launch(run.id)
        self._show(run)
        self.timer.active = True


class AnalyticsScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        saved = app.storage.user.get(PERIOD_KEY) or {}
        self.preset = saved.get('preset') if saved.get('preset') in PRESETS else DEFAULT_PRESET
        self.start, self.end = parse_date(saved.get('start')), parse_date(saved.get('end'))
        self._loads = 0  # a slower, older period's answer must not replace a newer one
        self._header()
        with ui.row().classes('w-full gap-4 items-stretch') as self.cards:
            for _ in range(4):
                kpi_skeleton()
        self.body = ui.column().classes('w-full gap-4')
        with self.body:
            self._skeletons()

    # --- the header: period, links, recomputation ---------------------------------------------------------------

    def _header(self) -> None:
        ui.add_css(PERIOD_CSS)
        with ui.row().classes('w-full items-center gap-x-3 gap-y-2'):
            ui.toggle({preset: t(f'analytics.period_{preset}') for preset in PRESETS}, value=self.preset,
                      on_change=self._choose_preset) \
                .props('no-caps unelevated dense toggle-color=primary color=white text-color=grey-9') \
                .classes('crm-period-toggle border rounded-lg').mark('period-preset')
            with ui.row().classes('items-center gap-2 w-full sm:w-auto') as self.custom_box:
                self.start_input = date_input(t('analytics.start'), self.start, 'period-start') \
                    .classes('flex-1 sm:w-40')
                self.end_input = date_input(t('analytics.end'), self.end, 'period-end').classes('flex-1 sm:w-40')
                self.start_input.on_value_change(self._custom_dates)
                self.end_input.on_value_change(self._custom_dates)
            self.custom_box.set_visibility(self.preset == 'custom')
            ui.space()
            with ui.row().classes('items-center gap-1'):
                ui.button(t('nav.recommendations'), icon='recommend',
                          on_click=lambda: ui.navigate.to('/analytics/recommendations')) \
                    .props('flat no-caps dense').mark('link-recommendations')
                ui.button(t('nav.data_quality'), icon='fact_check',
                          on_click=lambda: ui.navigate.to('/analytics/quality')) \
                    .props('flat no-caps dense').mark('link-quality')
        with ui.row().classes('w-full items-start gap-x-4 gap-y-2'):
            self.period_label = ui.label('').classes('text-sm crm-muted flex-1 min-w-0').mark('period-label')
            self.recompute = RecomputeSegments(self.actor, on_done=self.refresh)

    async def _choose_preset(self, event) -> None:
        self.preset = event.value
        self.custom_box.set_visibility(self.preset == 'custom')
        if self.preset == 'custom' and (self.start is None or self.end is None):
            self.period_label.set_text(t('analytics.pick_dates'))
            return
        await self.refresh()

    async def _custom_dates(self) -> None:
        self.start, self.end = parse_date(self.start_input.value), parse_date(self.end_input.value)
        if self.start and self.end:
            await self.refresh()

    def _period(self) -> Period:
        if self.preset == 'custom':
            return dashboard_service.resolve_period('custom', self.start, self.end)
        return dashboard_service.resolve_period(self.preset)

    # --- loading ------------------------------------------------------------------------------------------------

    async def build(self) -> None:
        await self.recompute.refresh()
        await self.refresh()

    async def refresh(self) -> None:
        try:
            period = self._period()
        except DomainError as problem:
            self.period_label.set_text(t(problem.key, **problem.params))
            self.period_label.classes(add='text-negative', remove='crm-muted')
            return
        self.period_label.classes(add='crm-muted', remove='text-negative')
        app.storage.user[PERIOD_KEY] = {'preset': self.preset, 'start': self.start.isoformat() if self.start else None,
                                        'end': self.end.isoformat() if self.end else None}
        self._loads += 1
        this_load = self._loads
        data = await call(dashboard_service.dashboard, self.actor, period)
        if this_load != self._loads:
            return
        language = self.language
        self.period_label.set_text(t('analytics.period_caption', start=format_date(data.period.start, language),
                                     end=format_date(data.period.end, language),
                                     previous_start=format_date(data.period.previous_start, language),
                                     previous_end=format_date(data.period.previous_end, language)))
        self._cards(data)
        self.body.clear()
        with self.body:
            if not data.has_sales:
                self._no_sales()
                return
            with ui.row().classes('w-full gap-4 items-stretch'):
                self._trend(data)
                self._segments(data)
            with ui.row().classes('w-full gap-4 items-stretch'):
                self._families(data)
                self._top_products(data)
            self._moves(data)

    def _skeletons(self) -> None:
        with ui.row().classes('w-full gap-4'):
            _chart_card(t('analytics.trend'), t('figure.sales_trend'), 'trend-card', 'basis-[36rem]')
            _chart_card(t('analytics.segments'), t('figure.segments'), 'segments-card', 'basis-80')
        with ui.row().classes('w-full gap-4'):
            _chart_card(t('analytics.families'), t('figure.families'), 'families-card', 'basis-80')
            _chart_card(t('analytics.top_products'), t('figure.top_products'), 'top-products-card', 'basis-80')

    # --- KPI cards ----------------------------------------------------------------------------------------------

    def _count_delta(self, kpi: CountKpi) -> tuple[str, int]:
        if kpi.change_percent is not None:
            return format_percent(kpi.change_percent, self.language, signed=True), kpi.change
        sign = '+' if kpi.change > 0 else '\u2212' if kpi.change < 0 else ''
        return f'{sign}{format_integer(abs(kpi.change), self.language)}', kpi.change

    def _money_delta(self, kpi: MoneyKpi, currency: str) -> tuple[str, int] | None:
        if kpi.change is None:
            return None
        direction = (kpi.change > 0) - (kpi.change < 0)
        if kpi.change_percent is not None:
            return format_percent(kpi.change_percent, self.language, signed=True), direction
        sign = '+' if direction > 0 else '\u2212' if direction < 0 else ''
        return f'{sign}{format_money(abs(kpi.change), currency, self.language, decimals=0)}', direction

    def _cards(self, data: Dashboard) -> None:
        language, currency, hint = self.language, data.currency, t('analytics.vs_previous')
        self.cards.clear()
        with self.cards:
            kpi_card(t('analytics.total_clients'), format_integer(data.total_clients.value, language), icon='groups',
                     mark='kpi-total-clients', delta=self._count_delta(data.total_clients), delta_hint=hint,
                     caption=t('analytics.total_clients_caption'), definition=t('figure.clients_at_period_end'))
            kpi_card(t('analytics.buying_clients'), format_integer(data.buying_clients.value, language),
                     icon='how_to_reg', mark='kpi-buying-clients', delta=self._count_delta(data.buying_clients),
                     delta_hint=hint, caption=t('analytics.buying_clients_caption'),
                     definition=t('figure.buying_clients'))
            kpi_card(t('analytics.revenue'), format_money(data.revenue.value or 0, currency, language, decimals=0),
                     icon='payments', mark='kpi-revenue', delta=self._money_delta(data.revenue, currency),
                     delta_hint=hint, caption=t('analytics.sales_caption' if data.sales.value != 1
                                                else 'analytics.sale_caption',
                                                n=format_integer(data.sales.value, language)),
                     definition=t('figure.sales_revenue'))
            basket = data.average_basket.value
            kpi_card(t('analytics.average_basket'),
                     format_money(basket, currency, language) if basket is not None else '—',
                     icon='shopping_basket', mark='kpi-avg-basket',
                     delta=self._money_delta(data.average_basket, currency), delta_hint=hint,
                     caption=t('analytics.average_basket_caption'), definition=t('figure.average_basket'))

    # --- charts -------------------------------------------------------------------------------------------------

    def _no_sales(self) -> None:
        with ui.card().classes('crm-card w-full p-4 items-center').mark('analytics-empty'):
            empty_state(t('analytics.no_sales'), t('analytics.no_sales_hint'), icon='point_of_sale')
            ui.button(t('analytics.go_to_sales'), icon='arrow_forward', on_click=lambda: ui.navigate.to('/sales')) \
                .props('unelevated no-caps').classes('mb-4').mark('go-to-sales')

    def _trend(self, data: Dashboard) -> None:
        language, currency = self.language, data.currency
        with ui.card().classes(f'{CARD} basis-[36rem]').mark('trend-card'):
            figure_title(t('analytics.trend'), t('figure.sales_trend'))
            labels = [f'{t(f"month_short.{m.month}")} {m.year % 100:02d}' for m in data.trend]
            current, previous = t('analytics.trend_period'), t('analytics.trend_previous_year')
            partial = bool(data.trend) and data.trend[-1].partial
            amounts = [format_money(m.revenue, currency, language, decimals=0) for m in data.trend]
            if partial:  # the month is counted up to the period's end only: said on its point
                amounts[-1] = t('analytics.trend_partial_hover', amount=amounts[-1],
                                date=format_date(data.period.end, language))
            line_chart(labels, {current: [float(m.revenue) for m in data.trend],
                                previous: [float(m.previous_year_revenue) for m in data.trend]}, 'chart-trend',
                       hover={current: amounts,
                              previous: [format_money(m.previous_year_revenue, currency, language, decimals=0)
                                         for m in data.trend]},
                       muted=(previous,), separators=', ' if language == 'fr' else None, height=360,
                       partial=t('analytics.trend_partial') if partial else None)

    def _segments(self, data: Dashboard) -> None:
        language, currency = self.language, data.currency
        with ui.card().classes(f'{CARD} basis-80').mark('segments-card'):
            with ui.row().classes('w-full items-center justify-between gap-x-2 gap-y-0'):
                figure_title(t('analytics.segments'), t('figure.segments'))
                if data.last_computed_at:
                    ui.label(t('analytics.computed_at', date=format_datetime(data.last_computed_at, language))) \
                        .classes('text-xs crm-muted').mark('segments-computed-at')
            if not data.segments:
                empty_state(t('analytics.no_segments'), t('analytics.no_segments_hint'), icon='donut_small')
                return
            total = sum(share.clients for share in data.segments) or 1
            counts = [t('analytics.segment_tile', n=format_integer(s.clients, language),
                        share=format_percent(s.clients * 100 / total, language)) for s in data.segments]
            chart = treemap_chart([s.segment for s in data.segments], [segment_label(s.segment) for s in data.segments],
                                  [s.clients for s in data.segments], 'chart-segments',
                                  colors=[SEGMENT_COLORS.get(s.segment, '#577590') for s in data.segments],
                                  texts=counts, hovers=[f'{count}<br>{format_money(s.revenue, currency, language)}'
                                                        for count, s in zip(counts, data.segments, strict=True)],
                                  min_share=0.08, height=340)
            chart.on('plotly_click', self._open_segment)
            with ui.row().classes('w-full gap-1').mark('segment-links'):  # also the tiles' legend, and keyboard way
                for share in data.segments:
                    with ui.link(target=f'/analytics/segments/{share.segment}') \
                            .classes('no-underline inline-flex items-center gap-1 rounded-full border border-slate-300 '
                                     'px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50') \
                            .mark(f'segment-link-{share.segment}'):
                        ui.element('span').classes('inline-block w-2 h-2 rounded-full shrink-0') \
                            .style(f'background: {SEGMENT_COLORS.get(share.segment, "#577590")}')
                        ui.label(f'{segment_label(share.segment)} · {format_integer(share.clients, language)}')

    @staticmethod
    def _open_segment(event) -> None:
        points = (event.args or {}).get('points') or []
        code = points[0].get('customdata') or points[0].get('id') if points else None
        if isinstance(code, str) and code in SEGMENT_COLORS:
            ui.navigate.to(f'/analytics/segments/{code}')

    def _bars(self, title: str, definition: str, mark: str, names: list[str], amounts: list, currency: str,
              **options) -> None:
        """A card of horizontal bars: amounts without their currency, which the title names once."""
        with ui.card().classes(f'{CARD} basis-80').mark(f'{mark.removeprefix("chart-")}-card'):
            with ui.row().classes('w-full items-center justify-between gap-2 no-wrap'):
                figure_title(title, definition)
                if names:
                    ui.label(t('analytics.in_currency', currency=currency)).classes('text-xs crm-muted')
            if not names:
                empty_state(t('analytics.no_period_sales'), t('analytics.no_period_sales_hint'), icon='bar_chart')
                return
            bar_chart([_bar_label(name) for name in names], [float(amount) for amount in amounts], mark,
                      texts=[format_integer(round(amount), self.language) for amount in amounts],
                      height=40 + 36 * len(names), headroom=HEADROOM, **options)

    def _families(self, data: Dashboard) -> None:
        names, amounts = [f.family for f in data.families], [f.revenue for f in data.families]
        if data.revenue_without_family > 0:  # so that the bars add up to the revenue card
            names, amounts = [*names, t('analytics.without_family')], [*amounts, data.revenue_without_family]
        self._bars(t('analytics.families'), t('figure.families'), 'chart-families', names, amounts, data.currency)

    def _top_products(self, data: Dashboard) -> None:
        self._bars(t('analytics.top_products'), t('figure.top_products'), 'chart-top-products',
                   [p.name for p in data.top_products], [p.revenue for p in data.top_products], data.currency,
                   colors='#2a9d8f')

    def _moves(self, data: Dashboard) -> None:
        language = self.language
        with ui.card().classes(f'{CARD} w-full').mark('segment-moves'):
            ui.label(t('analytics.moves', since=format_date(data.moves_since, language))).classes('font-semibold')
            if not data.segment_moves:
                ui.label(t('analytics.no_moves')).classes('text-sm crm-muted')
                return
            for move in data.segment_moves:
                with ui.row().classes('w-full items-center gap-2 no-wrap py-1').mark('segment-move'):
                    ui.icon('swap_horiz').classes('text-primary shrink-0')
                    key = 'analytics.move_one' if move.clients == 1 else 'analytics.move_many'
                    ui.label(t(key, n=format_integer(move.clients, language), old=segment_label(move.from_segment),
                               new=segment_label(move.to_segment))).classes('flex-1 min-w-0 text-sm')
                    ui.link(t('analytics.see_segment'), f'/analytics/segments/{move.to_segment}') \
                        .classes('text-sm shrink-0')


def register() -> None:
    @member_page('/analytics')
    async def analytics_page(actor: Actor) -> None:
        with frame(actor, t('nav.analytics'), path='/analytics', subtitle=t('analytics.subtitle')):
            screen = AnalyticsScreen(actor)
        await screen.build()

