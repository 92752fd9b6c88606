"""Analytics › Recommendations: every client's recommendations, by scenario (tabs with their counts), searchable by
client, to act on one after the other; managers and admins may recompute them from the latest profiles."""

from nicegui import ui

from pages.analytics.recommendation_widgets import SCENARIO_STYLES, RecommendationList
from services.actor import Actor
from services.analytics import recommendation_actions as service
from services.analytics.recommendations import SCENARIOS
from services.errors import DomainError
from ui.data import call
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame

PATH = '/analytics/recommendations'
ALL = 'all'
STATUSES = ('open', 'done', 'dismissed')


class RecommendationsScreen:
    def __init__(self, actor: Actor, scenario: str | None) -> None:
        self.actor = actor
        self.scenario = scenario if scenario in SCENARIOS else None
        self.status, self.search = 'open', ''
        self.badges: dict[str, ui.badge] = {}

    async def build(self) -> None:
        with ui.row().classes('w-full items-center gap-2 sm:gap-3 no-wrap'):
            search = ui.input(placeholder=t('reco.search'), on_change=self._search) \
                .props('outlined dense clearable debounce=300').classes('flex-1 min-w-0 sm:flex-none sm:w-64') \
                .mark('reco-search')
            with search.add_slot('prepend'):
                ui.icon('search', size='xs')
            ui.select({status: t(f'reco.status.{status}') for status in STATUSES}, value=self.status,
                      label=t('reco.status_filter'), on_change=self._status) \
                .props('outlined dense').classes('w-32 sm:w-40 shrink-0').mark('reco-status')
            ui.space().classes('gt-xs')
            if self.actor.role in ('admin', 'manager'):
                with ui.button(icon='refresh', on_click=self._generate) \
                        .props(f'outline no-caps aria-label="{t("reco.generate")}"').classes('shrink-0') \
                        .tooltip(t('reco.generate_hint')).mark('reco-generate'):
                    ui.label(t('reco.generate')).classes('gt-xs ml-1')
        with ui.tabs(value=self.scenario or ALL, on_change=self._tab) \
                .props('inline-label outside-arrows mobile-arrows no-caps align=left dense') \
                .classes('w-full text-slate-700 border-b border-slate-200').mark('reco-tabs'):
            for name in (ALL, *SCENARIOS):
                color, _ = SCENARIO_STYLES.get(name, ('primary', 'recommend'))
                with ui.tab(name, t('reco.all') if name == ALL else t(f'scenario.{name}')).mark(f'reco-tab-{name}'):
                    self.badges[name] = ui.badge('…').props(f'color={color}-1 text-color={color}-9 rounded') \
                        .classes('ml-2').mark(f'reco-tab-count-{name}')
        self.hint = ui.label('').classes('text-sm crm-muted').mark('reco-hint')
        self._show_hint()
        self.list = RecommendationList(self.actor, scenario=self.scenario, on_change=self.refresh_counts)
        await self.refresh_counts()
        await self.list.load(1)

    def _show_hint(self) -> None:
        self.hint.set_text(t(f'scenario_hint.{self.scenario}') if self.scenario else t('reco.subtitle'))

    async def refresh_counts(self) -> None:
        counts = await call(service.counts_by_scenario, self.actor, status=self.status)
        for name, badge in self.badges.items():
            badge.set_text(str(sum(counts.values()) if name == ALL else counts.get(name, 0)))

    async def _tab(self, event) -> None:
        self.scenario = None if event.value == ALL else event.value
        self._show_hint()
        await self.list.show(scenario=self.scenario)

    async def _status(self, event) -> None:
        self.status = event.value or 'open'
        await self.refresh_counts()
        await self.list.show(scenario=self.scenario, status=self.status)

    async def _search(self, event) -> None:
        self.search = event.value or ''
        await self.list.show(scenario=self.scenario, search=self.search)

    async def _generate(self, event) -> None:
        button = event.sender
        button.props('loading')
        try:
            counts = await call(service.regenerate, self.actor)
        except DomainError as problem:
            failed(problem)
            return
        finally:
            button.props(remove='loading')
        saved('reco.generated', total=sum(counts.values()))
        await self.refresh_counts()
        await self.list.load(1)


def register() -> None:
    @member_page(PATH)
    async def recommendations_page(actor: Actor, scenario: str | None = None) -> None:
        with frame(actor, t('nav.recommendations'), path=PATH):
            await RecommendationsScreen(actor, scenario).build()
