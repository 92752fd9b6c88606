"""Cases › one case: status and priority controls, description, notes timeline, documents, status history."""

from nicegui import ui

from components.badges import case_status_chip
from components.confirm import confirm
from components.empty_state import empty_state
from components.formatting import format_date, format_datetime
from components.grid import responsive_grid
from components.markdown_view import markdown_view
from db.models import CasePriority, CaseStatus, NoteKind
from pages.ai.case_ai_panel import AiPanel
from pages.cases.case_form import date_input, enum_options, open_case_dialog, parse_date
from pages.documents.documents_panel import DocumentsPanel
from services import cases as cases_service
from services import notes as notes_service
from services.actor import Actor
from services.cases import CaseRead
from services.errors import DomainError
from services.notes import NoteInput, NoteRead
from ui.data import call
from ui.feedback import failed, saved, saved_and_go
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame
from ui.navigation import go

NOTE_ICONS = {'general': 'sticky_note_2', 'call': 'call', 'meeting': 'groups', 'email': 'mail', 'task': 'task_alt'}


class CaseScreen:
    def __init__(self, actor: Actor, case: CaseRead) -> None:
        self.actor, self.case, self.language = actor, case, current_language()

    def header(self) -> None:
        case = self.case
        with ui.row().classes('w-full items-center gap-3'):
            ui.link(case.client_name, f'/clients/{case.client_id}').classes('text-primary font-medium')
            ui.label(f'· {t("case_type." + case.case_type)}').classes('crm-muted')
            if case.is_overdue:
                ui.badge(t('cases.overdue')).props('color=negative rounded')
            ui.space()
            status = ui.select(enum_options(CaseStatus, 'case_status'), value=case.status, label=t('case.status'),
                               on_change=lambda e: self._change(status=e.value)) \
                .props('outlined dense').classes('w-44').mark('case-status-control')
            priority = ui.select(enum_options(CasePriority, 'priority'), value=case.priority,
                                 label=t('case.priority'), on_change=lambda e: self._change(priority=e.value)) \
                .props('outlined dense').classes('w-36').mark('case-priority-control')
            if not self.actor.can_write:
                status.disable()
                priority.disable()
            else:
                ui.button(t('action.edit'), icon='edit', on_click=self._edit).props('outline').mark('case-edit')
                if self.actor.role in ('admin', 'manager'):
                    ui.button(icon='delete_outline', on_click=self._delete).props('flat round color=negative') \
                        .tooltip(t('cases.delete')).mark('case-delete')

    def facts(self) -> None:
        case = self.case
        with ui.card().classes('crm-card w-full p-5 gap-3'):
            with responsive_grid(4):
                for label, value in ((t('case.assignee'), case.assignee_name or '—'),
                                     (t('case.due_date'), format_date(case.due_date, self.language)),
                                     (t('case.opened_at'), format_datetime(case.opened_at, self.language)),
                                     (t('case.closed_at'), format_datetime(case.closed_at, self.language))):
                    with ui.column().classes('gap-0'):
                        ui.label(label).classes('text-xs crm-muted uppercase tracking-wide')
                        ui.label(value)
            ui.separator()
            ui.label(t('case.description')).classes('text-xs crm-muted uppercase tracking-wide')
            if case.description:
                markdown_view(case.description).mark('case-description-view')
            else:
                ui.label(t('cases.no_description')).classes('crm-muted')

    async def _change(self, **changes) -> None:
        if all(getattr(self.case, key) == value for key, value in changes.items()):
            return
        try:
            self.case = await call(cases_service.update_case, self.actor, self.case.id, changes, self.case.version)
        except DomainError as problem:
            failed(problem)
            go(f'/cases/{self.case.id}')
            return
        saved_and_go(f'/cases/{self.case.id}')

    async def _edit(self) -> None:
        await open_case_dialog(self.actor, case=self.case, on_saved=lambda c: go(f'/cases/{c.id}'))

    async def _delete(self) -> None:
        if not await confirm(t('cases.delete_title'), t('cases.delete_message', reference=self.case.reference),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            return
        try:
            await call(cases_service.delete_case, self.actor, self.case.id)
        except DomainError as problem:
            failed(problem)
            return
        saved_and_go('/cases', 'cases.deleted', reference=self.case.reference)


class NotesPanel:
    def __init__(self, actor: Actor, case: CaseRead) -> None:
        self.actor, self.case, self.language = actor, case, current_language()
        if actor.can_write:
            self._composer()
        self.timeline = ui.column().classes('w-full gap-3')

    def _composer(self) -> None:
        with ui.card().props('flat bordered').classes('w-full p-3 gap-2'):
            with ui.row().classes('w-full items-center gap-2'):
                self.kind = ui.toggle(enum_options(NoteKind, 'note_kind'), value=NoteKind.GENERAL.value) \
                    .props('no-caps dense unelevated toggle-color=primary').mark('note-kind')
                self.due = date_input(t('note.due_date'), None, 'note-due').classes('w-44')
                self.due.bind_visibility_from(self.kind, 'value', backward=lambda v: v == NoteKind.TASK.value)
            self.body = ui.textarea(placeholder=t('note.placeholder')).props('outlined autogrow') \
                .classes('w-full').mark('note-body')
            with ui.row().classes('w-full items-center'):
                ui.label(t('note.markdown_hint')).classes('text-xs crm-muted')
                ui.space()
                ui.button(t('note.add'), icon='send', on_click=self._add).props('unelevated').mark('note-add')

    async def _add(self) -> None:
        data = NoteInput(kind=self.kind.value, body=self.body.value or '', due_date=parse_date(self.due.value))
        try:
            await call(notes_service.add_note, self.actor, self.case.id, data)
        except DomainError as problem:
            failed(problem)
            return
        self.body.set_value('')
        self.due.set_value('')
        saved('note.added')
        await self.refresh()

    async def refresh(self) -> None:
        notes = await call(notes_service.list_notes, self.actor, self.case.id)
        self.timeline.clear()
        with self.timeline:
            if not notes:
                empty_state(t('note.empty_title'), t('note.empty_hint'), icon='forum')
            for note in notes:
                self._note(note)

    def _note(self, note: NoteRead) -> None:
        with ui.row().classes('w-full gap-3 no-wrap items-start').mark(f'note-{note.id}'):
            ui.icon(NOTE_ICONS.get(note.kind, 'sticky_note_2')).classes('text-primary text-xl mt-1')
            with ui.column().classes('flex-1 min-w-0 gap-1'):
                with ui.row().classes('items-center gap-2'):
                    ui.label(t(f'note_kind.{note.kind}')).classes('text-xs font-semibold uppercase text-slate-600')
                    ui.label(f'{note.author_name} · {format_datetime(note.created_at, self.language)}') \
                        .classes('text-xs crm-muted')
                if note.kind == NoteKind.TASK:
                    with ui.row().classes('items-center gap-2'):
                        box = ui.checkbox(t('note.done'), value=note.done).mark(f'task-done-{note.id}')
                        box.on_value_change(lambda e, n=note: self._toggle(n, e.value))
                        if not self.actor.can_write:
                            box.disable()
                        if note.due_date:
                            ui.label(t('note.due', date=format_date(note.due_date, self.language))) \
                                .classes('text-xs crm-muted')
                markdown_view(note.body).classes('text-sm' + (' line-through opacity-60' if note.done else ''))

    async def _toggle(self, note: NoteRead, done: bool) -> None:
        try:
            await call(notes_service.set_task_done, self.actor, note.id, done)
        except DomainError as problem:
            failed(problem)
        await self.refresh()


async def history_panel(actor: Actor, case: CaseRead, box: ui.column) -> None:
    language = current_language()
    changes = await call(cases_service.status_history, actor, case.id)
    box.clear()
    with box:
        for change in changes:
            with ui.row().classes('items-center gap-2 text-sm'):
                if change.from_status:
                    case_status_chip(change.from_status, t(f'case_status.{change.from_status}'))
                    ui.icon('arrow_forward', size='xs').classes('crm-muted')
                case_status_chip(change.to_status, t(f'case_status.{change.to_status}'))
                ui.label(f'{change.changed_by} · {format_datetime(change.changed_at, language)}') \
                    .classes('text-xs crm-muted')


def register() -> None:
    @member_page('/cases/{case_id}')
    async def case_page(actor: Actor, case_id: int) -> None:
        case = await call(cases_service.get_case, actor, case_id)  # NotFound: ui.guard says so
        screen = CaseScreen(actor, case)
        with frame(actor, f'{case.reference} · {case.title}', path='/cases', back=('/cases', t('nav.cases'))):
            screen.header()
            with ui.row().classes('w-full gap-4 items-start max-lg:flex-col'):
                with ui.column().classes('flex-[2] min-w-0 gap-4 w-full'):
                    screen.facts()
                    ai_panel = AiPanel(actor, case.id, on_task=lambda: notes.refresh())
                    with ui.card().classes('crm-card w-full p-5 gap-3'):
                        ui.label(t('note.title')).classes('font-semibold')
                        notes = NotesPanel(actor, case)
                with ui.column().classes('flex-1 min-w-0 gap-4 w-full'):
                    with ui.card().classes('crm-card w-full p-5 gap-3'):
                        ui.label(t('documents.title')).classes('font-semibold')
                        documents = DocumentsPanel(actor, case_id=case.id)
                    with ui.card().classes('crm-card w-full p-5 gap-2'):
                        ui.label(t('cases.history')).classes('font-semibold')
                        history = ui.column().classes('gap-2').mark('case-history')
        await notes.refresh()
        await ai_panel.refresh()
        await documents.refresh()
        await history_panel(actor, case, history)
