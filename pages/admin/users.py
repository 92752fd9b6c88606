"""Settings › Users: an admin creates, deactivates and changes the role of the users of its own tenant."""

import secrets
from functools import partial

from nicegui import ui

from components.badges import initials_avatar
from components.confirm import confirm
from components.empty_state import empty_state
from components.formatting import format_datetime
from db.models import Role
from db.session import session_scope
from services import users as users_service
from services.actor import Actor
from services.errors import DomainError
from services.paging import Page, PageRequest
from services.users import UserRead
from ui.data import in_thread
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

PAGE_SIZE = 20


def _list(actor: Actor, page: int, search: str) -> Page[UserRead]:
    with session_scope() as session:
        return users_service.list_users(session, actor, PageRequest(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE),
                                        search)


def _create(actor: Actor, values: dict) -> UserRead:
    with session_scope() as session:
        return users_service.create_user(session, actor, **values)


def _update(actor: Actor, user_id: int, values: dict) -> UserRead:
    with session_scope() as session:
        return users_service.update_user(session, actor, user_id, **values)


def _reset_password(actor: Actor, user_id: int, password: str) -> UserRead:
    with session_scope() as session:
        return users_service.reset_password(session, actor, user_id, new_password=password)


def _show_problem(problem: DomainError, fields: dict[str, ui.input], fallback: ui.label) -> None:
    """The message next to the field at fault, or under the form when no field is named."""
    field = fields.get(getattr(problem, 'field', None) or '')
    if field is None:
        fallback.set_text(t(problem.key, **problem.params))
    else:
        field.error = t(problem.key, **problem.params)


def _role_options() -> dict[str, str]:
    return {role.value: t(f'role.{role.value}') for role in Role}


def _status_badge(user: UserRead) -> None:
    if not user.is_active:
        ui.badge(t('users.status_inactive')).props('color=grey-6')
    elif user.is_locked:
        ui.badge(t('users.status_locked')).props('color=warning')
    else:
        ui.badge(t('users.status_active')).props('color=positive')


class UsersScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.page = 1
        self.search = ''

    def build(self) -> None:
        with ui.row().classes('w-full items-center gap-3'):
            ui.input(placeholder=t('users.search'), on_change=self._on_search) \
                .props('outlined dense clearable debounce=300').classes('w-full sm:w-72').mark('users-search')
            ui.space()
            ui.button(t('users.new'), icon='person_add', on_click=self._open_create).props('unelevated') \
                .classes('w-full sm:w-auto').mark('users-new')
        self.list_card = ui.card().classes('crm-card w-full p-0')
        with self.list_card:
            for _ in range(4):
                ui.skeleton('text').classes('w-full h-10 m-2')
        self.pager = ui.row().classes('w-full justify-center')

    async def _on_search(self, event) -> None:
        self.search, self.page = event.value or '', 1
        await self.refresh()

    async def refresh(self) -> None:
        result = await in_thread(_list, self.actor, self.page, self.search)
        self.list_card.clear()
        with self.list_card:
            if not result.items:
                empty_state(t('users.empty_title'), t('users.empty_hint'), icon='person_search')
            for index, user in enumerate(result.items):
                if index:
                    ui.separator()
                self._row(user)
        self.pager.clear()
        pages = max(1, -(-result.total // PAGE_SIZE))
        if pages > 1:
            with self.pager:
                ui.pagination(1, pages, direction_links=True, value=self.page, on_change=self._on_page)

    async def _on_page(self, event) -> None:
        self.page = event.value
        await self.refresh()

    def _row(self, user: UserRead) -> None:
        with ui.row().classes('w-full items-center px-4 py-3 gap-3 no-wrap').mark(f'user-row-{user.email}'):
            initials_avatar((user.full_name or user.email)[:1].upper(), color='primary', text_color='white')
            with ui.column().classes('gap-0 flex-1 min-w-0'):
                ui.label(user.full_name or user.email).classes('font-medium truncate')
                ui.label(user.email).classes('text-sm crm-muted truncate')
            with ui.column().classes('gap-1 items-end gt-xs'):
                ui.label(t(f'role.{user.role}')).classes('text-sm')
                ui.label(t('users.last_login', when=format_datetime(user.last_login_at, current_language()))) \
                    .classes('text-xs crm-muted')
            _status_badge(user)
            ui.button(icon='edit', on_click=partial(self._open_edit, user)).props('flat round dense') \
                .mark(f'edit-{user.email}').tooltip(t('action.edit'))

    def _open_create(self) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
            ui.label(t('users.new')).classes('text-lg font-semibold')
            email = ui.input(t('field.email')).props('outlined type=email autofocus').classes('w-full') \
                .mark('new-user-email')
            full_name = ui.input(t('field.full_name')).props('outlined').classes('w-full').mark('new-user-name')
            role = ui.select(_role_options(), value=Role.AGENT.value, label=t('field.role')) \
                .props('outlined').classes('w-full').mark('new-user-role')
            password = ui.input(t('users.temporary_password'), value=secrets.token_urlsafe(9)) \
                .props('outlined').classes('w-full').mark('new-user-password')
            ui.label(t('users.temporary_password_hint')).classes('text-xs crm-muted -mt-2')
            error = ui.label('').classes('text-negative text-sm')

            fields = {'email': email, 'full_name': full_name, 'password': password}

            async def save() -> None:
                error.set_text('')
                for field in fields.values():
                    field.error = None
                values = {'email': email.value, 'full_name': full_name.value, 'role': role.value,
                          'password': password.value}
                try:
                    created = await in_thread(_create, self.actor, values)
                except DomainError as problem:
                    _show_problem(problem, fields, error)
                    return
                dialog.close()
                saved('users.created', email=created.email)
                await self.refresh()

            for field in (email, full_name, password):
                field.on('keydown.enter', save)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.create'), on_click=save).props('unelevated').mark('new-user-save')
        dialog.open()

    def _open_edit(self, user: UserRead) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
            ui.label(user.full_name or user.email).classes('text-lg font-semibold')
            ui.label(user.email).classes('crm-muted -mt-2')
            role = ui.select(_role_options(), value=user.role.value, label=t('field.role')) \
                .props('outlined').classes('w-full').mark('edit-user-role')
            active = ui.switch(t('users.active'), value=user.is_active).mark('edit-user-active')

            async def save() -> None:
                if user.is_active and not active.value and not await confirm(
                        t('users.deactivate_title'), t('users.deactivate_message', email=user.email),
                        confirm_label=t('users.deactivate'), cancel_label=t('action.cancel')):
                    return
                values = {'role': role.value, 'is_active': active.value, 'expected_version': user.version}
                try:
                    await in_thread(_update, self.actor, user.id, values)
                except DomainError as problem:
                    failed(problem)
                    return
                dialog.close()
                saved()
                await self.refresh()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.save'), on_click=save).props('unelevated').mark('edit-user-save')
            self._reset_section(user, dialog)
        dialog.open()

    def _reset_section(self, user: UserRead, dialog: ui.dialog) -> None:
        """A new temporary password for the user: ends the user's sessions and tokens, lifts a lock."""
        with ui.expansion(t('users.reset_password'), icon='key').classes('w-full').mark('reset-password'):
            password = ui.input(t('users.reset_password'), value=secrets.token_urlsafe(12)) \
                .props('outlined').classes('w-full').mark('reset-password-value')
            ui.label(t('users.reset_password_hint')).classes('text-xs crm-muted')
            error = ui.label('').classes('text-negative text-sm')

            async def reset() -> None:
                password.error = None
                try:
                    await in_thread(_reset_password, self.actor, user.id, password.value)
                except DomainError as problem:
                    _show_problem(problem, {'password': password}, error)
                    return
                dialog.close()
                saved('users.password_reset', email=user.email)
                await self.refresh()

            ui.button(t('users.reset_password_save'), on_click=reset).props('outline') \
                .mark('reset-password-save')


def forbidden_notice() -> None:
    empty_state(t('error.admin_only'), t('error.admin_only_hint'), icon='lock')


def register() -> None:
    @member_page('/admin/users')
    async def users_page(actor: Actor) -> None:
        with frame(actor, t('nav.users'), path='/admin/users', subtitle=t('users.subtitle')):
            if not actor.is_admin:
                forbidden_notice()
                return
            screen = UsersScreen(actor)
            screen.build()
        await screen.refresh()
