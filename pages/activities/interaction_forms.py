"""Logging interactions (seed 003): the two-click quick-log button and the full dialog with its participants."""

import inspect
from collections.abc import Awaitable, Callable
from datetime import datetime

from nicegui import ui

from components.badges import INTERACTION_ICONS, type_avatar
from components.formatting import DISPLAY_ZONE
from components.grid import responsive_grid
from db.models import AttendanceStatus, InteractionType
from pages.cases.case_form import enum_options
from services import contacts as contacts_service
from services import interactions as interactions_service
from services.actor import Actor
from services.errors import DomainError
from services.interactions import MAX_PARTICIPANTS, InteractionInput, InteractionRead, ParticipantInput
from ui.data import call
from ui.feedback import saved
from ui.i18n import t

QUICK_TYPES = (InteractionType.CALL, InteractionType.EMAIL, InteractionType.MEETING, InteractionType.NOTE)
Refresh = Callable[[], Awaitable[None] | None]


async def notify(callback: Refresh | None) -> None:
    if callback is not None:
        outcome = callback()
        if inspect.isawaitable(outcome):
            await outcome


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
                        ui.icon(INTERACTION_ICONS[kind]).classes('text-primary')
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
            await notify(on_logged)

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
            await notify(on_saved)

        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
            ui.button(t('action.save'), on_click=save).props('unelevated').mark('interaction-save')
    dialog.open()


# --- one interaction in a list -------------------------------------------------------------------------------------
