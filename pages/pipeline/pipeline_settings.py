"""Settings › Pipeline: the stages (rename, reorder, add, delete after moving their clients) and the secret that
signs inbound webhooks."""

from nicegui import ui

from components.confirm import confirm
from components.figure_title import definition_icon
from pages.admin.users import forbidden_notice
from services import pipeline as pipeline_service
from services import webhooks as webhooks_service
from services.actor import Actor
from services.errors import DomainError
from services.pipeline import StageUsage
from ui.data import call
from ui.feedback import failed, saved
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame

WEBHOOK_PATH = '/api/v1/webhooks/external-interaction'


class StagesScreen:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.stages: list[StageUsage] = []
        with ui.row().classes('w-full items-center gap-2'):
            self.new_name = ui.input(placeholder=t('stages.new_placeholder')).props('outlined dense') \
                .classes('w-full sm:w-72').mark('stage-new')
            self.new_name.on('keydown.enter', self._add)
            ui.button(t('stages.add'), icon='add', on_click=self._add).props('unelevated').mark('stage-add')
        self.box = ui.card().classes('crm-card w-full p-0')

    async def refresh(self) -> None:
        self.stages = await call(pipeline_service.list_stages, self.actor)
        self.box.clear()
        with self.box:
            for index, stage in enumerate(self.stages):
                if index:
                    ui.separator()
                self._row(index, stage)

    def _row(self, index: int, stage: StageUsage) -> None:
        with ui.row().classes('w-full items-center px-4 py-2 gap-2 no-wrap').mark(f'stage-{stage.key}'):
            ui.label(f'{index + 1}.').classes('crm-muted w-6')
            ui.label(stage.name).classes('font-medium')
            if stage.is_lost:
                ui.badge(t('stages.lost')).props('color=red-1 text-color=red-9 rounded')
            ui.space()
            with ui.row().classes('items-center gap-1 no-wrap gt-xs'):
                ui.label(t('stages.used_by_archived', n=stage.clients, archived=stage.archived) if stage.archived
                         else t('stages.used_by', n=stage.clients)).classes('text-sm crm-muted') \
                    .mark(f'stage-count-{stage.key}')
                definition_icon(t('figure.stage_clients'))
            ui.button(icon='arrow_upward', on_click=lambda i=index: self._swap(i, i - 1)) \
                .props('flat round dense').set_enabled(index > 0)
            ui.button(icon='arrow_downward', on_click=lambda i=index: self._swap(i, i + 1)) \
                .props('flat round dense').set_enabled(index < len(self.stages) - 1)
            ui.button(icon='edit', on_click=lambda s=stage: self._rename(s)).props('flat round dense') \
                .mark(f'rename-stage-{stage.key}')
            ui.button(icon='delete_outline', on_click=lambda s=stage: self._delete(s)) \
                .props('flat round dense color=negative').mark(f'delete-stage-{stage.key}')

    async def _run(self, service, *args, message_key: str = 'toast.saved', **kwargs) -> bool:
        try:
            await call(service, self.actor, *args, **kwargs)
        except DomainError as problem:
            failed(problem)
            return False
        saved(message_key)
        await self.refresh()
        return True

    async def _add(self) -> None:
        if await self._run(pipeline_service.create_stage, self.new_name.value or ''):
            self.new_name.set_value('')

    async def _swap(self, index: int, other: int) -> None:
        ids = [stage.id for stage in self.stages]
        ids[index], ids[other] = ids[other], ids[index]
        await self._run(pipeline_service.reorder_stages, ids)

    def _rename(self, stage: StageUsage) -> None:
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-sm'):
            ui.label(t('stages.rename_title', name=stage.name)).classes('text-lg font-semibold')
            field = ui.input(t('stages.name'), value=stage.name).props('outlined dense autofocus').classes('w-full') \
                .mark('stage-rename')

            async def save() -> None:
                if await self._run(pipeline_service.rename_stage, stage.id, field.value or ''):
                    dialog.close()

            field.on('keydown.enter', save)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('action.save'), on_click=save).props('unelevated').mark('stage-save')
        dialog.open()

    async def _delete(self, stage: StageUsage) -> None:
        if not stage.held:
            if await confirm(t('stages.delete_title', name=stage.name), t('stages.delete_message'),
                             confirm_label=t('action.delete'), cancel_label=t('action.cancel')):
                await self._run(pipeline_service.delete_stage, stage.id, message_key='stages.deleted')
            return
        others = {s.id: s.name for s in self.stages if s.id != stage.id}
        with ui.dialog() as dialog, ui.card().classes('crm-card p-5 gap-3 w-full max-w-md'):
            ui.label(t('stages.delete_title', name=stage.name)).classes('text-lg font-semibold')
            ui.label(t('stages.move_first', n=stage.held)).classes('crm-muted')
            target = ui.select(others, label=t('stages.move_to')).props('outlined dense').classes('w-full') \
                .mark('stage-move-to')

            async def move_and_delete() -> None:
                if target.value is None:
                    return
                if await self._run(pipeline_service.delete_stage, stage.id, move_to_id=target.value,
                                   message_key='stages.deleted'):
                    dialog.close()

            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(t('action.cancel'), on_click=dialog.close).props('flat')
                ui.button(t('stages.move_and_delete'), on_click=move_and_delete) \
                    .props('unelevated color=negative').mark('stage-move-delete')
        dialog.open()


class WebhookCard:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        with ui.card().classes('crm-card w-full p-5 gap-3').mark('webhook-card'):
            ui.label(t('webhook.title')).classes('text-base font-semibold')
            ui.label(t('webhook.explain', path=WEBHOOK_PATH, tenant=actor.tenant_id)).classes('text-sm crm-muted')
            self.secret = ui.input(t('webhook.secret'), password=True, password_toggle_button=True) \
                .props('outlined dense readonly').classes('w-full font-mono').mark('webhook-secret')
            with ui.row().classes('gap-2'):
                ui.button(t('webhook.rotate'), icon='autorenew', on_click=self._rotate).props('outline no-caps') \
                    .mark('webhook-rotate')
            ui.label(f'X-CRM-Tenant: {actor.tenant_id}\nX-CRM-Timestamp: <unix seconds>\n'
                     'X-CRM-Signature: sha256=HMAC_SHA256(secret, "<timestamp>.<body>")') \
                .classes('w-full font-mono text-xs whitespace-pre-wrap break-all bg-slate-50 rounded p-3 '
                         'text-slate-700')

    async def refresh(self) -> None:
        secret = await call(webhooks_service.webhook_secret, self.actor)
        self.secret.set_value(secret or '')
        self.secret.props(f'placeholder="{t("webhook.none")}"')

    async def _rotate(self) -> None:
        if not await confirm(t('webhook.rotate_title'), t('webhook.rotate_message'),
                             confirm_label=t('webhook.rotate'), cancel_label=t('action.cancel')):
            return
        try:
            await call(webhooks_service.rotate_secret, self.actor)
        except DomainError as problem:
            failed(problem)
            return
        saved('webhook.rotated')
        await self.refresh()


def register() -> None:
    @member_page('/admin/pipeline')
    async def pipeline_settings_page(actor: Actor) -> None:
        with frame(actor, t('nav.pipeline_settings'), path='/admin/pipeline', subtitle=t('stages.subtitle')):
            if not actor.is_admin:
                forbidden_notice()
                return
            stages = StagesScreen(actor)
            webhook = WebhookCard(actor)
        await stages.refresh()
        await webhook.refresh()
