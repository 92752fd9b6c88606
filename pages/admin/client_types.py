"""Settings › Client types: the tenant's own list (CGPI, Wholesale, …)."""

from nicegui import ui

from components.confirm import confirm
from services import client_types
from services.actor import Actor
from services.errors import DomainError
from ui.data import call
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame


class ClientTypesScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        with ui.row().classes('w-full items-center gap-2'):
            self.new_name = ui.input(placeholder=t('client_types.new_placeholder')) \
                .props('outlined dense').classes('w-full sm:w-72').mark('client-type-new')
            self.new_name.on('keydown.enter', self._add)
            ui.button(t('client_types.add'), icon='add', on_click=self._add).props('unelevated') \
                .mark('client-type-add')
        self.box = ui.card().classes('crm-card w-full p-0')

    async def refresh(self) -> None:
        usage = await call(client_types.client_type_usage, self.actor)
        self.box.clear()
        with self.box:
            for index, (name, count) in enumerate(usage):
                if index:
                    ui.separator()
                with ui.row().classes('w-full items-center px-4 py-2 gap-3 no-wrap').mark(f'client-type-{name}'):
                    ui.label(name).classes('font-medium flex-1')
                    ui.label(t('client_types.used_by', n=count)).classes('text-sm crm-muted')
                    ui.button(icon='edit', on_click=lambda n=name: self._rename(n)).props('flat round dense') \
                        .mark(f'rename-type-{name}')
                    ui.button(icon='delete_outline', on_click=lambda n=name: self._remove(n)) \
                        .props('flat round dense color=negative').mark(f'remove-type-{name}')

    async def _run(self, service, *args, message_key: str, **params) -> bool:
        try:
            await call(service, self.actor, *args)
        except DomainError as problem:
            failed(problem)
            return False
        saved(message_key, **params)
        await self.refresh()
        return True

    async def _add(self) -> None:
        if await self._run(client_types.add_client_type, self.new_name.value or '', message_key='client_types.added',
                           name=self.new_name.value):
            self.new_name.set_value('')

    def _rename(self, name: str) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-sm'):
            ui.label(t('client_types.rename_title', name=name)).classes('text-lg font-semibold')
            field = ui.input(t('client_types.name'), value=name).props('outlined dense autofocus') \
                .classes('w-full').mark('client-type-rename')
            ui.label(t('client_types.rename_hint')).classes('text-xs crm-muted')

            async def save() -> None:
                if await self._run(client_types.rename_client_type, name, field.value or '',
                                   message_key='toast.saved'):
                    dialog.close()

            field.on('keydown.enter', save)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.save'), on_click=save).props('unelevated').mark('client-type-save')
        dialog.open()

    async def _remove(self, name: str) -> None:
        if await confirm(t('client_types.remove_title', name=name), t('client_types.remove_message'),
                         confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
            await self._run(client_types.remove_client_type, name, message_key='client_types.removed', name=name)


def register() -> None:
    @member_page('/admin/client-types')
    async def client_types_page(actor: Actor) -> None:
        with frame(actor, t('nav.client_types'), path='/admin/client-types', subtitle=t('client_types.subtitle')):
            if not actor.is_admin:
                from pages.admin.users import forbidden_notice

                forbidden_notice()
                return
            screen = ClientTypesScreen(actor)
        await screen.refresh()
