"""Recommendations as cards (seed 002's scenarios), on the recommendations page and on a client's page: what to offer,
why, how strongly, and the four ways to act on it — plan a call, log an exchange, mark done, dismiss.

Dismissing asks nothing: the card gives way to a line with «Annuler» (a dismissal is undone in one click, and a
confirmation dialog for a reversible, frequent action only slows the seller down).
"""

import math
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

from nicegui import ui

from components.badges import chip
from components.empty_state import empty_state
from components.formatting import format_date, format_money
from db.models import InteractionType
from pages.activities.interaction_forms import notify
from services.actor import Actor
from services.analytics import recommendation_actions as service
from services.analytics.recommendation_actions import RecommendationFilter, RecommendationRead
from services.clock import today
from services.errors import DomainError
from services.paging import PageRequest
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t
from ui.messages import message_text

PAGE_SIZE = 10
TASK_DELAY_DAYS = 3
LOG_TYPES = (InteractionType.CALL, InteractionType.EMAIL, InteractionType.MEETING)
SCENARIO_STYLES = {  # colour and icon of each scenario
    'nurture': ('teal', 'spa'), 'winback': ('deep-orange', 'restart_alt'), 'rebuy': ('indigo', 'autorenew'),
    'cross_sell': ('purple', 'hub'), 'upsell': ('green', 'trending_up')}
Changed = Callable[[], Awaitable[None] | None]


def scenario_chip(scenario: str) -> ui.badge:
    color, _ = SCENARIO_STYLES.get(scenario, ('grey', 'recommend'))
    return chip(t(f'scenario.{scenario}'), f'{color}-7').mark(f'scenario-{scenario}')


def score_bar(score: int) -> None:
    """The score as a short bar (a plain div: not a progress bar, which would read as «loading»)."""
    color = 'bg-green-600' if score >= 70 else 'bg-amber-500' if score >= 40 else 'bg-slate-400'
    with ui.column().classes('gap-1 items-end shrink-0').tooltip(t('reco.score_hint')):
        ui.label(t('reco.score', score=score)).classes('text-xs crm-muted whitespace-nowrap')
        with ui.element('div').classes('w-20 h-1.5 rounded-full bg-slate-200 overflow-hidden'):
            ui.element('div').classes(f'h-full rounded-full {color}').style(f'width: {score}%')


def _secondary(label: str, icon: str, on_click, color: str = 'primary') -> ui.button:
    """A flat action button whose label hides on phones (the icon and its tooltip stay): four actions fit a row."""
    with ui.button(icon=icon, on_click=on_click).props(f'flat dense no-caps color={color} aria-label="{label}"') \
            .tooltip(label) as button:
        ui.label(label).classes('gt-xs ml-1')
    return button


class RecommendationList:
    """A page of recommendations (of the tenant, or of one client), best score first, with their actions."""

    def __init__(self, actor: Actor, *, client_id: int | None = None, scenario: str | None = None,
                 status: str = 'open', search: str = '', page_size: int = PAGE_SIZE,
                 on_change: Changed | None = None) -> None:
        self.actor, self.client_id, self.scenario, self.status, self.search = actor, client_id, scenario, status, search
        self.page_size, self.on_change, self.language = page_size, on_change, current_language()
        self.page, self.total = 1, 0
        self._latest = 0
        with ui.column().classes('w-full gap-3').mark('recommendation-list') as self.root:
            self.box = ui.column().classes('w-full gap-3')
            with self.box:
                for _ in range(3):
                    ui.skeleton('rect', height='7rem').classes('w-full rounded-xl')
            self.footer = ui.row().classes('w-full items-center gap-3')

    # --- loading ---------------------------------------------------------------------------------------------------

    async def show(self, *, scenario: str | None = None, status: str | None = None, search: str | None = None) -> None:
        """Change the filters and go back to the first page."""
        self.scenario = scenario
        self.status = status or self.status
        self.search = self.search if search is None else search
        await self.load(1)

    async def load(self, page: int | None = None) -> None:
        self.page = page or self.page
        self._latest += 1
        this_load = self._latest
        filters = RecommendationFilter(scenario=self.scenario, client_id=self.client_id, status=self.status,
                                       search=self.search)
        try:
            result = await call(service.list_recommendations, self.actor, filters,
                                PageRequest(limit=self.page_size, offset=(self.page - 1) * self.page_size))
        except DomainError as problem:
            failed(problem)
            return
        if this_load != self._latest:  # a newer filter was asked meanwhile: its answer wins
            return
        if not result.items and result.total and self.page > 1:  # the last item of the last page was handled
            await self.load(math.ceil(result.total / self.page_size))
            return
        self.total = result.total
        self.box.clear()
        with self.box:
            if not result.items:
                self._empty()
            for item in result.items:
                self._card(item)
        self._footer()

    def _empty(self) -> None:
        if self.client_id is not None:
            empty_state(t('reco.empty_client'), t('reco.empty_client_hint'), icon='recommend').mark('reco-empty')
        else:
            empty_state(t('reco.empty'), t('reco.empty_hint'), icon='recommend').mark('reco-empty')

    def _footer(self) -> None:
        self.footer.clear()
        if not self.total:
            return
        pages = math.ceil(self.total / self.page_size)
        with self.footer:
            ui.label(t('reco.count', n=self.total)).classes('text-sm crm-muted').mark('reco-count')
            ui.space()
            if pages > 1:
                ui.pagination(1, pages, direction_links=True, value=self.page,
                              on_change=lambda e: self.load(e.value)).props('max-pages=5 boundary-numbers') \
                    .mark('reco-pages')

    async def _changed(self) -> None:
        await self.load()
        await notify(self.on_change)

    # --- one recommendation ----------------------------------------------------------------------------------------

    def _card(self, item: RecommendationRead) -> None:
        color, icon = SCENARIO_STYLES.get(item.scenario, ('grey', 'recommend'))
        with ui.card().classes('crm-card w-full p-4 gap-2').mark(f'reco-{item.id}') as card:
            with ui.row().classes('w-full items-start gap-3 no-wrap'):
                ui.avatar(icon, color=f'{color}-1', text_color=f'{color}-9', size='md').props('font-size=0.9rem') \
                    .classes('gt-xs')
                with ui.column().classes('gap-1 flex-1 min-w-0'):
                    with ui.row().classes('items-center gap-2 w-full no-wrap'):
                        scenario_chip(item.scenario)
                        if self.client_id is None:
                            ui.link(item.client_name, f'/clients/{item.client_id}') \
                                .classes('font-medium text-primary no-underline truncate min-w-0').mark('reco-client')
                        ui.space()
                        score_bar(item.score)
                    with ui.row().classes('items-baseline gap-x-2 gap-y-0 w-full'):
                        ui.label(item.product_name).classes('font-semibold break-words').mark('reco-product')
                        details = [item.product_family, item.product_sku,
                                   format_money(item.product_price_cents / 100, item.currency, self.language)]
                        ui.label(' · '.join(p for p in details if p)).classes('text-xs crm-muted')
                    ui.label(message_text(item.reason_message, self.language)) \
                        .classes('text-sm text-slate-700 break-words').mark('reco-reason')
            if item.status == 'open':
                self._actions(item, card)
            else:
                self._closed(item)

    def _actions(self, item: RecommendationRead, card: ui.card) -> None:
        if not self.actor.can_write:
            return
        with ui.row().classes('w-full items-center justify-end gap-1 no-wrap'):
            _secondary(t('reco.action.dismiss'), 'close', lambda: self._dismiss(item, card), 'grey-8') \
                .mark(f'reco-dismiss-{item.id}')
            _secondary(t('reco.action.done'), 'check', lambda: self._done(item, card)).mark(f'reco-done-{item.id}')
            _secondary(t('reco.action.log'), 'add_comment', lambda: self._log_dialog(item)) \
                .mark(f'reco-log-{item.id}')
            ui.button(t('reco.action.task'), icon='event', on_click=lambda: self._task_dialog(item)) \
                .props('unelevated dense no-caps').classes('px-3').mark(f'reco-task-{item.id}')

    def _closed(self, item: RecommendationRead) -> None:
        with ui.row().classes('w-full items-center gap-2'):
            when = format_date(item.acted_at.date(), self.language) if item.acted_at else '—'
            ui.label(t('reco.acted', status=t(f'reco.status.{item.status}'), date=when)).classes('text-xs crm-muted')
            ui.space()
            if item.interaction_id is not None:
                ui.label(t('reco.became_interaction')).classes('text-xs crm-muted')
            elif self.actor.can_write:
                ui.button(t('reco.action.reopen'), icon='undo', on_click=lambda: self._undo(item)) \
                    .props('flat dense no-caps').mark(f'reco-reopen-{item.id}')

    # --- actions ---------------------------------------------------------------------------------------------------

    async def _set_aside(self, item: RecommendationRead, card: ui.card, action, text_key: str,
                         toast_key: str) -> None:
        """Dismiss or mark done: the card gives way to a one-line reminder with an undo button."""
        try:
            await call(action, self.actor, item.id)
        except DomainError as problem:
            failed(problem)
            await self.load()
            return
        card.clear()
        card.classes(remove='p-4', add='px-4 py-2')
        with card, ui.row().classes('w-full items-center gap-2 no-wrap').mark(f'reco-set-aside-{item.id}'):
            ui.icon('check_circle' if action is service.mark_done else 'visibility_off', size='xs').classes('crm-muted')
            text = t(text_key, product=item.product_name)
            ui.label(text if self.client_id is not None else f'{text} · {item.client_name}') \
                .classes('text-sm crm-muted flex-1 truncate')
            ui.button(t('reco.action.undo'), on_click=lambda: self._undo(item)).props('flat dense no-caps') \
                .mark(f'reco-undo-{item.id}')
        saved(toast_key)
        await notify(self.on_change)

    async def _dismiss(self, item: RecommendationRead, card: ui.card) -> None:
        await self._set_aside(item, card, service.dismiss, 'reco.inline.dismissed', 'reco.dismissed_toast')

    async def _done(self, item: RecommendationRead, card: ui.card) -> None:
        await self._set_aside(item, card, service.mark_done, 'reco.inline.done', 'reco.done_toast')

    async def _undo(self, item: RecommendationRead) -> None:
        try:
            await call(service.reopen, self.actor, item.id)
        except DomainError as problem:
            failed(problem)
        else:
            saved('reco.reopened')
        await self._changed()

    def _task_dialog(self, item: RecommendationRead) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
            ui.label(t('reco.task_dialog')).classes('text-lg font-semibold')
            ui.label(t('reco.task_title', product=item.product_name)).classes('font-medium')
            due = ui.input(t('reco.task_due'), value=(today() + timedelta(days=TASK_DELAY_DAYS)).isoformat()) \
                .props(f'outlined dense type=date min={today().isoformat()}').classes('w-full').mark('reco-task-due')
            ui.label(t('reco.task_hint')).classes('text-xs crm-muted')
            note = ui.textarea(t('reco.note')).props('outlined dense autogrow maxlength=2000').classes('w-full') \
                .mark('reco-task-note')
            error = ui.label('').classes('text-negative text-sm').mark('reco-task-error')

            async def plan() -> None:
                try:
                    day = date.fromisoformat(due.value or '')
                except ValueError:
                    error.set_text(t('error.date_invalid'))
                    return
                try:
                    await call(service.to_task, self.actor, item.id, due=day, wording=message_text,
                               note=note.value or '')
                except DomainError as problem:
                    error.set_text(t(problem.key, **problem.params))
                    return
                dialog.close()
                saved('reco.task_created', date=format_date(day, self.language),
                      title=t('reco.task_title', product=item.product_name))
                await self._changed()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('reco.plan'), icon='event', on_click=plan).props('unelevated').mark('reco-task-save')
        dialog.open()

    def _log_dialog(self, item: RecommendationRead) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
            ui.label(t('reco.log_dialog')).classes('text-lg font-semibold')
            ui.label(t('reco.log_title', product=item.product_name)).classes('font-medium')
            kind = ui.toggle({k.value: t(f'interaction_type.{k.value}') for k in LOG_TYPES},
                             value=InteractionType.CALL.value).props('no-caps spread').classes('w-full') \
                .mark('reco-log-type')
            note = ui.textarea(t('reco.note')).props('outlined dense autogrow maxlength=2000').classes('w-full') \
                .mark('reco-log-note')
            error = ui.label('').classes('text-negative text-sm').mark('reco-log-error')

            async def log() -> None:
                try:
                    await call(service.log_interaction, self.actor, item.id, type=kind.value, wording=message_text,
                               note=note.value or '')
                except DomainError as problem:
                    error.set_text(t(problem.key, **problem.params))
                    return
                dialog.close()
                saved('reco.logged', title=t('reco.log_title', product=item.product_name))
                await self._changed()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('reco.log'), icon='add_comment', on_click=log).props('unelevated').mark('reco-log-save')
        dialog.open()


async def client_recommendations(actor: Actor, client_id: int, *, on_change: Changed | None = None,
                                  ) -> RecommendationList:
    """A client's open recommendations, titled, for the client page's «Ventes» tab; loaded before returning."""
    with ui.column().classes('w-full gap-2').mark('client-recommendations'):
        with ui.row().classes('w-full items-center gap-2'):
            ui.icon('recommend').classes('text-primary')
            ui.label(t('reco.section')).classes('font-semibold')
        recommendations = RecommendationList(actor, client_id=client_id, page_size=5, on_change=on_change)
    await recommendations.load(1)
    return recommendations
