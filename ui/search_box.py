"""The header's search box: suggestions while typing, the full result page on Enter, Ctrl+K to focus."""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from nicegui import events, ui

from services import search as search_service
from services.actor import Actor
from ui.data import call
from ui.i18n import t

ICONS = {'client': 'business', 'contact': 'person', 'case': 'folder', 'note': 'sticky_note_2'}
SUGGESTIONS = 8
TEXT_WITH_KEY = '(event) => emit(event.target.value)'  # the text in the box when the key went down


def on_enter(field: ui.input, submit: Callable[[str], Any]) -> None:
    """Call `submit(text)` on Enter with the text in the box at that moment. The browser sends it with the key:
    the field's value on the server may still be the previous text (a debounced box sends it a moment later)."""

    def handle(event: events.GenericEventArguments) -> Any:
        return submit(event.args if isinstance(event.args, str) else field.value or '')

    field.on('keydown.enter', handle, js_handler=TEXT_WITH_KEY)


def results_path(query: str) -> str:
    return f'/search?q={quote(query.strip())}'


def search_box(actor: Actor) -> ui.input:
    search = ui.input(placeholder=t('header.search_placeholder')) \
        .props('dense standout="bg-white text-slate-800" dark rounded clearable debounce=250') \
        .classes('w-72 gt-sm').mark('global-search')
    with search.add_slot('prepend'):
        ui.icon('search')
    with search:
        menu = ui.menu().props('no-parent-event no-focus fit anchor="bottom left" self="top left"') \
            .classes('min-w-80').mark('search-suggestions')
    submitted = {'query': None}  # what Enter searched: its value arriving late must not open the suggestions

    async def suggest() -> None:
        query = (search.value or '').strip()
        if len(query) < 2 or query == submitted['query']:
            menu.close()
            return
        submitted['query'] = None
        hits = await call(search_service.search, actor, query, limit=SUGGESTIONS)
        if query != (search.value or '').strip() or query == submitted['query']:
            return  # typed on, or searched with Enter, while these suggestions were on their way
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
            ui.item(t('search.all_results'), on_click=lambda: ui.navigate.to(results_path(query))) \
                .props('clickable dense').classes('text-primary')
        menu.open()

    def search_all(text: str) -> None:
        submitted['query'] = text.strip()
        menu.close()
        ui.navigate.to(results_path(text))

    search.on_value_change(suggest)
    on_enter(search, search_all)
    search.on('keydown.esc', menu.close)
    ui.keyboard(lambda e: search.run_method('focus') if e.action.keydown and e.modifiers.ctrl and e.key == 'k'
                else None, ignore=[])
    ui.button(icon='search', on_click=lambda: ui.navigate.to('/search')).props('flat round dense color=white') \
        .classes('lt-md').mark('search-button')
    return search
