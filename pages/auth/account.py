"""My account: who I am, and changing my own password."""

from nicegui import ui

from db.session import session_scope
from services import users as users_service
from services.actor import Actor
from services.errors import DomainError
from ui.data import in_thread
from ui.feedback import saved
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame
from ui.session import keep_signed_in


def _change_password(actor: Actor, current: str, new: str) -> int:
    with session_scope() as session:
        return users_service.change_own_password(session, actor, current_password=current, new_password=new)


def _password_input(label: str, mark: str, autocomplete: str, validation: dict | None = None) -> ui.input:
    return ui.input(label, password=True, password_toggle_button=True, validation=validation) \
        .props(f'outlined hide-bottom-space autocomplete={autocomplete}').classes('w-full').mark(mark)


def register() -> None:
    @member_page('/account')
    async def account_page(actor: Actor) -> None:
        with frame(actor, t('nav.account'), path='/account'):
            with ui.row().classes('w-full gap-4 items-start'):
                with ui.card().classes('crm-card p-5 gap-1 w-full md:w-80'):
                    ui.label(actor.display_name).classes('text-lg font-semibold')
                    ui.label(actor.email).classes('crm-muted')
                    ui.label(f'{t("field.role")} : {t("role." + actor.role)}').classes('text-sm')
                    ui.label(f'{t("account.tenant")} : {actor.tenant_name}').classes('text-sm')
                with ui.card().classes('crm-card p-5 gap-3 w-full md:w-96'):
                    ui.label(t('account.change_password')).classes('font-semibold')
                    current = _password_input(t('account.current_password'), 'current-password',
                                              'current-password')
                    new = _password_input(t('account.new_password'), 'new-password', 'new-password',
                                          {t('error.password_too_short', min=8): lambda v: len(v or '') >= 8})
                    repeat = _password_input(t('account.repeat_password'), 'repeat-password', 'new-password',
                                             {t('account.passwords_differ'): lambda v: v == new.value})
                    error = ui.label('').classes('text-negative text-sm').mark('password-error')

                    fields = {'current_password': current, 'new_password': new}

                    async def submit() -> None:
                        error.set_text('')
                        for field in fields.values():
                            field.error = None
                        if new.value != repeat.value:
                            error.set_text(t('account.passwords_differ'))
                            return
                        try:
                            session_version = await in_thread(_change_password, actor, current.value, new.value)
                        except DomainError as problem:
                            field = fields.get(getattr(problem, 'field', None) or '')
                            if field is None:
                                error.set_text(t(problem.key, **problem.params))
                            else:
                                field.error = t(problem.key, **problem.params)  # next to the field at fault
                            return
                        keep_signed_in(session_version)  # the other browsers and API tokens are signed out
                        for field in (current, new, repeat):
                            field.set_value('')
                        saved('account.password_changed')

                    repeat.on('keydown.enter', submit)
                    ui.button(t('account.change_password'), on_click=submit).props('unelevated') \
                        .mark('change-password')
