"""Analyses › data quality: the latest audit's score (and its change), the score over time, and one card per
component with the lists behind its deduction; likely duplicates can be merged from here."""

from datetime import datetime, timedelta
from decimal import Decimal

from nicegui import ui

from components.charts import line_chart
from components.empty_state import empty_state
from components.figure_title import figure_title
from components.formatting import DISPLAY_ZONE, format_datetime, format_integer, format_money, format_percent
from pages.clients.merge_dialog import merge_pair
from services.actor import Actor
from services.analytics import data_audit
from services.analytics.data_audit import AuditPoint, AuditRead, ComponentRead
from services.errors import DomainError
from services.sales import tenant_currency
from ui.data import call, in_thread
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

PATH = '/analytics/quality'
ICONS = {'freshness': 'update', 'email': 'alternate_email', 'phone': 'call', 'duplicates': 'content_copy',
         'diversity': 'category'}
PAIRS_STEP = 20
DAY_MS = 86_400_000
TABLE_ROWS = 10
NAME_LINK = '''
<q-td :props="props">
  <a :href="'/clients/' + props.row.id" class="text-primary font-medium no-underline hover:underline break-words"
     >{{ props.value }}</a>
</q-td>
'''
# (details key, column names) of the lists shown under each component, in this order.
LISTS = {
    'freshness': (('stale_clients', ('name', 'updated_at')),),
    'email': (('invalid_emails', ('name', 'email')), ('missing_emails', ('name',))),
    'phone': (('invalid_phones', ('name', 'phone')), ('missing_phones', ('name',))),
    'diversity': (('single_family_buyers', ('name', 'families')), ('top_products', ('product', 'family', 'revenue',
                                                                                   'share'))),
}
LIST_TOTALS = {'stale_clients': ('freshness', 'stale'), 'invalid_emails': ('email', 'invalid'),
               'missing_emails': ('email', 'missing'), 'invalid_phones': ('phone', 'invalid'),
               'missing_phones': ('phone', 'missing')}


def score_color(score: float) -> str:
    return 'positive' if score >= 80 else 'warning' if score >= 60 else 'negative'


def _points(value: float, language: str) -> str:
    text = f'{value:.1f}'
    return text.replace('.', ',') if language == 'fr' else text


def _share(value: float, language: str) -> str:
    return format_percent(value * 100, language)


class QualityScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.can_run = actor.role in ('admin', 'manager')
        self.audit: AuditRead | None = None
        self.currency = 'DZD'
        self.pairs_shown = PAIRS_STEP
        self.body = ui.column().classes('w-full gap-4').mark('quality-body')
        with self.body:
            self._skeleton()

    def _skeleton(self) -> None:
        with ui.row().classes('w-full gap-4'):
            ui.skeleton('rect').classes('w-full sm:w-80 h-56 rounded-xl')
            ui.skeleton('rect').classes('flex-1 min-w-64 h-56 rounded-xl')
        with ui.grid().classes('w-full grid-cols-1 lg:grid-cols-2 gap-4'):
            for _ in range(4):
                ui.skeleton('rect').classes('w-full h-40 rounded-xl')

    async def load(self) -> None:
        self.audit = await call(data_audit.latest_audit, self.actor)
        history = await call(data_audit.audit_history, self.actor) if self.audit else []
        self.currency = await call(tenant_currency, self.actor.tenant_id)
        self._draw(history)

    async def run(self) -> None:
        self.body.clear()
        with self.body:
            with ui.row().classes('w-full items-center gap-3 text-primary').mark('quality-running'):
                ui.spinner(size='md')
                ui.label(t('quality.running')).classes('font-medium')
            self._skeleton()
        try:
            audit = await in_thread(data_audit.audit_now, self.actor)
        except DomainError as problem:
            with self.body:  # the clicked button is gone: speak from the page's body
                failed(problem)
            await self.load()
            return
        with self.body:
            saved('quality.done', score=audit.score)
        self.pairs_shown = PAIRS_STEP
        await self.load()

    # --- drawing ----------------------------------------------------------------------------------------------------

    def _draw(self, history: list[AuditPoint]) -> None:
        self.body.clear()
        with self.body:
            if self.audit is None:
                self._empty()
                return
            with ui.row().classes('w-full gap-4 items-stretch'):
                self._score_card()
                self._history_card(history)
            with ui.grid().classes('w-full grid-cols-1 lg:grid-cols-2 gap-4'):
                # duplicates last, across the grid: the four others pair up above it
                for component in sorted(self.audit.components, key=lambda c: c.code == 'duplicates'):
                    self._component_card(component)

    def _run_button(self) -> None:
        if self.can_run:
            ui.button(t('quality.run'), icon='play_arrow', on_click=self.run) \
                .props('unelevated no-caps').mark('quality-run')

    def _empty(self) -> None:
        with ui.card().classes('crm-card w-full p-4 items-center').mark('quality-empty'):
            empty_state(t('quality.empty_title'),
                        t('quality.empty_hint') if self.can_run else t('quality.empty_hint_reader'), icon='fact_check')
            self._run_button()

    def _score_card(self) -> None:
        audit, language = self.audit, self.language
        color = score_color(audit.score)
        with ui.card().classes('crm-card p-5 gap-3 w-full sm:w-80 items-center').mark('quality-score-card'):
            ui.label(t('quality.score_title')).classes('text-sm crm-muted self-start')
            with ui.circular_progress(value=audit.score, min=0, max=100, show_value=False, size='136px',
                                      color=color).props('thickness=0.16 track-color=grey-3 rounded'):
                with ui.column().classes('absolute-center items-center gap-0'):
                    ui.label(str(audit.score)).classes(f'text-5xl font-bold text-{color}').mark('quality-score')
                    ui.label(t('quality.out_of')).classes('text-xs crm-muted')
            self._change(audit)
            when = format_datetime(audit.created_at, language)
            by = f' · {audit.created_by_name}' if audit.created_by_name else ''
            ui.label(t('quality.run_at', date=when) + by).classes('text-xs crm-muted text-center') \
                .mark('quality-date')
            self._run_button()

    def _change(self, audit: AuditRead) -> None:
        if audit.previous_score is None:
            ui.label(t('quality.first_run')).classes('text-sm crm-muted').mark('quality-change')
            return
        delta = audit.score - audit.previous_score
        icon, color = ('arrow_upward', 'text-positive') if delta > 0 else \
            ('arrow_downward', 'text-negative') if delta < 0 else ('trending_flat', 'crm-muted')
        sign = '+' if delta > 0 else '\u2212' if delta < 0 else '±'
        with ui.row().classes('items-center gap-1 no-wrap'):
            ui.icon(icon, size='18px').classes(color)
            ui.label(t('quality.change', delta=f'{sign}{abs(delta)}')).classes(f'text-sm font-medium {color}') \
                .mark('quality-change')

    def _history_card(self, history: list[AuditPoint]) -> None:
        with ui.card().classes('crm-card p-4 gap-2 flex-1 min-w-0 basis-96').mark('quality-history'):
            figure_title(t('quality.history_title'), t('figure.quality_score'))
            labels = [_local(point.created_at) for point in history]
            chart = line_chart(labels, {t('quality.score_title'): [point.score for point in history]},
                               'chart-quality', height=220,
                               hover={t('quality.score_title'): [f'{point.score} / 100' for point in history]})
            # day/month ticks whatever the language (Plotly's month names are English), the whole 0–100 scale
            chart.figure['layout']['xaxis'].update(
                hoverformat='%d/%m/%Y %H:%M', tickformatstops=[{'dtickrange': [None, DAY_MS], 'value': '%d/%m %H:%M'},
                                                               {'dtickrange': [DAY_MS, None], 'value': '%d/%m'}])
            chart.figure['layout']['yaxis'].update(range=[0, 105])
            if len(history) == 1:  # a lone point: a few days around it, not seconds
                moment = history[0].created_at
                chart.figure['layout']['xaxis'].update(
                    range=[_local(moment - timedelta(days=2)), _local(moment + timedelta(days=2))], dtick=DAY_MS,
                    tickformat='%d/%m', tickformatstops=[])
            chart.update()
            if len(history) < 2:
                ui.label(t('quality.history_hint')).classes('text-xs crm-muted')

    def _component_card(self, component: ComponentRead) -> None:
        code, language = component.code, self.language
        wide = ' lg:col-span-2' if code == 'duplicates' else ''
        with ui.card().classes(f'crm-card p-4 gap-2 w-full min-w-0{wide}').mark(f'quality-{code}'):
            with ui.row().classes('w-full items-center gap-2 no-wrap'):
                ui.icon(ICONS[code]).classes('text-primary text-xl')
                ui.label(t(f'quality.component_{code}')).classes('font-semibold flex-1 min-w-0')
                ui.label(f'{_points(component.score, language)} / {component.weight}') \
                    .classes('font-semibold whitespace-nowrap').mark(f'quality-{code}-score')
            _bar(component.score / component.weight)
            ui.label(t(f'quality.hint_{code}')).classes('text-xs crm-muted')
            ui.label(self._summary(component)).classes('text-sm').mark(f'quality-{code}-summary')
            if code == 'duplicates':
                self.pairs_box = ui.column().classes('w-full gap-2')
                self._draw_pairs()
                return
            for key, columns in LISTS[code]:
                self._list(component, key, columns)

    def _summary(self, component: ComponentRead) -> str:
        m, language = component.metrics, self.language
        number = lambda value: format_integer(value, language)  # noqa: E731
        if component.code == 'freshness':
            text = t('quality.freshness_summary', fresh=number(m['fresh']), clients=number(m['clients']))
            sale = t('quality.no_sale') if m['days_since_last_sale'] is None else \
                t('quality.last_sale', days=number(m['days_since_last_sale']))
            return f'{text} · {sale}'
        if component.code in ('email', 'phone'):
            present = m['with_email'] if component.code == 'email' else m['with_phone']
            return t(f'quality.{component.code}_summary', present=number(present), clients=number(m['clients']),
                     invalid=number(m['invalid']))
        if component.code == 'duplicates':
            return t('quality.duplicates_summary', involved=number(m['involved']), clients=number(m['clients']),
                     share=_share(m['involved_share'], language), days=m['recent_days'])
        if not m['buyers']:
            return t('quality.diversity_no_sales', months=m['window_months'])
        if not m['products_sold']:
            return t('quality.diversity_no_lines', buyers=number(m['buyers']), months=m['window_months'])
        return t('quality.diversity_summary', multi=number(m['multi_family_buyers']), buyers=number(m['buyers']),
                 months=m['window_months'], top=number(m['top_products']), share=_share(m['top_share'], language))

    def _list(self, component: ComponentRead, key: str, columns: tuple[str, ...]) -> None:
        rows = self.audit.details.get(component.code, {}).get(key, [])
        total = component.metrics[LIST_TOTALS[key][1]] if key in LIST_TOTALS else len(rows)
        if not rows:
            return
        with ui.expansion(f'{t(f"quality.list_{key}")} ({format_integer(total, self.language)})') \
                .props('dense header-class="px-0 text-sm font-medium"').classes('w-full').mark(f'quality-list-{key}'):
            table = ui.table(columns=[self._column(name) for name in columns],
                             rows=[self._row(key, row) for row in rows], row_key='id',
                             pagination={'rowsPerPage': TABLE_ROWS}) \
                .props('flat bordered dense').classes('w-full').mark(f'quality-table-{key}')
            if len(rows) <= TABLE_ROWS:
                table.props('hide-bottom')
            if 'name' in columns:
                table.add_slot('body-cell-name', NAME_LINK)
            if total > len(rows):
                ui.label(t('quality.list_capped', n=format_integer(len(rows), self.language))) \
                    .classes('text-xs crm-muted')

    def _column(self, name: str) -> dict:
        right = name in ('families', 'revenue', 'share')
        return {'name': name, 'label': t(f'quality.col_{name}'), 'field': name, 'align': 'right' if right else 'left',
                'classes': 'whitespace-normal break-all' if name in ('email', 'name') else ''}

    def _row(self, key: str, row: dict) -> dict:
        language = self.language
        if key == 'top_products':
            return {'id': row['id'], 'product': row['name'], 'family': row['family'] or '—',
                    'revenue': format_money(Decimal(row['revenue_cents']) / 100, self.currency, language,
                                            decimals=0),
                    'share': _share(row['share'], language)}
        values = {'id': row['id'], 'name': row['name'], 'email': row.get('email') or '',
                  'phone': row.get('phone') or '', 'families': row.get('families', 0)}
        if row.get('updated_at'):
            values['updated_at'] = format_datetime(datetime.fromisoformat(row['updated_at']), language)
        return values

    # --- duplicates ---------------------------------------------------------------------------------------------

    def _pairs(self) -> list[dict]:
        return self.audit.details.get('duplicates', {}).get('pairs', [])

    def _draw_pairs(self) -> None:
        self.pairs_box.clear()
        pairs = self._pairs()
        with self.pairs_box:
            if not pairs:
                ui.label(t('quality.pairs_empty')).classes('text-sm crm-muted').mark('quality-pairs-empty')
                return
            for pair in pairs[:self.pairs_shown]:
                self._pair_row(pair)
            if len(pairs) > self.pairs_shown:
                ui.button(t('quality.show_more', n=len(pairs) - self.pairs_shown), on_click=self._more) \
                    .props('flat no-caps dense').mark('quality-pairs-more')

    def _more(self) -> None:
        self.pairs_shown += PAIRS_STEP
        self._draw_pairs()

    def _pair_row(self, pair: dict) -> None:
        first, second = pair['a'], pair['b']
        with ui.row().classes('w-full items-center gap-x-3 gap-y-1 border border-slate-200 rounded-lg px-3 py-2') \
                .mark(f'quality-pair-{first["id"]}-{second["id"]}'):
            with ui.row().classes('items-center gap-x-2 gap-y-0 w-full sm:w-auto sm:flex-1 min-w-0'):
                ui.link(first['name'], f'/clients/{first["id"]}').classes('font-medium text-primary no-underline '
                                                                         'break-words min-w-0')
                ui.icon('sync_alt', size='xs').classes('text-slate-400')
                ui.link(second['name'], f'/clients/{second["id"]}').classes('font-medium text-primary no-underline '
                                                                           'break-words min-w-0')
            with ui.row().classes('items-center gap-1 flex-1 sm:flex-none'):
                for reason in pair['reasons']:
                    ui.badge(t(f'quality.reason_{reason}', similarity=pair['similarity'])) \
                        .props('outline color=primary rounded')
                if 'name' not in pair['reasons']:
                    ui.label(t('quality.similarity', similarity=pair['similarity'])).classes('text-xs crm-muted')
            if self.can_run:
                ui.button(t('quality.merge'), icon='call_merge', on_click=lambda p=pair: self._merge(p)) \
                    .props('flat dense no-caps color=primary').mark(f'merge-{first["id"]}-{second["id"]}')

    async def _merge(self, pair: dict) -> None:
        kept = await merge_pair(self.actor, pair['a']['id'], pair['b']['id'])
        if kept is None:
            return
        gone = pair['b']['id'] if kept.id == pair['a']['id'] else pair['a']['id']
        left = [p for p in self._pairs() if gone not in (p['a']['id'], p['b']['id'])]
        self.audit.details['duplicates']['pairs'] = left
        self._draw_pairs()


def _bar(ratio: float) -> None:
    """A component's points as a filled bar (a plain element: a progress bar would read as «still loading»)."""
    color = score_color(100 * ratio)
    with ui.element('div').classes('w-full h-2 rounded-full bg-slate-200 overflow-hidden'):
        ui.element('div').classes(f'h-full rounded-full bg-{color}').style(f'width: {max(0.0, min(1.0, ratio)):.1%}')


def _local(moment: datetime) -> str:
    """A run's moment as Plotly reads a date axis, in the firm's time zone."""
    return moment.astimezone(DISPLAY_ZONE).strftime('%Y-%m-%d %H:%M:%S')


def register() -> None:
    @member_page(PATH)
    async def quality_page(actor: Actor) -> None:
        with frame(actor, t('nav.data_quality'), path=PATH, subtitle=t('quality.subtitle')):
            screen = QualityScreen(actor)
        await screen.load()
