"""Global search results: clients, contacts, cases and notes, ranked, accents ignored."""

from nicegui import ui

from components.empty_state import empty_state
from components.link_list import link_list
from services import search as search_service
from services.actor import Actor
from ui.data import call
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame
from ui.search_box import on_enter, results_path

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
            on_enter(box, lambda text: ui.navigate.to(results_path(text)))
            results = ui.card().classes('crm-card w-full p-0')
            with results:
                for _ in range(3):
                    ui.skeleton('text').classes('w-full h-10 m-2')
        hits = await call(search_service.search, actor, q, limit=50) if q.strip() else []
        results.clear()
        with results:
            if not hits:
                empty_state(t('search.empty_title'), t('search.empty_hint'), icon='search_off')
                return
            link_list([{'key': f'{hit.entity}-{hit.entity_id}', 'href': hit.path, 'icon': ICONS[hit.entity],
                        'title': hit.title, 'subtitle': hit.subtitle, 'badge': t(f'entity.{hit.entity}')}
                       for hit in hits], separators=True).mark('search-results')
