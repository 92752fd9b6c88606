"""The header's search box: suggestions while typing, the full result page on Enter, Ctrl+K to focus."""

from urllib.parse import quote

from nicegui import ui

from services import search as search_service
from services.actor import Actor
from ui.data import call
from ui.i18n import t

ICONS = {'client': 'business', 'contact': 'person', 'case': 'folder', 'note': 'sticky_note_2'}
SUGGESTIONS = 8


def search_box(actor: Actor) -> ui.input:
    search = ui.input(placeholder=t('header.search_placeholder')) \
        .props('dense standout="bg-white text-slate-800" dark rounded clearable debounce=250') \
        .classes('w-72 gt-sm').mark('global-search')
    with search.add_slot('prepend'):
        ui.icon('search')
    with search:
        menu = ui.menu().props('no-parent-event no-focus fit anchor="bottom left" self="top left"') \
            .classes('min-w-80').mark('search-suggestions')

    async def suggest() -> None:
        query = (search.value or '').strip()
        if len(query) < 2:
            menu.close()
            return
        hits = await call(search_service.search, actor, query, limit=SUGGESTIONS)
        menu.clear()
        with menu:
            if not hits:
                ui.item(t('search.empty_title')).props('dense disable')
            for hit in hits:
                with ui.item(on_click=lambda h=hit: ui.navigate.to(h.path)).props('clickable dense') \
                        .mark(f'suggestion-{hit.entity}-{hit.entity_id}'):
                    with ui.item_section().props('avatar'):
                        ui.icon(ICONS[hit.entity]).classes('text-primary')
                    with ui.item_section():
                        ui.item_label(hit.title).classes('truncate')
                        ui.item_label(hit.subtitle).props('caption').classes('truncate')
            ui.separator()
            ui.item(t('search.all_results'), on_click=lambda: ui.navigate.to(f'/search?q={quote(query)}')) \
                .props('clickable dense').classes('text-primary')
        menu.open()

    search.on_value_change(suggest)
    search.on('keydown.enter', lambda: ui.navigate.to(f'/search?q={quote(search.value or "")}'))
    search.on('keydown.esc', menu.close)
    ui.keyboard(lambda e: search.run_method('focus') if e.action.keydown and e.modifiers.ctrl and e.key == 'k'
                else None, ignore=[])
    ui.button(icon='search', on_click=lambda: ui.navigate.to('/search')).props('flat round dense color=white') \
        .classes('lt-md').mark('search-button')
    return search
