"""The screens `bench.browser` measures, and how to tell that each one shows its DATA (not a skeleton, not the
previous screen): the one place to update when the pages change.

Each screen has a CSS selector of the element that carries its data, and a regular expression the browser's
location (path + query) must match when that element counts; the element must hold text (skeletons are empty)
and, for the client page, exactly the expected client's name. NiceGUI's `.mark()` exists only on the server, so the
selectors rest on DOM facts: Quasar's classes, the project's own CSS classes and `data-` attributes. They do not
depend on how the page is delivered: full page loads today, a single-page shell (`ui.sub_pages`) whose content
changes tomorrow, a client-side board component later (which must keep `data-kanban-card` on its cards).

`CYCLE` is the way a user goes round the app in-app: each step starts from the screen reached by the previous one.
"""

from dataclasses import dataclass

CONTENT = '.q-page'  # the page's content under NiceGUI's layout (header and drawer excluded)


@dataclass(frozen=True)
class Screen:
    name: str
    url: str  # opened by a cold load; {client_id} and {query} are filled in
    location: str  # regular expression on location.pathname + location.search
    selector: str
    named: bool = False  # the element's text must be the expected name (the client's)
    about: str = ''


SCREENS = {screen.name: screen for screen in (
    Screen('clients', '/clients', r'^/clients/?(\?.*)?$', f'{CONTENT} .q-table tbody tr',
           about='a row of the client list (Quasar table body row with text; on phones the table turns into cards)'),
    Screen('search', '/search?q={query}', r'^/search\?q=.+', ', '.join(
        f'{CONTENT} a[href^="/{kind}/"]' for kind in ('clients', 'contacts', 'cases')),
        about='a result: a link to a client, contact or case in the content'),
    Screen('client', '/clients/{client_id}', r'^/clients/\d+', f'{CONTENT} .crm-page-title', named=True,
           about="the client's name as the page title (the page's data: the client is loaded)"),
    Screen('cases', '/cases', r'^/cases/?(\?.*)?$', f'{CONTENT} .q-table tbody tr',
           about='a row of the case list'),
    Screen('cases_board', '/cases/board', r'^/cases/board', f'{CONTENT} [data-kanban-card]',
           about='a card of the case board (components.kanban sets data-kanban-card)'),
    Screen('pipeline', '/pipeline', r'^/pipeline/?(\?.*)?$', f'{CONTENT} [data-kanban-card]',
           about='a client card of the pipeline board'),
    Screen('dashboard', '/', r'^/(\?.*)?$', f'{CONTENT} .q-card .text-3xl',
           about='a KPI figure (components.kpi_card; its skeleton has the same size class but no text)'),
)}


@dataclass(frozen=True)
class Step:
    """How a user reaches `target` from the screen before it: `action` is one of
    drawer (click the drawer's item labelled `label`), button (click the content's button labelled `label`),
    row (click the first row of the table) and search (type the query in the header's search box, press Enter)."""

    target: str
    action: str
    label: str = ''


# From the dashboard round the app and back (the French labels of ui/locales/fr.json).
CYCLE = (
    Step('clients', 'drawer', 'Clients'),
    Step('client', 'row'),
    Step('search', 'search'),
    Step('cases', 'drawer', 'Dossiers'),
    Step('cases_board', 'button', 'Tableau'),
    Step('pipeline', 'drawer', 'Pipeline'),
    Step('dashboard', 'drawer', 'Tableau de bord'),
)
# Cold loads end on the dashboard, where the cycle starts.
COLD_ORDER = ('clients', 'search', 'client', 'cases', 'cases_board', 'pipeline', 'dashboard')
ACTION_TARGETS = {  # where the element to act on is (see the probe's `target`)
    'drawer': '.q-drawer .q-item',
    'button': f'{CONTENT} .q-btn',
    'row': f'{CONTENT} .q-table tbody tr',
    'search': '.q-header input',
}
