"""The new-case / edit-case dialog, shared by the case list, the client page and the case page."""

import inspect
from datetime import date

from nicegui import ui

from components.grid import responsive_grid
from db.models import CasePriority, CaseStatus, CaseType
from services import cases as cases_service
from services import clients as clients_service
from services.actor import Actor
from services.cases import CaseInput, CaseRead
from services.errors import DomainError
from services.users import user_choices
from ui.data import call
from ui.feedback import flash
from ui.i18n import t


def enum_options(enum, prefix: str) -> dict[str, str]:
    return {member.value: t(f'{prefix}.{member.value}') for member in enum}


def date_input(label: str, value: date | None, mark: str) -> ui.input:
    with ui.input(label, value=value.isoformat() if value else '').props('outlined dense clearable') \
            .mark(mark) as field:
        with ui.menu().props('no-parent-event') as menu:
            ui.date(mask='YYYY-MM-DD').bind_value(field).on_value_change(menu.close)
        with field.add_slot('append'):
            ui.icon('event').on('click', menu.open).classes('cursor-pointer')
    return field


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


async def open_case_dialog(actor: Actor, *, on_saved, case: CaseRead | None = None,
                           client_id: int | None = None) -> None:
    recent = dict(await call(clients_service.client_names, actor, ''))
    if case is not None:
        recent.setdefault(case.client_id, case.client_name)
    elif client_id is not None and client_id not in recent:
        try:
            recent[client_id] = (await call(clients_service.get_client, actor, client_id)).name
        except DomainError:
            client_id = None
    assignees = await call(user_choices, actor)
    with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-2xl'):
        ui.label(t('cases.new') if case is None else t('cases.edit')).classes('text-lg font-semibold')
        with responsive_grid(2):
            title = ui.input(t('case.title'), value=case.title if case else '') \
                .props('outlined dense autofocus').classes('sm:col-span-2').mark('case-title')
            client = ui.select(recent, value=case.client_id if case else client_id, label=t('case.client'),
                               with_input=True).props('outlined dense').mark('case-client')

            async def find_clients(event) -> None:
                found = dict(await call(clients_service.client_names, actor, event.args or ''))
                if client.value in client.options:
                    found.setdefault(client.value, client.options[client.value])
                client.set_options(found, value=client.value)

            client.on('input-value', find_clients, throttle=0.3)
            case_type = ui.select(enum_options(CaseType, 'case_type'), label=t('case.case_type'),
                                  value=case.case_type if case else CaseType.LEGAL.value) \
                .props('outlined dense').mark('case-type')
            priority = ui.select(enum_options(CasePriority, 'priority'), label=t('case.priority'),
                                 value=case.priority if case else CasePriority.NORMAL.value) \
                .props('outlined dense').mark('case-priority')
            status = ui.select(enum_options(CaseStatus, 'case_status'), label=t('case.status'),
                               value=case.status if case else CaseStatus.NEW.value) \
                .props('outlined dense').mark('case-status')
            assignee = ui.select(assignees, label=t('case.assignee'), clearable=True,
                                 value=case.assignee_id if case else actor.user_id) \
                .props('outlined dense').mark('case-assignee')
            due = date_input(t('case.due_date'), case.due_date if case else None, 'case-due')
            description = ui.textarea(t('case.description'), value=case.description if case else '') \
                .props('outlined dense autogrow').classes('sm:col-span-2').mark('case-description')
        error = ui.label('').classes('text-negative text-sm').mark('case-error')

        async def save() -> None:
            error.set_text('')
            if client.value is None:
                error.set_text(t('error.client_required'))
                return
            values = {'title': title.value or '', 'client_id': client.value, 'case_type': case_type.value,
                      'priority': priority.value, 'status': status.value, 'assignee_id': assignee.value,
                      'due_date': parse_date(due.value), 'description': description.value or ''}
            try:
                if case is None:
                    result = await call(cases_service.create_case, actor, CaseInput(**values))
                else:
                    result = await call(cases_service.update_case, actor, case.id, values, case.version)
            except DomainError as problem:
                error.set_text(t(problem.key, **problem.params))
                return
            dialog.close()
            flash('cases.saved', reference=result.reference)  # on_saved opens the case
            outcome = on_saved(result)
            if inspect.isawaitable(outcome):
                await outcome

        title.on('keydown.enter', save)
        with ui.row().classes('w-full justify-end gap-2'):
            ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
            ui.button(t('action.save'), on_click=save).props('unelevated').mark('case-save')
    dialog.open()
