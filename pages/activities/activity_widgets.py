"""Interaction lists shared by the client, contact, activities and dashboard pages (seed 003's components): the
recent-activities card and the timeline. The forms that log interactions are in pages.interaction_forms."""

from collections.abc import Callable

from nicegui import ui

from components.badges import type_avatar
from components.confirm import confirm
from components.empty_state import empty_state
from components.formatting import format_datetime
from db.models import InteractionType
from pages.activities.interaction_forms import Refresh, notify, open_interaction_dialog
from pages.cases.case_form import enum_options
from services import interactions as interactions_service
from services.actor import Actor
from services.errors import DomainError
from services.interactions import InteractionFilter, InteractionRead, TimelineEntry
from services.paging import PageRequest
from ui.data import call
from ui.feedback import failed, saved
from ui.i18n import current_language, t

TIMELINE_PAGE = 50


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
        await notify(self.on_change)

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


