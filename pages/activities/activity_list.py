"""Activities: every interaction of the tenant, paged on the server and filtered by type, client, user, period;
and a contact's page (its recent activities and timeline)."""

from datetime import UTC, datetime, time, timedelta

from nicegui import ui

from components.contact_links import contact_line
from components.filter_bar import filter_bar
from components.formatting import DISPLAY_ZONE, format_datetime
from components.paged_table import TableQuery, paged_table
from db.models import InteractionType
from pages.activities.activity_widgets import RecentActivities, Timeline
from pages.activities.interaction_forms import open_interaction_dialog, quick_log_button
from pages.cases.case_form import date_input, enum_options, parse_date
from services import clients as clients_service
from services import contacts as contacts_service
from services import interactions as interactions_service
from services.actor import Actor
from services.contact_details import display_phone
from services.errors import NotFound
from services.interactions import InteractionFilter
from services.paging import PageRequest
from services.users import user_choices
from ui.data import call
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame


def _columns() -> list[dict]:
    hidden_on_phone = {'classes': 'gt-xs', 'headerClasses': 'gt-xs'}
    return [
        {'name': 'occurred_at', 'label': t('interaction.occurred_at'), 'field': 'occurred_at', 'align': 'left'},
        {'name': 'type', 'label': t('interaction.type'), 'field': 'type', 'align': 'left'},
        {'name': 'title', 'label': t('interaction.title'), 'field': 'title', 'align': 'left',
         'style': 'white-space: normal; min-width: 200px'},
        {'name': 'client', 'label': t('interaction.client'), 'field': 'client', 'align': 'left'},
        {'name': 'participants', 'label': t('interaction.participants'), 'field': 'participants', 'align': 'left',
         'style': 'white-space: normal; max-width: 240px', **hidden_on_phone},
        {'name': 'created_by', 'label': t('interaction.created_by'), 'field': 'created_by', 'align': 'left',
         'classes': 'gt-sm', 'headerClasses': 'gt-sm'},
    ]


def _day_start(day) -> datetime | None:
    return datetime.combine(day, time.min, DISPLAY_ZONE).astimezone(UTC) if day else None


class ActivitiesScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor, self.language = actor, current_language()
        self.filters: dict = {'types': [], 'client_id': None, 'created_by': None, 'since': None, 'until': None}

    async def build(self) -> None:
        users = await call(user_choices, self.actor)
        clients = dict(await call(clients_service.client_names, self.actor, ''))
        with filter_bar(t('filters.button')) as bar, bar.folded:
            bar.track(ui.select(enum_options(InteractionType, 'interaction_type'), multiple=True, value=[],
                                label=t('interaction.type'),
                                on_change=lambda e: self._set('types', list(e.value or [])))
                      .props('outlined dense use-chips').classes('w-full sm:w-56').mark('filter-types'))
            client = bar.track(ui.select(clients, label=t('interaction.client'), clearable=True, with_input=True,
                                         on_change=lambda e: self._set('client_id', e.value))
                               .props('outlined dense').classes('w-full sm:w-56').mark('filter-client'))

            async def find_clients(event) -> None:
                found = dict(await call(clients_service.client_names, self.actor, event.args or ''))
                if client.value in client.options:
                    found.setdefault(client.value, client.options[client.value])
                client.set_options(found, value=client.value)

            client.on('input-value', find_clients, throttle=0.3)
            bar.track(ui.select(users, label=t('interaction.created_by'), clearable=True,
                                on_change=lambda e: self._set('created_by', e.value))
                      .props('outlined dense').classes('w-full sm:w-44').mark('filter-user'))
            bar.track(date_input(t('activity.since'), None, 'filter-since').classes('w-full sm:w-40')) \
                .on_value_change(lambda e: self._set('since', parse_date(e.value)))
            bar.track(date_input(t('activity.until'), None, 'filter-until').classes('w-full sm:w-40')) \
                .on_value_change(lambda e: self._set('until', parse_date(e.value)))
        self.table = paged_table(columns=_columns(), fetch=self._fetch, rows_per_page=50,
                                 no_data_label=t('activity.none_found'),
                                 phone_columns=['occurred_at', 'type', 'title', 'client']) \
            .mark('activities-table').classes('cursor-pointer')
        self.table.on('rowClick', lambda e: ui.navigate.to(f'/clients/{e.args[1]["client_id"]}?tab=activities'))
        await self.table.load(page=1)

    async def _set(self, name: str, value) -> None:
        self.filters[name] = value
        await self.table.load(page=1)

    async def _fetch(self, query: TableQuery) -> tuple[list[dict], int]:
        f = self.filters
        until = _day_start(f['until'] + timedelta(days=1)) if f['until'] else None
        filters = InteractionFilter(client_id=f['client_id'], types=tuple(InteractionType(v) for v in f['types']),
                                    created_by=f['created_by'], since=_day_start(f['since']), until=until)
        page = await call(interactions_service.list_interactions, self.actor, filters,
                          PageRequest(limit=query.rows_per_page, offset=query.offset))
        rows = [{'id': i.id, 'client_id': i.client_id, 'occurred_at': format_datetime(i.occurred_at, self.language),
                 'type': t(f'interaction_type.{i.type}'), 'title': i.title, 'client': i.client_name,
                 'participants': ', '.join(p.display_name for p in i.participants[:3])
                 + (f' +{len(i.participants) - 3}' if len(i.participants) > 3 else ''),
                 'created_by': i.created_by_name or '—'} for i in page.items]
        return rows, page.total


async def _contact_page(actor: Actor, contact_id: int) -> None:
    try:
        contact = await call(contacts_service.get_contact, actor, contact_id)
        client = await call(clients_service.get_client, actor, contact.client_id)
    except NotFound:
        with frame(actor, t('error.contact_not_found'), path='/clients'):
            ui.link(t('clients.back'), '/clients')
        return
    with frame(actor, contact.full_name, path='/clients', back=(f'/clients/{client.id}?tab=contacts', client.name)):
        with ui.row().classes('w-full items-center gap-3'):
            contact_line(contact.role, contact.email, contact.phone, display_phone(contact.phone)) \
                .classes('crm-muted').mark('contact-details')
            ui.space()

            async def changed() -> None:
                await recent.refresh()
                await timeline.refresh()

            quick_log_button(actor, client_id=client.id, contact_id=contact.id, on_logged=changed)
            if actor.can_write:
                ui.button(t('interaction.new'), icon='event_note',
                          on_click=lambda: open_interaction_dialog(actor, client_id=client.id, contact_id=contact.id,
                                                                   on_saved=changed)) \
                    .props('outline').mark('interaction-new')
        recent = RecentActivities(actor, contact_id=contact.id, show_filters=False)
        ui.label(t('activity.timeline')).classes('text-base font-semibold pt-2')
        timeline = Timeline(actor, client_id=client.id, contact_id=contact.id, on_change=lambda: recent.refresh())
    await recent.refresh()
    await timeline.refresh()


def register() -> None:
    @member_page('/activities')
    async def activities_page(actor: Actor) -> None:
        with frame(actor, t('nav.activities'), path='/activities', subtitle=t('activity.subtitle')):
            screen = ActivitiesScreen(actor)
            await screen.build()

    @member_page('/contacts/{contact_id}')
    async def contact_page(actor: Actor, contact_id: int) -> None:
        await _contact_page(actor, contact_id)
