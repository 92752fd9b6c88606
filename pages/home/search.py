"""Global search results: clients, contacts, cases and notes, ranked, accents ignored."""

from urllib.parse import quote

from nicegui import ui

from components.empty_state import empty_state
from services import search as search_service
from services.actor import Actor
from ui.data import call
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame

ICONS = {'client': 'business', 'contact': 'person', 'case': 'folder', 'note': 'sticky_note_2'}


def register() -> None:
    @member_page('/search')
    async def search_page(actor: Actor, q: str = '') -> None:
        with frame(actor, t('search.title'), path='/search',
                   subtitle=t('search.subtitle', query=q) if q.strip() else None):
            box = ui.input(placeholder=t('header.search_placeholder'), value=q) \
                .props('outlined clearable autofocus').classes('w-full max-w-xl').mark('search-page-input')
            with box.add_slot('prepend'):
                ui.icon('search')
            box.on('keydown.enter', lambda: ui.navigate.to(f'/search?q={quote(box.value or "")}'))
            results = ui.card().classes('crm-card w-full p-0')
            with results:
                for _ in range(3):
                    ui.skeleton('text').classes('w-full h-10 m-2')
        hits = await call(search_service.search, actor, q, limit=50) if q.strip() else []
        results.clear()
        with results:
            if not hits:
                empty_state(t('search.empty_title'), t('search.empty_hint'), icon='search_off')
            for index, hit in enumerate(hits):
                if index:
                    ui.separator()
                with ui.link(target=hit.path).classes('w-full no-underline text-inherit') \
                        .mark(f'hit-{hit.entity}-{hit.entity_id}'):
                    with ui.row().classes('w-full items-center gap-3 px-4 py-3 no-wrap hover:bg-slate-50'):
                        ui.icon(ICONS[hit.entity]).classes('text-primary text-xl')
                        with ui.column().classes('gap-0 min-w-0 flex-1'):
                            ui.label(hit.title).classes('font-medium truncate text-slate-800')
                            ui.label(hit.subtitle).classes('text-xs crm-muted truncate')
                        ui.badge(t(f'entity.{hit.entity}')).props('outline color=grey-7 rounded')
