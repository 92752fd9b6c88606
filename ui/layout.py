"""The app shell: header (tenant, search, language, user menu), navigation drawer; a screen's title and frame."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from nicegui import Client, app, context, ui

from db.session import session_scope
from services.actor import Actor
from services.users import set_own_language
from ui.data import in_thread
from ui.feedback import show_flash
from ui.i18n import LANGUAGES, current_language, t
from ui.search_box import search_box
from ui.session import sign_out
from ui.theme import apply_theme


@dataclass(frozen=True)
class NavItem:
    key: str
    icon: str
    path: str | None  # None: a section still to come
    admin_only: bool = False


NAVIGATION = (
    NavItem('nav.dashboard', 'space_dashboard', '/'),
    NavItem('nav.clients', 'groups', '/clients'),
    NavItem('nav.cases', 'folder_open', '/cases'),
    NavItem('nav.pipeline', 'view_kanban', '/pipeline'),
    NavItem('nav.activities', 'forum', '/activities'),
    NavItem('nav.kpis', 'leaderboard', '/kpis'),
    NavItem('nav.sales', 'point_of_sale', '/sales'),
    NavItem('nav.products', 'inventory_2', '/products'),
    NavItem('nav.analytics', 'insights', '/analytics'),
    NavItem('nav.recommendations', 'recommend', '/analytics/recommendations'),
    NavItem('nav.data_quality', 'fact_check', '/analytics/quality'),
    NavItem('nav.campaigns', 'campaign', None),
    NavItem('nav.invoices', 'receipt_long', None),
)
SETTINGS_NAVIGATION = (
    NavItem('nav.users', 'manage_accounts', '/admin/users', admin_only=True),
    NavItem('nav.client_types', 'category', '/admin/client-types', admin_only=True),
    NavItem('nav.pipeline_settings', 'tune', '/admin/pipeline', admin_only=True),
    NavItem('nav.ai_settings', 'psychology', '/admin/ai', admin_only=True),
    NavItem('nav.audit', 'history', '/admin/audit', admin_only=True),
    NavItem('nav.account', 'person', '/account'),
)


_ENTRIES: WeakKeyDictionary[Client, dict[str, ui.item]] = WeakKeyDictionary()  # each browser's drawer entries


def _logout() -> None:
    sign_out()
    ui.navigate.to('/login')


def _save_language(actor: Actor, language: str) -> None:
    with session_scope() as session:
        set_own_language(session, actor, language)


async def _switch_language(actor: Actor, language: str) -> None:
    app.storage.user['language'] = language
    await in_thread(_save_language, actor, language)
    ui.navigate.reload()  # the shell itself speaks the new language


def _header(actor: Actor, drawer: ui.left_drawer) -> None:
    with ui.header(elevated=False).classes('items-center gap-2 px-3 py-2 bg-primary text-white'):
        ui.button(icon='menu', on_click=drawer.toggle).props('flat round dense color=white').mark('menu-toggle')
        ui.label('CRM IA').classes('text-lg font-bold tracking-tight')
        ui.label(actor.tenant_name).classes('text-sm opacity-80 gt-xs').mark('tenant-name')
        ui.space()
        search_box(actor)
        with ui.button(current_language().upper()).props('flat dense color=white').mark('language-menu'):
            with ui.menu():
                for language in LANGUAGES:
                    ui.menu_item(t(f'language.{language}'),
                                 on_click=lambda _, lang=language: _switch_language(actor, lang)) \
                        .mark(f'language-{language}')
        with ui.button(icon='account_circle').props('flat round color=white').mark('user-menu'):
            with ui.menu().classes('min-w-56'):
                with ui.column().classes('px-4 py-2 gap-0'):
                    ui.label(actor.display_name).classes('font-semibold')
                    ui.label(f'{actor.email} · {t("role." + actor.role)}').classes('text-xs crm-muted')
                ui.separator()
                ui.menu_item(t('nav.account'), on_click=lambda: ui.navigate.to('/account'))
                ui.menu_item(t('auth.logout'), on_click=_logout).mark('logout')


def _nav_entry(item: NavItem, entries: dict[str, ui.item]) -> None:
    if item.path is None:
        with ui.item().props('disable dense').classes('rounded-lg mx-2'):
            with ui.item_section().props('avatar'):
                ui.icon(item.icon)
            with ui.item_section():
                ui.item_label(t(item.key))
            with ui.item_section().props('side'):
                ui.label(t('nav.soon')).classes('text-[10px] uppercase tracking-wide text-slate-400')
        return
    entry = ui.item(on_click=lambda: ui.navigate.to(item.path)).props('clickable dense') \
        .classes('rounded-lg mx-2').mark(f'nav-{item.key.removeprefix("nav.")}')
    entries[item.path] = entry
    with entry:
        with ui.item_section().props('avatar'):
            ui.icon(item.icon)
        with ui.item_section():
            ui.item_label(t(item.key))


def _drawer(actor: Actor) -> ui.left_drawer:
    entries: dict[str, ui.item] = {}
    # value=False + show-if-above: Quasar opens it on wide screens by itself, with no round trip to ask the browser
    with ui.left_drawer(value=False, bordered=True).props('show-if-above width=264 breakpoint=1024') \
            .classes('bg-white pt-3') as drawer:
        with ui.list().classes('w-full gap-1'):
            ui.item_label(actor.tenant_name).props('header').classes('lt-sm font-semibold text-primary pt-0')
            for item in NAVIGATION:
                _nav_entry(item, entries)
            ui.separator().classes('my-3')
            ui.item_label(t('nav.settings')).props('header').classes('text-xs uppercase tracking-wide')
            for item in SETTINGS_NAVIGATION:
                if not item.admin_only or actor.is_admin:
                    _nav_entry(item, entries)
    _ENTRIES[context.client] = entries
    return drawer


def shell(actor: Actor) -> None:
    """What stays on screen from one screen to the next: theme, drawer and header."""
    apply_theme()
    drawer = _drawer(actor)
    _header(actor, drawer)


def highlight(path: str) -> None:
    """Mark the drawer entry of the screen shown."""
    for entry_path, entry in _ENTRIES.get(context.client, {}).items():
        if entry_path == path:
            entry.classes(add='crm-nav-active')
        else:
            entry.classes(remove='crm-nav-active')


@contextmanager
def frame(actor: Actor, title: str, *, path: str, subtitle: str | None = None,
          back: tuple[str, str] | None = None) -> Iterator[ui.column]:
    """A screen's content inside the shell: its title (tab and page), the navigation entry it belongs to, and the
    body, which goes inside the yielded column. The header and the drawer stay from screen to screen."""
    show_flash()
    ui.page_title(f'{title} · CRM IA')
    highlight(path)
    with ui.column().classes('w-full max-w-7xl mx-auto p-4 md:p-6 gap-4') as body:
        with ui.column().classes('gap-0 w-full'):
            if back:
                with ui.link(target=back[0]).classes('flex items-center gap-1 text-sm text-primary no-underline') \
                        .mark('back-link'):
                    ui.icon('arrow_back', size='xs')
                    ui.label(back[1])
            ui.label(title).classes('crm-page-title break-words').mark('page-title')
            if subtitle:
                ui.label(subtitle).classes('crm-muted')
        yield body
