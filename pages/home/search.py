"""Global search results: clients, contacts, cases and notes, ranked, accents ignored."""

from urllib.parse import quote

from nicegui import ui

from components.contact_links import mailto_href, tel_href, website_href
from components.empty_state import empty_state
from components.link_list import link_list
from db.models import SearchEntity
from services import contact_points
from services import search as search_service
from services.actor import Actor
from services.contact_details import display_phone
from services.contact_points import ContactPoints
from services.search import SearchHit
from ui.data import call
from ui.guard import member_page
from ui.i18n import t
from ui.layout import frame

ICONS = {'client': 'business', 'contact': 'person', 'case': 'folder', 'note': 'sticky_note_2'}


def _hits_and_contact_points(session, actor: Actor, query: str) -> tuple[list[SearchHit], dict]:
    """The hits, and the e-mail and phone of those that are clients or contacts, read in one unit of work."""
    hits = search_service.search(session, actor, query, limit=50)
    readers = {SearchEntity.CLIENT: contact_points.of_clients, SearchEntity.CONTACT: contact_points.of_contacts}
    return hits, {kind: read(session, actor, {hit.entity_id for hit in hits if hit.entity == kind})
                  for kind, read in readers.items()}


def _links(points: ContactPoints | None) -> list[dict]:
    """Write to, call or visit the client or contact of a hit, from the results (links beside the row, which opens
    the record)."""
    if points is None:
        return []
    links = [{'href': mailto_href(points.email), 'icon': 'mail', 'label': points.email, 'external': False},
             {'href': tel_href(points.phone), 'icon': 'call', 'label': display_phone(points.phone),
              'external': False},
             {'href': website_href(points.website), 'icon': 'language', 'label': points.website, 'external': True}]
    return [link for link in links if link['href']]


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
        hits, points = await call(_hits_and_contact_points, actor, q) if q.strip() else ([], {})
        results.clear()
        with results:
            if not hits:
                empty_state(t('search.empty_title'), t('search.empty_hint'), icon='search_off')
                return
            link_list([{'key': f'{hit.entity}-{hit.entity_id}', 'href': hit.path, 'icon': ICONS[hit.entity],
                        'title': hit.title, 'subtitle': hit.subtitle, 'badge': t(f'entity.{hit.entity}'),
                        'links': _links(points.get(hit.entity, {}).get(hit.entity_id))}
                       for hit in hits], separators=True).mark('search-results')
