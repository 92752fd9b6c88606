import plotly.graph_objects as go
from nicegui import run, ui

from components.empty_state import empty_state
from components.formatting import format_integer
from components.kpi_card import kpi_card, kpi_skeleton
from db.session import session_scope
from services.actor import Actor
from services.overview import TenantOverview, tenant_overview
from ui.guard import member_page
from ui.i18n import current_language, t
from ui.layout import frame


def _load(actor: Actor) -> TenantOverview:
    with session_scope() as session:
        return tenant_overview(session, actor)


def _clients_by_type_chart(by_type: dict[str, int]) -> None:
    labels = [name or t('dashboard.no_type') for name in by_type]
    figure = go.Figure(go.Bar(x=list(by_type.values()), y=labels, orientation='h', marker_color='#1d4e89'))
    figure.update_layout(margin={'l': 10, 'r': 10, 't': 10, 'b': 10}, height=280,
                         yaxis={'autorange': 'reversed'}, plot_bgcolor='white', paper_bgcolor='white')
    ui.plotly({**figure.to_plotly_json(), 'config': {'displayModeBar': False, 'responsive': True}}) \
        .classes('w-full')


def register() -> None:
    @member_page('/')
    async def dashboard_page(actor: Actor) -> None:
        language = current_language()
        with frame(actor, t('nav.dashboard'), path='/', subtitle=t('dashboard.welcome', name=actor.display_name)):
            with ui.row().classes('w-full gap-4') as cards:
                for _ in range(3):
                    kpi_skeleton()
            chart_card = ui.card().classes('crm-card w-full p-4')
            with chart_card:
                ui.label(t('dashboard.clients_by_type')).classes('font-semibold')
                ui.skeleton('rect').classes('w-full h-64')
        overview = await run.io_bound(_load, actor)
        cards.clear()
        with cards:
            kpi_card(t('dashboard.clients'), format_integer(overview.clients, language), icon='groups',
                     mark='kpi-clients')
            kpi_card(t('dashboard.active_clients'), format_integer(overview.active_clients, language),
                     icon='verified', mark='kpi-active-clients')
            kpi_card(t('dashboard.users'), format_integer(overview.users, language), icon='badge',
                     mark='kpi-users')
        chart_card.clear()
        with chart_card:
            ui.label(t('dashboard.clients_by_type')).classes('font-semibold')
            if overview.clients_by_type:
                _clients_by_type_chart(overview.clients_by_type)
            else:
                empty_state(t('dashboard.empty_title'), t('dashboard.empty_hint'), icon='groups')
