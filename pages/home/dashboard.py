"""The dashboard: what the tenant holds, open cases by status and type, overdue cases, my tasks, this week."""

from nicegui import ui

from components.badges import CASE_STATUS_COLORS
from components.charts import bar_chart
from components.empty_state import empty_state
from components.figure_title import figure_title
from components.formatting import format_date, format_integer
from components.kpi_card import kpi_card, kpi_skeleton
from components.link_list import link_list
from db.models import CaseStatus
from pages.activities.activity_widgets import RecentActivities
from pages.ai.ai_widgets import AnalyseAll, at_risk_list
from services import cases as cases_service
from services import notes as notes_service
from services.actor import Actor
from services.overview import tenant_overview
from ui.data import call
from ui.first_data import data_shown
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame

QUASAR_HEX = {'blue-6': '#2196f3', 'indigo-6': '#3f51b5', 'amber-8': '#ff8f00', 'green-7': '#388e3c',
              'grey-6': '#757575'}


def _chart_card(title: str, definition: str) -> ui.card:
    with ui.card().classes('crm-card flex-1 min-w-0 basis-72 p-4') as card:
        figure_title(title, definition)
        ui.skeleton('rect').classes('w-full h-56')
    return card


def _list_card(title: str, mark: str) -> ui.card:
    with ui.card().classes('crm-card flex-1 min-w-0 basis-72 p-4 gap-2 overflow-hidden').mark(mark) as card:
        ui.label(title).classes('font-semibold')
        for _ in range(3):
            ui.skeleton('text').classes('w-full')
    return card


def _fill_list(card: ui.card, title: str, empty: str, mark: str, items: list[dict]) -> None:
    card.clear()
    with card:
        ui.label(title).classes('font-semibold')
        if items:
            link_list(items, dense=True).mark(mark)
        else:
            ui.label(empty).classes('crm-muted text-sm').mark(f'{mark}-empty')


def _figures(session, actor: Actor) -> tuple:
    return tenant_overview(session, actor), cases_service.case_counts(session, actor)


def _agenda(session, actor: Actor) -> tuple:
    return notes_service.open_tasks(session, actor), cases_service.due_soon(session, actor)


def register() -> None:
    @member_page('/')
    async def dashboard_page(actor: Actor) -> None:
        language = current_language()
        with frame(actor, t('nav.dashboard'), path='/', subtitle=t('dashboard.welcome', name=actor.display_name)):
            with ui.row().classes('w-full gap-4') as cards:
                for _ in range(4):
                    kpi_skeleton()
            with ui.row().classes('w-full gap-4'):
                by_status_card = _chart_card(t('dashboard.open_by_status'), t('figure.open_by_status'))
                by_type_card = _chart_card(t('dashboard.open_by_type'), t('figure.open_by_type'))
            with ui.row().classes('w-full gap-4'):
                tasks_card = _list_card(t('dashboard.my_tasks'), 'my-tasks')
                week_card = _list_card(t('dashboard.due_this_week'), 'due-this-week')
                with ui.card().classes('crm-card flex-1 min-w-0 basis-72 p-4 gap-2 overflow-hidden') \
                        .mark('cases-at-risk'):
                    ui.label(t('ai.cases_at_risk')).classes('font-semibold')
                    at_risk = ui.column().classes('w-full gap-0')
                    with at_risk:
                        for _ in range(3):
                            ui.skeleton('text').classes('w-full')
                    analyse_all = AnalyseAll(actor, on_done=lambda: at_risk_list(actor, at_risk))
            recent = RecentActivities(actor, show_client=True)
        overview, counts = await call(_figures, actor)  # the figures first: what the eye looks for
        cards.clear()
        with cards:
            kpi_card(t('dashboard.clients'), format_integer(overview.clients, language), icon='groups',
                     caption=t('dashboard.active_caption', n=format_integer(overview.active_clients, language)),
                     definition=t('figure.clients'), mark='kpi-clients')
            kpi_card(t('dashboard.open_cases'), format_integer(sum(counts['by_status'].values()), language),
                     icon='folder_open', definition=t('figure.open_cases'), mark='kpi-open-cases')
            kpi_card(t('dashboard.overdue'), format_integer(counts['overdue'], language), icon='alarm',
                     definition=t('figure.overdue_cases'), mark='kpi-overdue')
            kpi_card(t('dashboard.users'), format_integer(overview.users, language), icon='badge',
                     definition=t('figure.users'), mark='kpi-users')
        data_shown()
        tasks, due = await call(_agenda, actor)
        _fill_list(tasks_card, t('dashboard.my_tasks'), t('dashboard.no_tasks'), 'my-tasks-list', [
            {'key': str(task.id), 'href': f'/cases/{task.case_id}', 'icon': 'task_alt',
             'title': task.body.splitlines()[0][:90] if task.body else '',
             'subtitle': f'{task.case_reference} · {task.case_title}', 'aside': format_date(task.due_date, language),
             'late': t('cases.overdue') if task.is_overdue else None}
            for task in tasks])
        _fill_list(week_card, t('dashboard.due_this_week'), t('dashboard.nothing_due'), 'due-this-week-list', [
            {'key': str(case.id), 'href': f'/cases/{case.id}', 'lead': case.reference, 'title': case.title,
             'aside': format_date(case.due_date, language)} for case in due])
        # the charts after the lists: Plotly draws on the main thread, and the figures must not wait for it
        by_status_card.clear()
        with by_status_card:
            figure_title(t('dashboard.open_by_status'), t('figure.open_by_status'))
            statuses = [s for s in CaseStatus if s.is_open and counts['by_status'].get(s)]
            if statuses:
                bar_chart([t(f'case_status.{s}') for s in statuses], [counts['by_status'][s] for s in statuses],
                          'chart-by-status', colors=[QUASAR_HEX[CASE_STATUS_COLORS[s]] for s in statuses])
            else:
                empty_state(t('dashboard.no_open_cases'), t('dashboard.no_open_cases_hint'), icon='folder_off')
        by_type_card.clear()
        with by_type_card:
            figure_title(t('dashboard.open_by_type'), t('figure.open_by_type'))
            by_type = sorted(counts['by_type'].items(), key=lambda item: -item[1])
            if by_type:
                bar_chart([t(f'case_type.{k}') for k, _ in by_type], [v for _, v in by_type], 'chart-by-type')
            else:
                empty_state(t('dashboard.no_open_cases'), t('dashboard.no_open_cases_hint'), icon='folder_off')
        await recent.refresh()
        await at_risk_list(actor, at_risk)
        await analyse_all.refresh()
