"""Clients › list: server-side paging, sorting, search and filters that the user finds as left; new client."""

import asyncio
import inspect

from nicegui import app, ui

from components.client_form import ClientForm, ClientFormChoices, ClientFormLabels
from components.contact_links import link_cell, mailto_href, tel_href
from components.filter_bar import filter_bar
from components.formatting import format_date
from components.paged_table import TableQuery, paged_table
from db.models import ClientKind, ClientStatus
from services import clients as clients_service
from services.actor import Actor
from services.clients import ClientFilter, ClientInput
from services.contact_details import display_phone
from services.errors import DomainError
from services.paging import PageRequest
from services.users import user_choices
from ui.data import call
from ui.feedback import flash
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

FILTERS_KEY = 'clients_filters'
FILTER_MARKS = {'status': 'filter-status', 'client_type': 'filter-type', 'tag': 'filter-tag',
                'owner_id': 'filter-owner'}


def form_labels() -> ClientFormLabels:
    return ClientFormLabels(**{name: t(f'client.{name}') for name in ClientFormLabels.__dataclass_fields__})


def _form_lists(session, actor: Actor) -> tuple:
    """The client types, owners and tags a client form offers, read in one unit of work."""
    return (clients_service.list_client_types(session, actor), user_choices(session, actor),
            clients_service.list_tags(session, actor))


async def form_choices(actor: Actor) -> ClientFormChoices:
    client_types, owners, tags = await call(_form_lists, actor)
    return ClientFormChoices(
        kinds={kind.value: t(f'client_kind.{kind.value}') for kind in ClientKind},
        statuses={status.value: t(f'client_status.{status.value}') for status in ClientStatus},
        client_types=client_types, owners=owners, tags=tags)


def _columns() -> list[dict]:
    return [
        {'name': 'name', 'label': t('client.name'), 'field': 'name', 'align': 'left', 'sortable': True},
        {'name': 'city', 'label': t('client.city'), 'field': 'city', 'align': 'left', 'sortable': True},
        {'name': 'client_type', 'label': t('client.client_type'), 'field': 'client_type', 'align': 'left',
         'sortable': True},
        {'name': 'email', 'label': t('client.email'), 'field': 'email', 'align': 'left',
         'classes': 'gt-sm', 'headerClasses': 'gt-sm'},
        {'name': 'phone', 'label': t('client.phone'), 'field': 'phone', 'align': 'left',
         'classes': 'gt-md', 'headerClasses': 'gt-md'},
        {'name': 'status', 'label': t('client.status'), 'field': 'status_label', 'align': 'left', 'sortable': True},
        {'name': 'updated_at', 'label': t('client.updated_at'), 'field': 'updated', 'align': 'left',
         'sortable': True, 'classes': 'gt-xs', 'headerClasses': 'gt-xs'},
    ]


class ClientsScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.language = current_language()
        saved_filters = app.storage.user.get(FILTERS_KEY) or {}
        self.filters = {key: saved_filters.get(key) for key in ('search', 'status', 'client_type', 'tag', 'owner_id')}
        self._dropped = False

    async def build(self) -> None:
        """The table at once, its first page and the filters' choices read side by side: the rows do not wait for
        the filters (whose saved values must be among their options, so they are drawn with them)."""
        self.bar = filter_bar(t('filters.button'))
        self.bar.placeholders(lead=1, folded=4)
        self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=50,
                                 no_data_label=t('clients.empty'),
                                 phone_columns=['name', 'city', 'status']).mark('clients-table')
        self.table.props('row-key=id').classes('cursor-pointer')
        for column in ('email', 'phone'):
            self.table.add_slot(f'body-cell-{column}', link_cell(column))
        self.table.on('rowClick', lambda e: ui.navigate.to(f'/clients/{e.args[1]["id"]}'))
        self.table.pagination = {**self.table.pagination, 'sortBy': 'name'}
        choices, _ = await asyncio.gather(form_choices(self.actor), self.table.load(page=1))
        self._draw_filters(choices)
        if self._dropped:  # a saved filter that is no longer an option: the rows without it
            app.storage.user[FILTERS_KEY] = dict(self.filters)
            await self.table.load(page=1)

    def _draw_filters(self, choices: ClientFormChoices) -> None:
        bar = self.bar
        bar.reset()
        with bar.lead:
            self._filter(ui.input(placeholder=t('clients.search'), value=self.filters['search'] or '')
                         .props('outlined dense clearable debounce=300').classes('w-full sm:w-64')
                         .mark('clients-search'), 'search')
        with bar.folded:
            for key, options, label, width in (('status', choices.statuses, 'client.status', 'sm:w-40'),
                                               ('client_type', choices.client_types, 'client.client_type', 'sm:w-44'),
                                               ('tag', choices.tags, 'client.tags', 'sm:w-40'),
                                               ('owner_id', choices.owners, 'client.owner', 'sm:w-44')):
                bar.track(self._filter(ui.select(options, label=t(label), value=self._valid(key, options),
                                                 clearable=True).props('outlined dense').classes(f'w-full {width}')
                                       .mark(FILTER_MARKS[key]), key))
        if self.actor.can_write:
            with bar.actions:
                ui.button(t('clients.new'), icon='add', on_click=lambda: self._open_create(choices)) \
                    .props('unelevated').classes('w-full sm:w-auto').mark('clients-new')

    def _valid(self, key: str, options) -> object:
        """The saved filter value if it is still an option; else (a tag removed since, say) the filter is dropped."""
        value = self.filters[key]
        if value is not None and value not in options:
            self.filters[key], self._dropped = None, True
            return None
        return value

    def _filter(self, element, key: str):
        async def changed(event) -> None:
            self.filters[key] = event.value or None
            app.storage.user[FILTERS_KEY] = dict(self.filters)
            await self.table.load(page=1)
        element.on_value_change(changed)
        return element

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        filters = ClientFilter(search=self.filters['search'] or '', status=self.filters['status'],
                               client_type=self.filters['client_type'], tag=self.filters['tag'],
                               owner_id=self.filters['owner_id'], sort=query.sort_by or 'name',
                               descending=query.descending)
        page = await call(clients_service.list_clients, self.actor, filters,
                          PageRequest(limit=query.rows_per_page, offset=query.offset))
        rows = [{'id': c.id, 'name': c.name, 'city': c.city or '', 'client_type': c.client_type or '',
                 'email': c.email or '', 'email_href': mailto_href(c.email), 'phone': display_phone(c.phone),
                 'phone_href': tel_href(c.phone), 'status': c.status,
                 'status_label': t(f'client_status.{c.status}'),
                 'updated': format_date(c.updated_at.date(), self.language)} for c in page.items]
        return rows, page.total

    def _open_create(self, choices: ClientFormChoices) -> None:
        open_client_dialog(self.actor, choices, on_saved=lambda client: ui.navigate.to(f'/clients/{client.id}'))


def _new_client_values(actor: Actor, choices: ClientFormChoices) -> dict:
    """A new client's form starts with its creator as the owner (the service's default too)."""
    return {'owner_id': actor.user_id} if actor.user_id in choices.owners else {}


def open_client_dialog(actor: Actor, choices: ClientFormChoices, *, on_saved, client=None) -> None:
    """Create (client=None) or edit a client. Before creating, likely duplicates are shown for a second look."""
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-2xl'):
        ui.label(t('clients.new') if client is None else t('clients.edit')).classes('text-lg font-semibold')
        form = ClientForm(choices, form_labels(), client.model_dump() if client else _new_client_values(actor, choices))
        duplicates_box = ui.column().classes('w-full gap-1')
        error = ui.label('').classes('text-negative text-sm').mark('client-error')
        confirmed = {'duplicates': False}

        async def save() -> None:
            error.set_text('')
            values = form.values()
            try:
                data = ClientInput(**values)
                if client is None and not confirmed['duplicates']:
                    candidates = await call(clients_service.find_duplicates, actor, name=data.name,
                                            email=data.email)
                    if candidates:
                        _show_duplicates(duplicates_box, candidates)
                        confirmed['duplicates'] = True
                        save_button.set_text(t('clients.create_anyway'))
                        return
                if client is None:
                    result = await call(clients_service.create_client, actor, data)
                else:
                    result = await call(clients_service.update_client, actor, client.id, data, client.version)
            except DomainError as problem:
                error.set_text(t(problem.key, **problem.params))
                return
            except ValueError:
                error.set_text(t('error.invalid'))
                return
            dialog.close()
            flash('clients.saved', name=result.name)  # on_saved opens the client
            outcome = on_saved(result)
            if inspect.isawaitable(outcome):
                await outcome

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
            save_button = ui.button(t('action.save'), on_click=save).props('unelevated').mark('client-save')
        form.name.on('keydown.enter', save)
    dialog.open()


def _show_duplicates(box: ui.column, candidates) -> None:
    box.clear()
    with box:
        with ui.card().props('flat bordered').classes('w-full p-3 bg-amber-50 gap-1').mark('duplicates'):
            ui.label(t('clients.duplicates_title')).classes('font-semibold text-amber-900')
            ui.label(t('clients.duplicates_hint')).classes('text-sm text-amber-900')
            for candidate in candidates:
                with ui.row().classes('items-center gap-2'):
                    ui.link(candidate.name, f'/clients/{candidate.id}', new_tab=True).classes('font-medium')
                    detail = ' · '.join(p for p in (candidate.email, candidate.city) if p)
                    ui.label(f'{detail} — {t("clients.duplicate_" + candidate.reason, score=candidate.score)}') \
                        .classes('text-xs crm-muted')


def register() -> None:
    @member_page('/clients')
    async def clients_page(actor: Actor) -> None:
        with frame(actor, t('nav.clients'), path='/clients', subtitle=t('clients.subtitle')):
            screen = ClientsScreen(actor)
            await screen.build()

