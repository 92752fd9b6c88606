"""A client's place in the pipeline, on its page: the stage chip with its menu, "next stage", time per stage."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from components.formatting import format_days
from services import pipeline as pipeline_service
from services.actor import Actor
from services.clients import ClientRead
from services.errors import DomainError
from services.stages import StageRead
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t


class StageControl:
    def __init__(self, actor: Actor, client: ClientRead, *, on_change: Callable[[], Awaitable[None]]) -> None:
        self.actor, self.client_id, self.name = actor, client.id, client.name
        self.stage_id, self.stage_name, self.on_change = client.stage_id, client.stage_name, on_change
        self.box = ui.row().classes('items-center gap-1 no-wrap').mark('client-stage')
        ui.timer(0, self._render, once=True)

    async def _render(self) -> None:
        stages = [s for s in await call(pipeline_service.list_stages, self.actor)]
        current = next((s for s in stages if s.id == self.stage_id), None)
        forward = [s for s in stages if not s.is_lost and (current is None or s.position > current.position)]
        following = forward[0] if forward and not (current and current.is_lost) else None
        self.box.clear()
        with self.box:
            color = 'red-1' if current and current.is_lost else 'green-1'
            with ui.button(self.stage_name or t('pipeline.no_stage'), icon='flag') \
                    .props(f'unelevated no-caps rounded color={color} text-color=grey-9 size=sm') \
                    .mark('client-stage-chip') as chip:
                if self.actor.can_write:
                    with ui.menu():
                        ui.item_label(t('board.move_to')).props('header').classes('text-xs')
                        for stage in stages:
                            if stage.id != self.stage_id:
                                ui.menu_item(stage.name, on_click=lambda s=stage: self._move(s)) \
                                    .mark(f'client-stage-{stage.key}')
            chip.tooltip(t('pipeline.stage'))
            if following is not None and self.actor.can_write:
                ui.button(t('pipeline.next_stage_named', stage=following.name), icon='arrow_forward',
                          on_click=self._next).props('flat dense no-caps size=sm color=primary') \
                    .mark('client-next-stage')

    async def _apply(self, stage: StageRead) -> None:
        self.stage_id, self.stage_name = stage.id, stage.name
        saved('pipeline.moved', name=self.name, stage=stage.name)
        await self._render()
        await self.on_change()

    async def _move(self, stage: StageRead) -> None:
        try:
            moved = await call(pipeline_service.move_client, self.actor, self.client_id, stage.id)
        except DomainError as problem:
            failed(problem)
            return
        await self._apply(moved)

    async def _next(self) -> None:
        try:
            moved = await call(pipeline_service.move_to_next_stage, self.actor, self.client_id)
        except DomainError as problem:
            failed(problem)
            return
        await self._apply(moved)


async def time_in_stages(actor: Actor, client_id: int, card: ui.card) -> None:
    stays = await call(pipeline_service.time_in_stages, actor, client_id)
    language = current_language()
    card.clear()
    with card:
        ui.label(t('pipeline.time_in_stages')).classes('font-semibold')
        if not stays:
            ui.label(t('pipeline.no_history')).classes('text-sm crm-muted')
        longest = max((days for _, days in stays), default=0) or 1
        for name, days in stays:
            with ui.column().classes('w-full gap-0'):
                with ui.row().classes('w-full items-center justify-between text-sm'):
                    ui.label(name)
                    ui.label(format_days(days, language)).classes('crm-muted')
                with ui.element('div').classes('w-full h-1.5 rounded-full bg-slate-100'):
                    ui.element('div').classes('h-1.5 rounded-full bg-primary') \
                        .style(f'width: {max(days / longest * 100, 2):.0f}%')
