"""Settings › Audit log: who changed what and when, filtered and paged on the server."""

from datetime import date

from nicegui import ui

from components.filter_bar import filter_bar
from components.formatting import format_datetime
from components.paged_table import TableQuery, paged_table
from db.models import AuditAction
from db.session import session_scope
from pages.admin.audit_changes import describe_changes, entity_label
from services import audit
from services.actor import Actor
from services.audit import AuditEntry, AuditFilter
from services.paging import Page, PageRequest
from ui.data import in_thread
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame


def _entries(actor: Actor, filters: AuditFilter, query: TableQuery) -> Page[AuditEntry]:
    with session_scope() as session:
        return audit.list_entries(session, actor, filters, PageRequest(limit=query.rows_per_page, offset=query.offset))


def _entities(actor: Actor) -> list[str]:
    with session_scope() as session:
        return audit.audited_entities(session, actor)


def _row(entry: AuditEntry, language: str) -> dict:
    return {
        'id': entry.id,
        'created_at': format_datetime(entry.created_at, language),
        'user_email': entry.user_email if entry.user_email != 'system' else t('audit.system'),
        'action': t(f'audit.action_{entry.action}'),
        'entity': entity_label(entry.entity) + (f' #{entry.entity_id}' if entry.entity_id else ''),
        'changes': describe_changes(entry.entity, entry.changes, created=entry.action == AuditAction.CREATE),
    }


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _columns() -> list[dict]:
    return [
        {'name': 'created_at', 'label': t('audit.when'), 'field': 'created_at', 'align': 'left'},
        {'name': 'user_email', 'label': t('audit.who'), 'field': 'user_email', 'align': 'left'},
        {'name': 'action', 'label': t('audit.action'), 'field': 'action', 'align': 'left'},
        {'name': 'entity', 'label': t('audit.entity'), 'field': 'entity', 'align': 'left'},
        {'name': 'changes', 'label': t('audit.changes'), 'field': 'changes', 'align': 'left',
         'classes': 'whitespace-normal', 'style': 'min-width: 240px'},
    ]


def _date_input(label: str, mark: str) -> ui.input:
    with ui.input(label).props('outlined dense clearable').classes('w-full sm:w-40').mark(mark) as field:
        with ui.menu().props('no-parent-event') as menu:
            ui.date(mask='YYYY-MM-DD').bind_value(field).on_value_change(menu.close)
        with field.add_slot('append'):
            ui.icon('event').on('click', menu.open).classes('cursor-pointer')
    return field


def register() -> None:
    @member_page('/admin/audit')
    async def audit_page(actor: Actor) -> None:
        language = current_language()
        with frame(actor, t('nav.audit'), path='/admin/audit', subtitle=t('audit.subtitle')):
            if not actor.is_admin:
                from pages.admin.users import forbidden_notice

                forbidden_notice()
                return
            with filter_bar(t('filters.button')) as bar, bar.folded:
                entity = bar.track(ui.select({}, label=t('audit.entity'), clearable=True)
                                   .props('outlined dense').classes('w-full sm:w-44').mark('audit-entity'))
                action = bar.track(ui.select({a.value: t(f'audit.action_{a.value}') for a in AuditAction},
                                             label=t('audit.action'), clearable=True)
                                   .props('outlined dense').classes('w-full sm:w-40').mark('audit-action'))
                who = bar.track(ui.input(t('audit.who')).props('outlined dense clearable debounce=300')
                                .classes('w-full sm:w-56').mark('audit-user'))
                date_from = bar.track(_date_input(t('audit.from'), 'audit-from'))
                date_to = bar.track(_date_input(t('audit.to'), 'audit-to'))

            def current_filters() -> AuditFilter:
                return AuditFilter(entity=entity.value, action=action.value, user_email=who.value,
                                   date_from=_parse_day(date_from.value), date_to=_parse_day(date_to.value))

            async def fetch(query: TableQuery) -> tuple[list[dict], int]:
                page = await in_thread(_entries, actor, current_filters(), query)
                rows = [_row(entry, language) for entry in page.items]
                return rows, page.total

            table = paged_table(columns=_columns(), fetch=fetch, no_data_label=t('audit.empty')).mark('audit-table')
            for control in (entity, action, who, date_from, date_to):
                control.on_value_change(lambda: table.load(page=1))
        entity.set_options({name: entity_label(name) for name in await in_thread(_entities, actor)})
        await table.load(page=1)
