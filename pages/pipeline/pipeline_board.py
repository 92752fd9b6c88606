"""Pipeline: a kanban of clients by stage (drag and drop, "next stage"), and the pipeline's statistics."""

from datetime import timedelta
from itertools import pairwise

from nicegui import ui

from components.charts import bar_chart, donut_chart
from components.empty_state import empty_state
from components.figure_title import figure_title
from components.filter_bar import filter_bar
from components.formatting import format_days, format_integer
from components.kanban import KanbanColumn, kanban_board
from components.lazy_tabs import lazy_tabs
from components.poller import Poller
from db.models import utcnow
from services import clients as clients_service
from services import pipeline as pipeline_service
from services.actor import Actor
from services.clock import today
from services.errors import DomainError
from services.pipeline import BOARD_PAGE, PipelineCard, PipelineFilter
from services.users import user_choices
from ui.data import call
from ui.feedback import failed, saved
from ui.first_data import data_shown
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

POLL_SECONDS = 5.0
PERIODS = (30, 90, 365)


def stage_moved(name: str, stage: str) -> None:
    saved('pipeline.moved', name=name, stage=stage)


def _board_and_stamp(session, actor: Actor, filters: PipelineFilter, limits: dict[int, int]) -> tuple:
    """The columns and the stamp they match, read in one unit of work."""
    return (pipeline_service.board(session, actor, filters, limits), pipeline_service.board_stamp(session, actor))


def _filter_choices(session, actor: Actor) -> tuple:
    """The client types and owners the board filters by, read in one unit of work."""
    return clients_service.list_client_types(session, actor), user_choices(session, actor)


class PipelineBoard:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.filters = PipelineFilter()
        self.limits: dict[int, int] = {}
        self.forward: dict[int, int] = {}  # stage id → the next forward stage id
        self.stamp: tuple | None = None

    def build(self) -> None:
        """The filters and the board's skeleton, at once; `load` brings the cards, then the filters' choices."""
        with filter_bar(t('filters.button')) as bar, bar.folded:
            self.types = bar.track(ui.select({}, label=t('client.client_type'), clearable=True,
                                             on_change=lambda e: self._filter(client_type=e.value))
                                   .props('outlined dense').classes('w-full sm:w-44').mark('pipeline-type'))
            self.owners = bar.track(ui.select({}, label=t('client.owner'), clearable=True,
                                              on_change=lambda e: self._filter(owner_id=e.value))
                                    .props('outlined dense').classes('w-full sm:w-44').mark('pipeline-owner'))
        self.board = kanban_board(on_move=self._move, on_more=self._more, more_label=t('board.more'),
                                  empty_label=t('pipeline.empty_column'), move_label=t('board.move_to'),
                                  next_label=t('pipeline.next_stage'), can_move=self.actor.can_write) \
            .mark('pipeline-board')

    async def load(self) -> None:
        await self.refresh()
        data_shown()
        types, owners = await call(_filter_choices, self.actor)
        self.types.set_options(types)
        self.owners.set_options(owners)
        self.poller = Poller(POLL_SECONDS, self._poll, self.board)  # other users' moves, while the board is seen
        self.poller.active = True

    def _card_data(self, card: PipelineCard) -> dict:
        now = utcnow()
        in_stage = (now - card.stage_entered_at).total_seconds() / 86400 if card.stage_entered_at else 0
        last = (now - card.last_interaction_at).total_seconds() / 86400 if card.last_interaction_at else None
        meta = [{'icon': 'schedule', 'text': format_days(in_stage, self.language),
                 'tooltip': t('pipeline.in_stage_since')}]
        if last is not None:
            meta.append({'icon': 'forum', 'text': format_days(last, self.language),
                         'tooltip': t('pipeline.last_contact')})
        next_stage = self.forward.get(card.stage_id)
        return {'id': card.id, 'version': card.version, 'column': str(card.stage_id), 'href': f'/clients/{card.id}',
                'title': card.name, 'subtitle': ' · '.join(p for p in (card.client_type, card.city) if p),
                'meta': meta, 'next': str(next_stage) if next_stage else None,
                'avatar': {'text': card.owner_name[:1].upper(), 'tooltip': card.owner_name}
                if card.owner_name else None}

    async def refresh(self) -> None:
        columns, self.stamp = await call(_board_and_stamp, self.actor, self.filters, self.limits)
        forward = [c.stage.id for c in columns if not c.stage.is_lost]
        self.forward = dict(pairwise(forward))
        self.board.show([KanbanColumn(str(c.stage.id), c.stage.name, c.total,
                                      [self._card_data(card) for card in c.cards]) for c in columns])

    async def _poll(self) -> None:
        stamp = await call(pipeline_service.board_stamp, self.actor)
        if stamp != self.stamp:
            await self.refresh()

    async def _filter(self, **changes) -> None:
        self.filters = PipelineFilter(**{**self.filters.__dict__, **changes})
        await self.refresh()

    async def _more(self, key: str) -> None:
        self.limits[int(key)] = self.limits.get(int(key), BOARD_PAGE) + BOARD_PAGE
        await self.refresh()

    async def _move(self, card: dict, key: str) -> None:
        if not self.actor.can_write:
            failed(DomainError('error.read_only'))
            return
        try:
            stage = await call(pipeline_service.move_client, self.actor, card['id'], int(key), card['version'])
        except DomainError as problem:
            failed(problem)
        else:
            stage_moved(card['title'], stage.name)
        await self.refresh()


class PipelineStatsView:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.days = 90
        with ui.row().classes('w-full items-center gap-3'):
            ui.label(t('pipeline.period')).classes('crm-muted')
            ui.toggle({days: t('pipeline.last_days', n=days) for days in PERIODS}, value=self.days,
                      on_change=self._period).props('unelevated toggle-color=primary').mark('stats-period')
        self.box = ui.column().classes('w-full gap-4')
        with self.box:
            ui.skeleton('rect').classes('w-full h-64')

    async def _period(self, event) -> None:
        self.days = event.value
        await self.refresh()

    async def refresh(self) -> None:
        end = today()
        stats = await call(pipeline_service.pipeline_stats, self.actor, end - timedelta(days=self.days - 1), end)
        self.box.clear()
        with self.box:
            with ui.row().classes('w-full gap-4'):
                with ui.card().classes('crm-card flex-1 min-w-0 basis-80 p-4'):
                    figure_title(t('pipeline.by_stage'), t('figure.pipeline_by_stage'))
                    bar_chart([name for name, _ in stats.by_stage], [n for _, n in stats.by_stage], 'chart-stages')
                with ui.card().classes('crm-card flex-1 min-w-0 basis-80 p-4'):
                    figure_title(t('pipeline.by_type'), t('figure.pipeline_by_type'))
                    by_type = [(name or t('pipeline.no_type'), n) for name, n in stats.by_type]
                    bar_chart([name for name, _ in by_type], [n for _, n in by_type], 'chart-types')
            with ui.row().classes('w-full gap-4'):
                with ui.card().classes('crm-card flex-1 min-w-0 basis-80 p-4'):
                    figure_title(t('pipeline.conversions'), t('figure.pipeline_conversions'))
                    ui.label(t('pipeline.conversions_hint', n=self.days)).classes('text-xs crm-muted')
                    if any(c.entered for c in stats.conversions):
                        bar_chart([f'{c.from_stage} → {c.to_stage}' for c in stats.conversions],
                                  [round(c.rate * 100, 1) for c in stats.conversions], 'chart-conversions',
                                  texts=[f'{c.rate:.0%} ({c.advanced}/{c.entered})' for c in stats.conversions])
                    else:
                        empty_state(t('pipeline.no_moves'), t('pipeline.no_moves_hint'), icon='trending_flat')
                with ui.card().classes('crm-card flex-1 min-w-0 basis-80 p-4'):
                    figure_title(t('pipeline.activity'), t('figure.pipeline_status'))
                    donut_chart([t('client_status.active'), t('client_status.inactive')],
                                [stats.active, stats.inactive], 'chart-active')
            ui.label(t('pipeline.totals', active=format_integer(stats.active, self.language),
                       inactive=format_integer(stats.inactive, self.language))).classes('text-sm crm-muted')


def register() -> None:
    @member_page('/pipeline')
    async def pipeline_page(actor: Actor, tab: str = 'board') -> None:
        with frame(actor, t('nav.pipeline'), path='/pipeline', subtitle=t('pipeline.subtitle')):
            tabs = ui.tabs().classes('w-full text-slate-700').props('align=left inline-label')
            with tabs:
                ui.tab('board', t('pipeline.tab_board'), icon='view_kanban').mark('tab-board')
                ui.tab('stats', t('pipeline.tab_stats'), icon='insights').mark('tab-stats')
            shown = 'stats' if tab == 'stats' else 'board'
            with ui.tab_panels(tabs, value=shown).classes('w-full bg-transparent').props('keep-alive') as panels:
                with ui.tab_panel('board').classes('p-0 pt-2 gap-3'):
                    board = PipelineBoard(actor)
                    board.build()
                with ui.tab_panel('stats').classes('p-0 pt-2 gap-3'):
                    stats = PipelineStatsView(actor)
        await lazy_tabs(panels, {'board': [board.load], 'stats': [stats.refresh]}).start()
