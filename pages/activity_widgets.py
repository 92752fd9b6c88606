"""Interaction widgets shared by the client, contact, activities and dashboard pages (seed 003's components):
the quick-log button, the full interaction dialog, the recent-activities card and the timeline."""

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime

from nicegui import ui

from components.confirm import confirm
from components.empty_state import empty_state
from components.formatting import DISPLAY_ZONE, format_datetime
from components.grid import responsive_grid
from db.models import AttendanceStatus, InteractionType
from pages.case_form import enum_options
from services import contacts as contacts_service
from services import interactions as interactions_service
from services.actor import Actor
from services.errors import DomainError
from services.interactions import (
    MAX_PARTICIPANTS,
    InteractionFilter,
    InteractionInput,
    InteractionRead,
    ParticipantInput,
    TimelineEntry,
)
from services.paging import PageRequest
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t

TYPE_ICONS = {'email': 'mail', 'call': 'call', 'meeting': 'groups', 'lunch': 'restaurant', 'note': 'sticky_note_2',
              'webinar': 'cast_for_education', 'newsletter': 'campaign'}
TYPE_COLORS = {'email': 'blue', 'call': 'teal', 'meeting': 'indigo', 'lunch': 'orange', 'note': 'blue-grey',
               'webinar': 'purple', 'newsletter': 'pink'}
QUICK_TYPES = (InteractionType.CALL, InteractionType.EMAIL, InteractionType.MEETING, InteractionType.NOTE)
TIMELINE_PAGE = 50
Refresh = Callable[[], Awaitable[None] | None]


async def _notify(callback: Refresh | None) -> None:
    if callback is not None:
        outcome = callback()
        if inspect.isawaitable(outcome):
            await outcome


def type_avatar(kind: str, *, size: str = 'md') -> ui.avatar:
    color = TYPE_COLORS.get(kind, 'grey')
    return ui.avatar(TYPE_ICONS.get(kind, 'forum'), color=f'{color}-1', text_color=f'{color}-9', size=size) \
        .props('font-size=0.9rem')


def _local_input(moment: datetime) -> str:
    return moment.astimezone(DISPLAY_ZONE).strftime('%Y-%m-%dT%H:%M')


def _from_local_input(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=DISPLAY_ZONE)
    except ValueError:
        return None


# --- quick log -----------------------------------------------------------------------------------------------------

def quick_log_button(actor: Actor, *, client_id: int, contact_id: int | None = None,
                     on_logged: Refresh | None = None) -> ui.button:
    """Two clicks: pick a type from the menu, then save (the title is filled in with the type's name)."""
    with ui.button(t('activity.quick_log'), icon='add_comment').props('unelevated') \
            .mark('quick-log') as button:
        with ui.menu().props('auto-close'):
            for kind in QUICK_TYPES:
                with ui.menu_item(on_click=lambda k=kind: _quick_dialog(actor, client_id, contact_id, k, on_logged)) \
                        .mark(f'quick-log-{kind}'):
                    with ui.row().classes('items-center gap-3 no-wrap'):
                        ui.icon(TYPE_ICONS[kind]).classes('text-primary')
                        ui.label(t(f'interaction_type.{kind}'))
    if not actor.can_write:
        button.disable()
    return button


def _quick_dialog(actor: Actor, client_id: int, contact_id: int | None, kind: InteractionType,
                  on_logged: Refresh | None) -> None:
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
        with ui.row().classes('items-center gap-3'):
            type_avatar(kind)
            ui.label(t('activity.quick_title', type=t(f'interaction_type.{kind}'))).classes('text-lg font-semibold')
        title = ui.input(t('interaction.title'), value=t(f'interaction_type.{kind}')) \
            .props('outlined dense autofocus').classes('w-full').mark('quick-title')
        with ui.expansion(t('activity.more_details'), icon='notes').classes('w-full').props('dense'):
            description = ui.textarea(t('interaction.description')).props('outlined dense autogrow') \
                .classes('w-full').mark('quick-description')
            recipient_name = ui.input(t('activity.recipient_name')).props('outlined dense').classes('w-full') \
                .mark('quick-recipient-name')
            recipient_email = ui.input(t('activity.recipient_email')).props('outlined dense type=email') \
                .classes('w-full').mark('quick-recipient-email')
        error = ui.label('').classes('text-negative text-sm').mark('quick-error')

        async def save() -> None:
            people = [ParticipantInput(name=recipient_name.value or None, email=recipient_email.value or None)] \
                if (recipient_name.value or recipient_email.value) else []
            try:
                data = InteractionInput(client_id=client_id, contact_id=contact_id, type=kind,
                                        title=title.value or '', description=description.value or '',
                                        participants=people)
                await call(interactions_service.create_interaction, actor, data)
            except DomainError as problem:
                error.set_text(t(problem.key, **problem.params))
                return
            dialog.close()
            saved('activity.logged', type=t(f'interaction_type.{kind}'))
            await _notify(on_logged)

        title.on('keydown.enter', save)
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
            ui.button(t('action.save'), on_click=save).props('unelevated').mark('quick-save')
    dialog.open()


# --- the full dialog -----------------------------------------------------------------------------------------------

class ParticipantsEditor:
    """Rows of participants: a contact of the client, or an outside person (name, e-mail, role)."""

    def __init__(self, contacts: dict[int, str], initial: list[dict]) -> None:
        self.contacts = contacts
        self.rows: list[dict] = [dict(row) for row in initial]
        with ui.row().classes('w-full items-center'):
            ui.label(t('interaction.participants')).classes('font-medium')
            self.counter = ui.label('').classes('text-xs crm-muted')
            ui.space()
            ui.button(t('interaction.add_contact'), icon='person_add',
                      on_click=lambda: self._add({'contact_id': None})) \
                .props('flat dense no-caps').mark('participant-add-contact')
            ui.button(t('interaction.add_external'), icon='person_add_alt',
                      on_click=lambda: self._add({'name': '', 'email': '', 'role': ''})) \
                .props('flat dense no-caps').mark('participant-add-external')
        self.box = ui.column().classes('w-full gap-2')
        self._render()

    def _add(self, row: dict) -> None:
        if len(self.rows) >= MAX_PARTICIPANTS:
            ui.notify(t('error.too_many_participants', max=MAX_PARTICIPANTS), type='warning')
            return
        self.rows.append({'is_organizer': False, 'attendance_status': 'confirmed', **row})
        self._render()

    def _remove(self, row: dict) -> None:
        self.rows.remove(row)
        self._render()

    def _render(self) -> None:
        self.counter.set_text(f'{len(self.rows)} / {MAX_PARTICIPANTS}')
        self.box.clear()
        with self.box:
            if not self.rows:
                ui.label(t('interaction.no_participants')).classes('text-sm crm-muted')
            for index, row in enumerate(self.rows):
                self._row(index, row)

    def _row(self, index: int, row: dict) -> None:
        statuses = enum_options(AttendanceStatus, 'attendance')
        with ui.row().classes('w-full items-center gap-2 no-wrap'):
            if 'contact_id' in row:
                ui.select(self.contacts, label=t('interaction.contact'), value=row['contact_id']) \
                    .bind_value(row, 'contact_id').props('outlined dense').classes('flex-1 min-w-0') \
                    .mark(f'participant-contact-{index}')
            else:
                ui.input(t('interaction.external_name')).bind_value(row, 'name').props('outlined dense') \
                    .classes('flex-1 min-w-0').mark(f'participant-name-{index}')
                ui.input(t('interaction.external_email')).bind_value(row, 'email') \
                    .props('outlined dense type=email').classes('flex-1 min-w-0').mark(f'participant-email-{index}')
                ui.input(t('interaction.external_role')).bind_value(row, 'role').props('outlined dense') \
                    .classes('w-28 gt-xs')
            ui.select(statuses, value=row['attendance_status']).bind_value(row, 'attendance_status') \
                .props('outlined dense').classes('w-32 gt-xs')
            ui.checkbox(t('interaction.organizer')).bind_value(row, 'is_organizer').classes('gt-xs')
            ui.button(icon='close', on_click=lambda r=row: self._remove(r)).props('flat round dense') \
                .mark(f'participant-remove-{index}')

    def participants(self) -> list[ParticipantInput]:
        return [ParticipantInput(contact_id=row.get('contact_id'), name=row.get('name') or None,
                                 email=row.get('email') or None, role=row.get('role') or None,
                                 is_organizer=row['is_organizer'], attendance_status=row['attendance_status'])
                for row in self.rows if row.get('contact_id') or row.get('name') or row.get('email')]


def _participant_rows(interaction: InteractionRead | None) -> list[dict]:
    if interaction is None:
        return []
    return [{'contact_id': p.contact_id, 'is_organizer': p.is_organizer, 'attendance_status': p.attendance_status}
            if p.contact_id else
            {'name': p.external_name or '', 'email': p.external_email or '', 'role': p.external_role or '',
             'is_organizer': p.is_organizer, 'attendance_status': p.attendance_status}
            for p in interaction.participants]


async def open_interaction_dialog(actor: Actor, *, client_id: int, on_saved: Refresh | None = None,
                                  interaction: InteractionRead | None = None,
                                  contact_id: int | None = None) -> None:
    """Create (or edit) an interaction with every field, participants included."""
    contacts = {c.id: c.full_name for c in await call(contacts_service.list_contacts, actor, client_id)}
    current = interaction
    # A participant may be another client's contact (an outside e-mail is linked to whichever contact has it):
    # offer them too, or the participant's select would refuse its own value and the dialog would not open.
    people = {**contacts, **{p.contact_id: p.contact_name or '' for p in (current.participants if current else [])
                             if p.contact_id and p.contact_id not in contacts}}
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-3xl'):
        ui.label(t('interaction.new') if current is None else t('interaction.edit')).classes('text-lg font-semibold')
        with responsive_grid(2):
            kind = ui.select(enum_options(InteractionType, 'interaction_type'), label=t('interaction.type'),
                             value=current.type if current else InteractionType.MEETING.value) \
                .props('outlined dense').mark('interaction-type')
            occurred = ui.input(t('interaction.occurred_at'),
                                value=_local_input(current.occurred_at if current else datetime.now(DISPLAY_ZONE))) \
                .props('outlined dense type=datetime-local').mark('interaction-occurred')
            title = ui.input(t('interaction.title'), value=current.title if current else '') \
                .props('outlined dense autofocus').classes('sm:col-span-2').mark('interaction-title')
            contact = ui.select(contacts, label=t('interaction.main_contact'), clearable=True,
                                value=current.contact_id if current else contact_id) \
                .props('outlined dense').mark('interaction-contact')
            duration = ui.number(t('interaction.duration'), value=current.duration_minutes if current else None,
                                 min=0, max=1440, step=5, format='%.0f').props('outlined dense suffix=min') \
                .mark('interaction-duration')
            description = ui.textarea(t('interaction.description'), value=current.description if current else '') \
                .props('outlined dense autogrow').classes('sm:col-span-2').mark('interaction-description')
            pitch = ui.checkbox(t('interaction.is_pitch'), value=current.is_pitch if current else False) \
                .mark('interaction-pitch')
        ui.separator()
        editor = ParticipantsEditor(people, _participant_rows(current))
        error = ui.label('').classes('text-negative text-sm').mark('interaction-error')

        async def save() -> None:
            error.set_text('')
            when = _from_local_input(occurred.value)
            if when is None:
                error.set_text(t('error.date_invalid'))
                return
            try:
                data = InteractionInput(
                    client_id=client_id, type=kind.value, title=title.value or '',
                    description=description.value or '', occurred_at=when, contact_id=contact.value,
                    duration_minutes=int(duration.value) if duration.value is not None else None,
                    is_pitch=bool(pitch.value), participants=editor.participants())
                if current is None:
                    await call(interactions_service.create_interaction, actor, data)
                else:
                    await call(interactions_service.update_interaction, actor, current.id, data, current.version)
            except DomainError as problem:
                error.set_text(t(problem.key, **problem.params))
                return
            dialog.close()
            saved()
            await _notify(on_saved)

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
            ui.button(t('action.save'), on_click=save).props('unelevated').mark('interaction-save')
    dialog.open()


# --- one interaction in a list -------------------------------------------------------------------------------------

def interaction_row(interaction: InteractionRead, language: str, *, show_client: bool = False,
                    actions: Callable[[InteractionRead], None] | None = None) -> None:
    with ui.row().classes('w-full items-start gap-3 no-wrap py-2').mark(f'interaction-{interaction.title}'):
        type_avatar(interaction.type, size='md')
        with ui.column().classes('gap-0 flex-1 min-w-0'):
            with ui.row().classes('items-center gap-2 w-full no-wrap'):
                ui.label(interaction.title).classes('font-medium truncate')
                if interaction.is_planned:
                    ui.badge(t('activity.planned')).props('color=amber-2 text-color=amber-10 rounded')
                if interaction.is_pitch:
                    ui.badge(t('interaction.pitch')).props('color=indigo-1 text-color=indigo-9 rounded')
            label = t(f'interaction_type.{interaction.type}')
            details = ([] if interaction.title == label else [label]) + [format_datetime(interaction.occurred_at,
                                                                                           language)]
            if show_client:
                details.append(interaction.client_name)
            if interaction.created_by_name:
                details.append(interaction.created_by_name)
            ui.label(' · '.join(details)).classes('text-xs crm-muted truncate')
            if interaction.participants:
                names = [p.display_name for p in interaction.participants[:4]]
                more = len(interaction.participants) - len(names)
                ui.label(', '.join(names) + (f' +{more}' if more else '')).classes('text-xs text-slate-600 truncate')
            if interaction.description:
                ui.label(interaction.description[:240]).classes('text-sm text-slate-700 line-clamp-2 break-words')
        if actions is not None:
            actions(interaction)


# --- recent activities ---------------------------------------------------------------------------------------------

class RecentActivities:
    """The five latest interactions of a client, a contact or the whole tenant, with a type filter."""

    def __init__(self, actor: Actor, *, client_id: int | None = None, contact_id: int | None = None,
                 limit: int = 5, show_filters: bool = True, show_client: bool = False) -> None:
        self.actor, self.client_id, self.contact_id = actor, client_id, contact_id
        self.limit, self.show_client, self.language = limit, show_client, current_language()
        self.types: list[str] = []
        with ui.card().classes('crm-card w-full p-4 gap-1').mark('recent-activities'):
            with ui.row().classes('w-full items-center'):
                ui.label(t('activity.recent')).classes('font-semibold')
                ui.space()
                if show_filters:
                    ui.select(enum_options(InteractionType, 'interaction_type'), multiple=True, value=[],
                              label=t('activity.filter_types'), on_change=self._filter) \
                        .props('outlined dense use-chips options-dense').classes('min-w-40 max-w-72') \
                        .mark('recent-types')
            self.box = ui.column().classes('w-full gap-0')
            with self.box:
                for _ in range(3):
                    ui.skeleton('text').classes('w-full my-2')

    async def _filter(self, event) -> None:
        self.types = list(event.value or [])
        await self.refresh()

    async def refresh(self) -> None:
        items = await call(interactions_service.recent, self.actor, client_id=self.client_id,
                           contact_id=self.contact_id, types=[InteractionType(v) for v in self.types],
                           limit=self.limit)
        self.box.clear()
        with self.box:
            if not items:
                ui.label(t('activity.none_yet')).classes('text-sm crm-muted py-3').mark('recent-empty')
            for index, item in enumerate(items):
                if index:
                    ui.separator()
                interaction_row(item, self.language, show_client=self.show_client)


# --- timeline ------------------------------------------------------------------------------------------------------

class Timeline:
    """A client's interactions and stage moves (or a contact's interactions), newest first, 50 at a time."""

    def __init__(self, actor: Actor, *, client_id: int, contact_id: int | None = None,
                 on_change: Refresh | None = None) -> None:
        self.actor, self.client_id, self.contact_id = actor, client_id, contact_id
        self.on_change, self.language = on_change, current_language()
        self.loaded = 0
        self.box = ui.column().classes('w-full gap-2').mark('timeline')

    async def _page(self, offset: int) -> tuple[list[TimelineEntry], int]:
        request = PageRequest(limit=TIMELINE_PAGE, offset=offset)
        if self.contact_id is None:
            page = await call(interactions_service.timeline, self.actor, self.client_id, request)
            return page.items, page.total
        page = await call(interactions_service.list_interactions, self.actor,
                          InteractionFilter(contact_id=self.contact_id), request)
        return [TimelineEntry('interaction', i.occurred_at, interaction=i) for i in page.items], page.total

    async def refresh(self) -> None:
        """Back to the first page."""
        entries, total = await self._page(0)
        self.box.clear()
        with self.box:
            if not entries:
                empty_state(t('activity.timeline_empty'), t('activity.timeline_empty_hint'), icon='forum')
                return
            self.card = ui.card().classes('crm-card w-full px-4 py-1 gap-0')
            self.more = ui.button(on_click=self._more).props('flat no-caps').classes('self-center') \
                .mark('timeline-more')
        self.loaded = 0
        self._append(entries, total)

    def _append(self, entries: list[TimelineEntry], total: int) -> None:
        with self.card:
            for entry in entries:
                if self.loaded:
                    ui.separator()
                self._entry(entry)
                self.loaded += 1
        self.more.set_text(t('activity.load_more', n=total - self.loaded))
        self.more.set_visibility(total > self.loaded)

    async def _more(self) -> None:
        entries, total = await self._page(self.loaded)
        self._append(entries, total)

    def _entry(self, entry: TimelineEntry) -> None:
        if entry.interaction is not None:
            interaction_row(entry.interaction, self.language, actions=self._actions)
            return
        with ui.row().classes('w-full items-center gap-3 no-wrap py-2').mark('timeline-stage'):
            ui.avatar('flag', color='green-1', text_color='green-9', size='md').props('font-size=0.9rem')
            with ui.column().classes('gap-0 min-w-0'):
                text = t('pipeline.moved_to', stage=entry.to_stage or '—') if entry.from_stage is None else \
                    t('pipeline.moved_from_to', origin=entry.from_stage, stage=entry.to_stage or '—')
                ui.label(text).classes('font-medium')
                ui.label(' · '.join(p for p in (format_datetime(entry.at, self.language), entry.changed_by) if p)) \
                    .classes('text-xs crm-muted')

    def _actions(self, interaction: InteractionRead) -> None:
        if not self.actor.can_write:
            return
        with ui.button(icon='more_vert').props('flat round dense').mark(f'interaction-menu-{interaction.id}'):
            with ui.menu():
                ui.menu_item(t('action.edit'), on_click=lambda i=interaction: self._edit(i)) \
                    .mark(f'interaction-edit-{interaction.id}')
                ui.menu_item(t('action.delete'), on_click=lambda i=interaction: self._delete(i)) \
                    .mark(f'interaction-delete-{interaction.id}')

    async def _changed(self) -> None:
        await self.refresh()
        await _notify(self.on_change)

    async def _edit(self, interaction: InteractionRead) -> None:
        await open_interaction_dialog(self.actor, client_id=interaction.client_id, interaction=interaction,
                                      on_saved=self._changed)

    async def _delete(self, interaction: InteractionRead) -> None:
        if not await confirm(t('interaction.delete_title'), t('interaction.delete_message', title=interaction.title),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(interactions_service.delete_interaction, self.actor, interaction.id)
        except DomainError as problem:
            failed(problem)
            return
        saved('interaction.deleted')
        await self._changed()


