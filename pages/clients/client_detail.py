"""Clients › one client: overview (recent activities, time per stage), timeline, contacts, cases, sales, KPIs and
documents tabs; the pipeline stage and the quick log button in the header."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.badges import case_status_chip, client_status_chip, initials_avatar, priority_chip
from components.confirm import confirm
from components.contact_links import contact_line, email_link, phone_link, website_link
from components.empty_state import empty_state
from components.formatting import format_date, format_datetime
from components.grid import responsive_grid
from components.lazy_tabs import lazy_tabs
from db.models import ClientStatus
from pages.activities.activity_widgets import RecentActivities, Timeline
from pages.activities.interaction_forms import open_interaction_dialog, quick_log_button
from pages.analytics.client_insights import client_insights
from pages.clients.client_list import form_choices, open_client_dialog
from pages.documents.documents_panel import DocumentsPanel
from pages.kpis.kpi_views import ClientKpiTab
from pages.pipeline.client_stage import StageControl, time_in_stages
from pages.sales.client_sales import client_sales_tab
from services import cases as cases_service
from services import clients as clients_service
from services import contacts as contacts_service
from services.actor import Actor
from services.cases import CaseFilter
from services.clients import ClientRead
from services.contact_details import display_phone
from services.contacts import ContactInput, ContactRead
from services.errors import DomainError, NotFound
from services.paging import PageRequest
from ui.data import call
from ui.feedback import failed, saved, saved_and_go
from ui.first_data import data_shown
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame
from ui.navigation import go

TABS = ('overview', 'activities', 'contacts', 'cases', 'sales', 'kpis', 'documents')


def _field(label: str, value: str | None, link: Callable[[], object] | None = None) -> None:
    """A labelled value; `link` draws it instead (an e-mail, a phone, a website) when there is one."""
    with ui.column().classes('gap-0 min-w-0'):
        ui.label(label).classes('text-xs crm-muted uppercase tracking-wide')
        if value and link is not None:
            link()
        else:
            ui.label(value or '—').classes('break-words [overflow-wrap:anywhere]')


class ClientScreen:
    def __init__(self, actor: Actor, client: ClientRead) -> None:
        self.actor, self.client, self.language = actor, client, current_language()
        self.on_activity: Callable[[], Awaitable[None]] | None = None  # set once the tabs exist

    async def _activity(self) -> None:
        if self.on_activity is not None:
            await self.on_activity()

    def header(self) -> None:
        client = self.client
        with ui.row().classes('w-full items-center gap-2'):
            client_status_chip(client.status, t(f'client_status.{client.status}')).mark('client-status-chip')
            ui.label(t(f'client_kind.{client.kind}')).classes('text-sm crm-muted')
            if client.client_type and client.client_type != t(f'client_kind.{client.kind}'):
                ui.label(f'· {client.client_type}').classes('text-sm crm-muted')
            for tag in client.tags:
                ui.badge(tag).props('outline color=primary rounded')
            ui.space()
            quick_log_button(self.actor, client_id=client.id, on_logged=self._activity)
            if self.actor.can_write:
                ui.button(t('cases.new'), icon='create_new_folder',
                          on_click=lambda: ui.navigate.to(f'/cases?new=1&client_id={client.id}')) \
                    .props('unelevated').mark('client-new-case')
                ui.button(t('action.edit'), icon='edit', on_click=self._edit).props('outline').mark('client-edit')
                with ui.button(icon='more_vert').props('flat round').mark('client-more'):
                    with ui.menu():
                        if client.status == ClientStatus.ARCHIVED:
                            ui.menu_item(t('clients.restore'), on_click=self._restore).mark('client-restore')
                            if self.actor.is_admin:
                                ui.menu_item(t('clients.delete'), on_click=self._delete).mark('client-delete')
                        else:
                            ui.menu_item(t('clients.archive'), on_click=self._archive).mark('client-archive')
        with ui.row().classes('w-full items-center gap-2'):
            ui.label(t('pipeline.stage')).classes('text-sm crm-muted')
            StageControl(self.actor, client, on_change=self._activity)

    def overview(self) -> None:
        c = self.client
        with ui.card().classes('crm-card w-full p-5').mark('client-overview'):
            with responsive_grid(3):
                _field(t('client.email'), c.email, lambda: email_link(c.email or ''))
                _field(t('client.phone'), c.phone, lambda: phone_link(c.phone or '', display_phone(c.phone)))
                _field(t('client.company'), c.company)
                _field(t('client.address'), ', '.join(p for p in (c.address, c.postal_code, c.city) if p))
                _field(t('client.country'), c.country)
                _field(t('client.website'), c.website, lambda: website_link(c.website or ''))
                _field(t('client.owner'), c.owner_name)
                _field(t('client.created_at'), format_datetime(c.created_at, self.language))
                _field(t('client.updated_at'), format_datetime(c.updated_at, self.language))
            if c.notes:
                ui.separator().classes('my-3')
                _field(t('client.notes'), c.notes)

    async def _edit(self) -> None:
        choices = await form_choices(self.actor)
        open_client_dialog(self.actor, choices, client=self.client,
                           on_saved=lambda result: go(f'/clients/{result.id}'))

    async def _set_status(self, status: ClientStatus, message_key: str) -> None:
        try:
            await call(clients_service.set_status, self.actor, self.client.id, status)
        except DomainError as problem:
            failed(problem)
            return
        saved_and_go(f'/clients/{self.client.id}', message_key, name=self.client.name)

    async def _archive(self) -> None:
        if await confirm(t('clients.archive_title'), t('clients.archive_message', name=self.client.name),
                         confirm_label=t('clients.archive'), cancel_label=t('action.cancel'), danger=False):
            await self._set_status(ClientStatus.ARCHIVED, 'clients.archived')

    async def _restore(self) -> None:
        await self._set_status(ClientStatus.ACTIVE, 'clients.restored')

    async def _delete(self) -> None:
        if not await confirm(t('clients.delete_title'), t('clients.delete_message', name=self.client.name),
                             confirm_label=t('clients.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(clients_service.delete_client, self.actor, self.client.id)
        except DomainError as problem:
            failed(problem)
            return
        saved_and_go('/clients', 'clients.deleted', name=self.client.name)


class ContactsTab:
    def __init__(self, actor: Actor, client: ClientRead) -> None:
        self.actor, self.client = actor, client
        with ui.row().classes('w-full'):
            ui.space()
            if actor.can_write:
                ui.button(t('contacts.new'), icon='person_add', on_click=lambda: self._open(None)) \
                    .props('unelevated').mark('contacts-new')
        self.box = ui.card().classes('crm-card w-full p-0')

    async def refresh(self) -> None:
        contacts = await call(contacts_service.list_contacts, self.actor, self.client.id)
        self.box.clear()
        with self.box:
            if not contacts:
                empty_state(t('contacts.empty_title'), t('contacts.empty_hint'), icon='contacts')
            for index, contact in enumerate(contacts):
                if index:
                    ui.separator()
                self._row(contact)

    def _row(self, contact: ContactRead) -> None:
        with ui.row().classes('w-full items-center px-4 py-3 gap-3 no-wrap').mark(f'contact-{contact.full_name}'):
            initials_avatar((contact.first_name[:1] + contact.last_name[:1]).upper() or '?', color='teal-1',
                            text_color='teal-9')
            with ui.column().classes('gap-0 flex-1 min-w-0'):
                ui.link(contact.full_name, f'/contacts/{contact.id}') \
                    .classes('font-medium truncate text-slate-900 no-underline hover:underline')
                contact_line(contact.role, contact.email, contact.phone, display_phone(contact.phone)) \
                    .classes('text-sm crm-muted')
            if self.actor.can_write:
                ui.button(icon='edit', on_click=lambda c=contact: self._open(c)).props('flat round dense') \
                    .mark(f'edit-contact-{contact.full_name}')
                ui.button(icon='delete_outline', on_click=lambda c=contact: self._delete(c)) \
                    .props('flat round dense color=negative')

    def _open(self, contact: ContactRead | None) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-lg'):
            ui.label(t('contacts.new') if contact is None else contact.full_name).classes('text-lg font-semibold')
            with responsive_grid(2):
                first = ui.input(t('contact.first_name'), value=contact.first_name if contact else '') \
                    .props('outlined dense autofocus').mark('contact-first-name')
                last = ui.input(t('contact.last_name'), value=contact.last_name if contact else '') \
                    .props('outlined dense').mark('contact-last-name')
                email = ui.input(t('contact.email'), value=(contact.email or '') if contact else '') \
                    .props('outlined dense type=email').mark('contact-email')
                phone = ui.input(t('contact.phone'), value=(contact.phone or '') if contact else '') \
                    .props('outlined dense type=tel').mark('contact-phone')
                role = ui.input(t('contact.role'), value=(contact.role or '') if contact else '') \
                    .props('outlined dense').classes('sm:col-span-2').mark('contact-role')
            error = ui.label('').classes('text-negative text-sm').mark('contact-error')

            async def save() -> None:
                data = ContactInput(first_name=first.value or '', last_name=last.value or '', email=email.value or None,
                                    phone=phone.value or None, role=role.value or None)
                try:
                    if contact is None:
                        await call(contacts_service.create_contact, self.actor, self.client.id, data)
                    else:
                        await call(contacts_service.update_contact, self.actor, contact.id, data, contact.version)
                except DomainError as problem:
                    error.set_text(t(problem.key, **problem.params))
                    return
                dialog.close()
                saved()
                await self.refresh()

            for field in (first, last, email, phone, role):
                field.on('keydown.enter', save)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.save'), on_click=save).props('unelevated').mark('contact-save')
        dialog.open()

    async def _delete(self, contact: ContactRead) -> None:
        if not await confirm(t('contacts.delete_title'), t('contacts.delete_message', name=contact.full_name),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(contacts_service.delete_contact, self.actor, contact.id)
        except DomainError as problem:
            failed(problem)
            return
        saved()
        await self.refresh()


async def cases_tab(actor: Actor, client: ClientRead, box: ui.column) -> None:
    language = current_language()
    page = await call(cases_service.list_cases, actor, CaseFilter(client_id=client.id), PageRequest(limit=50))
    box.clear()
    with box:
        if not page.items:
            empty_state(t('cases.empty_title'), t('cases.empty_for_client'), icon='folder_open')
        with ui.card().classes('crm-card w-full p-0') if page.items else ui.column():
            for index, case in enumerate(page.items):
                if index:
                    ui.separator()
                with ui.row().classes('w-full items-center px-4 py-3 gap-3 cursor-pointer hover:bg-slate-50') \
                        .on('click', lambda c=case: ui.navigate.to(f'/cases/{c.id}')).mark(f'case-{case.reference}'):
                    ui.label(case.reference).classes('font-mono text-sm text-primary')
                    ui.label(case.title).classes('flex-1 font-medium')
                    priority_chip(case.priority, t(f'priority.{case.priority}'))
                    case_status_chip(case.status, t(f'case_status.{case.status}'))
                    ui.label(format_date(case.due_date, language)).classes('text-sm crm-muted w-24 text-right')
        if page.total > len(page.items):
            ui.link(t('cases.see_all', n=page.total), f'/cases?client_id={client.id}')


def register() -> None:
    @member_page('/clients/{client_id}')
    async def client_page(actor: Actor, client_id: int, tab: str = 'overview') -> None:
        try:
            client = await call(clients_service.get_client, actor, client_id)
        except NotFound:
            with frame(actor, t('error.client_not_found'), path='/clients'):
                ui.link(t('clients.back'), '/clients')
            return
        screen = ClientScreen(actor, client)
        with frame(actor, client.name, path='/clients', back=('/clients', t('nav.clients'))):
            screen.header()
            tabs = ui.tabs().classes('w-full text-slate-700') \
                .props('align=left inline-label mobile-arrows outside-arrows')
            with tabs:
                for name in TABS:
                    ui.tab(name, t(f'client_tab.{name}')).mark(f'tab-{name}')
            with ui.tab_panels(tabs, value=tab if tab in TABS else 'overview').classes('w-full bg-transparent') \
                    as panels:
                with ui.tab_panel('overview').classes('p-0 pt-2 gap-4'):
                    screen.overview()
                    with ui.row().classes('w-full gap-4 items-start'):
                        with ui.column().classes('flex-1 min-w-0 basis-96'):
                            recent = RecentActivities(actor, client_id=client.id)
                        with ui.column().classes('flex-1 min-w-0 basis-72'):
                            stays = ui.card().classes('crm-card w-full p-4 gap-2').mark('time-in-stages')
                with ui.tab_panel('activities').classes('p-0 pt-2 gap-3'):
                    with ui.row().classes('w-full items-center gap-2'):
                        ui.label(t('activity.timeline')).classes('text-base font-semibold')
                        ui.space()
                        if actor.can_write:
                            ui.button(t('interaction.new'), icon='event_note',
                                      on_click=lambda: open_interaction_dialog(actor, client_id=client.id,
                                                                               on_saved=activity_changed)) \
                                .props('outline').mark('interaction-new')
                    timeline = Timeline(actor, client_id=client.id, on_change=lambda: timeline_changed())
                with ui.tab_panel('contacts').classes('p-0 pt-2 gap-3'):
                    contacts = ContactsTab(actor, client)
                with ui.tab_panel('cases').classes('p-0 pt-2'):
                    cases_box = ui.column().classes('w-full')
                with ui.tab_panel('sales').classes('p-0 pt-2 gap-4'):
                    sales = client_sales_tab(actor, client.id)
                with ui.tab_panel('kpis').classes('p-0 pt-2 gap-3'):
                    kpis = ClientKpiTab(actor, client)
                with ui.tab_panel('documents').classes('p-0 pt-2'):
                    with ui.card().classes('crm-card w-full p-4 gap-3'):
                        documents = DocumentsPanel(actor, client_id=client.id)

        async def activity_changed() -> None:
            await recent.refresh()
            await time_in_stages(actor, client.id, stays)
            await refresh_if_loaded('activities', timeline.refresh)
            await refresh_if_loaded('kpis', kpis.refresh)  # meetings and pitches are counted from the interactions

        async def timeline_changed() -> None:  # an interaction edited or deleted there: the timeline is fresh
            await refresh_if_loaded('overview', recent.refresh)
            await refresh_if_loaded('kpis', kpis.refresh)

        async def refresh_if_loaded(name: str, refresh) -> None:  # a tab not opened yet reads fresh data anyway
            if loading.is_loaded(name):
                await refresh()

        async def sales_tab() -> None:
            await sales.refresh()
            await client_insights(sales.insights, actor, client.id, sales.currency)

        screen.on_activity = activity_changed
        loading = lazy_tabs(panels, {
            'overview': [recent.refresh, lambda: time_in_stages(actor, client.id, stays)],
            'activities': [timeline.refresh], 'contacts': [contacts.refresh],
            'cases': [lambda: cases_tab(actor, client, cases_box)], 'sales': [sales_tab], 'kpis': [kpis.refresh],
            'documents': [documents.refresh]})
        data_shown()  # the client's name and header: the tabs' data may follow
        await loading.start()
