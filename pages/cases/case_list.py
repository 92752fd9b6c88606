"""Cases › list: paged on the server, filtered by type, status, priority, assignee, client, overdue."""

import asyncio
import contextlib

from nicegui import app, ui

from components.badges import RISK_COLORS
from components.filter_bar import filter_bar
from components.formatting import format_date
from components.paged_table import TableQuery, paged_table
from db.models import CasePriority, CaseStatus, CaseType
from pages.cases.case_form import enum_options, open_case_dialog
from services import cases as cases_service
from services import clients as clients_service
from services.actor import Actor
from services.ai import analyses
from services.cases import CaseFilter
from services.errors import DomainError
from services.paging import PageRequest
from services.users import user_choices
from ui.data import call
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

FILTERS_KEY = 'cases_filters'
FILTER_NAMES = ('search', 'case_type', 'status', 'priority', 'assignee_id', 'client_id', 'overdue')


def view_switch(current: str) -> None:
    with ui.button_group().props('flat'):
        for name, icon, path in (('list', 'view_list', '/cases'), ('board', 'view_kanban', '/cases/board')):
            label = t(f'cases.view_{name}')
            with ui.button(icon=icon, on_click=lambda p=path: ui.navigate.to(p)) \
                    .props(f'aria-label="{label}"').mark(f'view-{name}') as button:
                ui.label(label).classes('ml-2 max-sm:hidden')  # a phone shows the icons alone
            button.props('unelevated' if name == current else 'outline')


def risk_cells(risk: tuple[str, int] | None) -> dict:
    """The risk column of a row: the latest analysis's level and score, coloured like everywhere else."""
    if risk is None:
        return {'risk': '', 'risk_level': None, 'risk_color': None}
    level, score = risk
    return {'risk': f'{t(f"risk.{level}")} · {score}', 'risk_level': level, 'risk_color': RISK_COLORS[level]}


def _columns() -> list[dict]:
    return [
        {'name': 'reference', 'label': t('case.reference'), 'field': 'reference', 'align': 'left', 'sortable': True},
        {'name': 'title', 'label': t('case.title'), 'field': 'title', 'align': 'left', 'sortable': True,
         'style': 'white-space: normal; min-width: 200px'},
        {'name': 'client', 'label': t('case.client'), 'field': 'client', 'align': 'left',
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
        {'name': 'case_type', 'label': t('case.case_type'), 'field': 'case_type', 'align': 'left',
         'classes': 'gt-md', 'headerClasses': 'gt-md'},
        {'name': 'status', 'label': t('case.status'), 'field': 'status', 'align': 'left', 'sortable': True},
        {'name': 'priority', 'label': t('case.priority'), 'field': 'priority', 'align': 'left', 'sortable': True},
        {'name': 'assignee', 'label': t('case.assignee'), 'field': 'assignee', 'align': 'left',
         'classes': 'gt-lg', 'headerClasses': 'gt-lg'},
        {'name': 'due_date', 'label': t('case.due_date'), 'field': 'due', 'align': 'left', 'sortable': True},
        {'name': 'risk', 'label': t('case.risk'), 'field': 'risk', 'align': 'left',
         'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
    ]


RISK_SLOT = r'''
<q-td :props="props">
  <q-badge v-if="props.row.risk_level" :color="props.row.risk_color" rounded class="px-2 py-1"
           :data-risk="props.row.risk_level" :label="props.row.risk" />
  <span v-else class="text-grey-5">—</span>
</q-td>
'''


def _filter_choices(session, actor: Actor, client_id: int | None) -> tuple[dict, dict]:
    """Assignees, and clients to filter by: the latest ones, and the one asked for (from a client's page)."""
    clients = dict(clients_service.client_names(session, actor, ''))
    if client_id and client_id not in clients:
        with contextlib.suppress(DomainError):  # not this tenant's, or gone: the filter is dropped
            clients[client_id] = clients_service.get_client(session, actor, client_id).name
    return user_choices(session, actor), clients


def _page_and_risks(session, actor: Actor, filters: CaseFilter, page: PageRequest) -> tuple:
    """A page of cases and their latest risk levels, read in one unit of work."""
    cases = cases_service.list_cases(session, actor, filters, page)
    return cases, analyses.risks_of(session, actor.tenant_id, [c.id for c in cases.items])


class CasesScreen:
    def __init__(self, actor: Actor, client_id: int | None) -> None:
        self.actor, self.language = actor, current_language()
        stored = app.storage.user.get(FILTERS_KEY) or {}
        self.filters = {name: stored.get(name) for name in FILTER_NAMES}
        if client_id is not None:
            self.filters['client_id'] = client_id

    async def build(self) -> None:
        """The table at once, its first page and the filters' choices read side by side (see the client list)."""
        with ui.row().classes('w-full items-center gap-3'):
            view_switch('list')
            ui.space()
            if self.actor.can_write:
                ui.button(t('cases.new'), icon='add', on_click=self.new_case).props('unelevated') \
                    .mark('cases-new')
        self.bar = filter_bar(t('filters.button'))
        self.bar.placeholders(lead=1, folded=5)
        self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=50,
                                 no_data_label=t('cases.empty'),
                                 phone_columns=['reference', 'title', 'status', 'due_date', 'risk']) \
            .mark('cases-table').classes('cursor-pointer')
        self.table.add_slot('body-cell-risk', RISK_SLOT)
        self.table.on('rowClick', lambda e: ui.navigate.to(f'/cases/{e.args[1]["id"]}'))
        (assignees, clients), _ = await asyncio.gather(
            call(_filter_choices, self.actor, self.filters['client_id']), self.table.load(page=1))
        dropped = [name for name, options in (('assignee_id', assignees), ('client_id', clients))
                   if self.filters[name] is not None and self.filters[name] not in options]
        for name in dropped:  # no longer an option (a deactivated user, a deleted client): the filter goes
            self.filters[name] = None
        self._draw_filters(assignees, clients)
        if dropped:
            self._save_filters()
            await self.table.load(page=1)

    def _draw_filters(self, assignees: dict, clients: dict) -> None:
        bar = self.bar
        bar.reset()
        with bar.lead:
            self._bind(ui.input(placeholder=t('cases.search'), value=self.filters['search'] or '')
                       .props('outlined dense clearable debounce=300').classes('w-full sm:w-56')
                       .mark('cases-search'), 'search')
        with bar.folded:
            for options, label_key, name in ((enum_options(CaseType, 'case_type'), 'case.case_type', 'case_type'),
                                             (enum_options(CaseStatus, 'case_status'), 'case.status', 'status'),
                                             (enum_options(CasePriority, 'priority'), 'case.priority', 'priority'),
                                             (assignees, 'case.assignee', 'assignee_id'),
                                             (clients, 'case.client', 'client_id')):
                bar.track(self._bind(self._select(options, label_key, name), name))
            bar.track(self._bind(ui.checkbox(t('cases.overdue_only'), value=bool(self.filters['overdue']))
                                 .mark('filter-overdue'), 'overdue'))

    def _save_filters(self) -> None:
        app.storage.user[FILTERS_KEY] = {k: v for k, v in self.filters.items() if k != 'client_id'}

    def _select(self, options: dict, label_key: str, name: str) -> ui.select:
        return ui.select(options, label=t(label_key), value=self.filters[name], clearable=True) \
            .props('outlined dense').classes('w-full sm:w-40').mark(f'filter-{name}')

    def _bind(self, element, name: str):
        async def changed(event) -> None:
            self.filters[name] = event.value or None
            self._save_filters()
            await self.table.load(page=1)
        element.on_value_change(changed)
        return element

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        f = self.filters
        filters = CaseFilter(search=f['search'] or '', case_type=f['case_type'], status=f['status'],
                             priority=f['priority'], assignee_id=f['assignee_id'], client_id=f['client_id'],
                             overdue=bool(f['overdue']), sort=query.sort_by or 'updated_at',
                             descending=query.descending if query.sort_by else True)
        page, risks = await call(_page_and_risks, self.actor, filters,
                                 PageRequest(limit=query.rows_per_page, offset=query.offset))
        rows = [{'id': c.id, 'reference': c.reference, 'title': c.title, 'client': c.client_name,
                 'case_type': t(f'case_type.{c.case_type}'), 'status': t(f'case_status.{c.status}'),
                 'priority': t(f'priority.{c.priority}'), 'assignee': c.assignee_name or '—',
                 'due': format_date(c.due_date, self.language) + (' ⚠' if c.is_overdue else ''),
                 **risk_cells(risks.get(c.id))}
                for c in page.items]
        return rows, page.total

    async def new_case(self, client_id: int | None = None) -> None:
        await open_case_dialog(self.actor, client_id=client_id,
                               on_saved=lambda case: ui.navigate.to(f'/cases/{case.id}'))


def register() -> None:
    @member_page('/cases')
    async def cases_page(actor: Actor, new: bool = False, client_id: int | None = None) -> None:
        with frame(actor, t('nav.cases'), path='/cases', subtitle=t('cases.subtitle')):
            screen = CasesScreen(actor, client_id)
            await screen.build()
        if new and actor.can_write:
            await screen.new_case(client_id)
