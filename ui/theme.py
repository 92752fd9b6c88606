"""Colours and global styles: one look for every screen."""

import hashlib
import html
from functools import cache
from pathlib import Path
from urllib.parse import quote

from nicegui import app, context, ui

from ui.page_language import follow_user_language

PRIMARY = '#1d4e89'
TAILWIND_CSS = Path(__file__).with_name('tailwind') / 'tailwind.css'  # built by `make css`
TAILWIND_MAX_AGE = 365 * 24 * 3600  # seconds: the file's name changes with its content

GLOBAL_CSS = '''
body { background: #f5f7fb; }
.crm-card { border-radius: 12px; box-shadow: 0 1px 3px rgba(16, 24, 40, .08); }
.crm-page-title { font-size: 1.5rem; font-weight: 600; color: #0f172a; }
.crm-muted { color: #64748b; }
.truncate { max-width: 100%; }  /* NiceGUI columns align items at the start: keep long lines inside */
.q-drawer .q-item.crm-nav-active { background: rgba(29, 78, 137, .10); color: #1d4e89; font-weight: 600; }
.q-table th { font-weight: 600; color: #334155; }
.crm-markdown p { margin: 0 0 .5em; }
.crm-markdown ul { list-style: disc; padding-left: 1.4em; margin: 0 0 .5em; }
.crm-markdown ol { list-style: decimal; padding-left: 1.4em; margin: 0 0 .5em; }
.crm-markdown a { color: #1d4e89; text-decoration: underline; }
.crm-markdown code { background: #f1f5f9; padding: 0 .25em; border-radius: 4px; }
.crm-kanban-column { background: #eef2f7; }
.crm-kanban-over { background: #dbe7f5; outline: 2px dashed #1d4e89; }
.crm-kanban-card { position: relative; }
.crm-kanban-chip { padding: 2px 8px; font-weight: 500; }
.crm-kanban-avatar { width: 24px; height: 24px; border-radius: 50%; font-size: 12px; display: inline-flex;
  align-items: center; justify-content: center; background: #eceff1; color: #263238; flex-shrink: 0; }
.crm-kanban-button { width: 28px; height: 28px; border: 0; border-radius: 50%; background: transparent; padding: 0;
  display: inline-flex; align-items: center; justify-content: center; cursor: pointer; color: inherit; }
.crm-kanban-button:hover, .crm-kanban-button:focus-visible { background: rgba(0, 0, 0, .08); outline: none; }
.crm-kanban-button .q-icon { font-size: 18px; }
.crm-kanban-menu { position: absolute; top: 4px; right: 4px; }
.crm-link-row { gap: 12px; padding: 12px 16px; min-width: 0; }
.crm-link-row:hover { background: #f8fafc; }
.crm-link-row--dense { gap: 8px; padding: 4px 0; }
.crm-link-row--dense:hover { background: transparent; }
.crm-link-row__text { flex: 1 1 0; min-width: 0; }
.crm-file-drop .q-uploader__list { min-height: 0; padding: 0; }  /* components/file_drop.py: files on their way only */
.crm-file-drop .q-uploader__file { margin: 8px; }
.crm-link-action { width: 40px; height: 40px; border-radius: 50%; display: inline-flex; align-items: center;
  justify-content: center; color: #1d4e89; flex-shrink: 0; }
.crm-link-action:hover, .crm-link-action:focus-visible { background: rgba(29, 78, 137, .08); }
.crm-link-action .q-icon { font-size: 20px; }
.crm-link-action:last-child { margin-right: 8px; }
/* A paged table's cards on phones: one line per field (label, then value), so that a screen holds several rows */
.q-table__grid-item { padding: 3px 0; }
.q-table__grid-item-card { padding: 8px 14px; }
.q-table__grid-item-row { display: flex; align-items: baseline; gap: 12px; }
.q-table__grid-item-row + .q-table__grid-item-row { margin-top: 2px; }
.q-table__grid-item-title { flex: 0 0 32%; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.q-table__grid-item-value { flex: 1 1 0; min-width: 0; overflow-wrap: anywhere; }
'''


@cache
def tailwind_url() -> str:
    """Where the precompiled Tailwind CSS is served: its name carries a hash of its content."""
    digest = hashlib.sha256(TAILWIND_CSS.read_bytes()).hexdigest()[:12]
    return f'/static/tailwind.{digest}.css'


def serve_tailwind() -> None:
    """Serve the precompiled Tailwind CSS, which replaces NiceGUI's in-browser Tailwind (`ui.run(tailwind=False)`).
    Called from main.py, so that NiceGUI's test fixtures, which replay main.py, register it again."""
    app.add_static_file(local_file=TAILWIND_CSS, url_path=tailwind_url(), max_cache_age=TAILWIND_MAX_AGE)


def set_element_defaults() -> None:
    """Sentence case on every button, toggle and tab: Quasar writes their labels in capitals unless told `no-caps`.
    Called from main.py, before any page builds an element (NiceGUI's defaults apply to elements made after)."""
    for element in (ui.button, ui.toggle, ui.dropdown_button, ui.tabs):
        element.default_props('no-caps')


def _link_tailwind() -> None:
    """Link the Tailwind CSS from this page's head, behind the proxy's prefix if any (as NiceGUI does for its own
    files); its layers take their place in the order NiceGUI's page template declares."""
    request = context.client.request
    prefix = quote(request.headers.get('X-Forwarded-Prefix', ''), safe="/:@!$&'()*+,;=%") \
        + request.scope.get('root_path', '')
    ui.add_head_html(f'<link rel="stylesheet" href="{html.escape(prefix + tailwind_url())}">')


def apply_theme() -> None:
    """The look of a page; every page calls it first (the login page and the shell)."""
    follow_user_language()  # Quasar's own words too
    _link_tailwind()
    ui.colors(primary=PRIMARY, secondary='#0f766e', accent='#7c3aed', positive='#15803d', negative='#b91c1c',
              warning='#b45309', info='#0369a1')
    ui.add_css(GLOBAL_CSS)
    ui.query('body').classes('text-slate-800')
