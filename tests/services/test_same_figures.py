"""One word, one number: a figure shown under the same word on several screens is the same number on each of them
(issue 14, item 4), read through the very services those screens call — on SQLite and PostgreSQL.

- «Clients»: the dashboard, the client list, the analyses (a period ending today), the pipeline (board, statistics)
  and the data audit count the clients not archived; «actifs» is the status «Actif» everywhere.
- «Clients acheteurs (90 j)»: clients with a sale in the 90 days, a different figure under a different word.
- A stage's clients: the board's column, the pipeline statistics and the pipeline settings.
- «Dossiers ouverts» and «Dossiers en retard»: the dashboard, the case list's filters and the case board.
- «Chiffre d'affaires», «Ventes», «Panier moyen»: the analyses and the sales list, for the same dates.
- The KPI month (KPI page) and the clients' KPI tabs, for the same month.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from db.models import CaseStatus, ClientStatus, InteractionType, Role
from db.session import session_scope
from services import cases, clients, interactions, kpis, pipeline, sales
from services.analytics import dashboard as analytics
from services.analytics import data_audit
from services.cases import CaseFilter
from services.clients import ClientFilter
from services.clock import today
from services.interactions import InteractionInput
from services.kpis import KpiInput
from services.overview import tenant_overview
from services.paging import PageRequest
from services.pipeline import PipelineFilter
from services.sales import SaleFilter
from tests.factories import make_case, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sale


def _archive(actor, client_id: int) -> None:
    with session_scope() as session:
        clients.set_status(session, actor, client_id, ClientStatus.ARCHIVED)


def _clients_world():
    """Three active clients, one inactive, two archived (one merged away, say), and another firm's client."""
    admin = make_tenant('Cabinet Atlas')
    other = make_tenant('Autre cabinet')
    made = {name: make_client(admin, name, status=status) for name, status in (
        ('Amrani', ClientStatus.ACTIVE), ('Benali', ClientStatus.ACTIVE), ('Cherif', ClientStatus.ACTIVE),
        ('Djaballah', ClientStatus.INACTIVE), ('Easy Import', ClientStatus.ACTIVE), ('Fennec', ClientStatus.INACTIVE))}
    _archive(admin, made['Easy Import'].id)
    _archive(admin, made['Fennec'].id)
    make_client(other, 'Ailleurs')
    return admin, made


def test_clients_are_the_same_number_on_every_screen_archived_ones_left_out(db):
    admin, _ = _clients_world()
    with session_scope() as session:
        home = tenant_overview(session, admin)
        listed = clients.list_clients(session, admin, ClientFilter(), PageRequest()).total
        analysed = analytics.dashboard(session, admin, analytics.resolve_period('12m')).total_clients.value
        board = sum(column.total for column in pipeline.board(session, admin, PipelineFilter()))
        stats = pipeline.pipeline_stats(session, admin, today() - timedelta(days=89), today())
        audited = data_audit.measure(session, admin).components['freshness']['metrics']['clients']
        archived = clients.list_clients(session, admin, ClientFilter(status=ClientStatus.ARCHIVED),
                                        PageRequest()).total
    assert home.clients == listed == analysed == board == audited == 4
    assert sum(count for _, count in stats.by_stage) == sum(count for _, count in stats.by_type) == 4
    # «actifs» is the status on the dashboard and in the pipeline statistics alike
    assert home.active_clients == stats.active == 3
    assert stats.inactive == 1 and stats.active + stats.inactive == home.clients
    assert home.archived_clients == archived == 2


def test_buying_clients_are_another_figure_than_active_ones(db):
    """«Clients acheteurs (90 j)» counts sales, whatever the status; «Clients actifs» counts the status."""
    admin, made = _clients_world()
    lamp = make_product(admin, 'Lampe')
    make_sale(admin, made['Djaballah'].id, today() - timedelta(days=10), [Line(lamp)])  # inactive, yet a buyer
    make_sale(admin, made['Amrani'].id, today() - timedelta(days=200), [Line(lamp)])  # active, bought long ago
    with session_scope() as session:
        home = tenant_overview(session, admin)
        board = analytics.dashboard(session, admin, analytics.resolve_period('30d'))
    assert (home.active_clients, board.buying_clients.value) == (3, 1)


def test_a_stage_has_one_count_on_the_board_in_the_statistics_and_in_the_settings(db):
    admin = make_tenant('Cabinet Atlas')
    with session_scope() as session:
        stages = {stage.key: stage for stage in pipeline.list_stages(session, admin)}
    warm, hot = stages['prospect_tiede'].id, stages['prospect_chaud'].id
    for name, stage, status in (('A', warm, ClientStatus.ACTIVE), ('B', warm, ClientStatus.INACTIVE),
                                ('C', warm, ClientStatus.ACTIVE), ('D', hot, ClientStatus.ACTIVE)):
        client = make_client(admin, name, status=status)
        with session_scope() as session:
            pipeline.move_client(session, admin, client.id, stage)
        if name == 'C':
            _archive(admin, client.id)
    with session_scope() as session:
        board = {column.stage.id: column.total for column in pipeline.board(session, admin, PipelineFilter())}
        stats = dict(pipeline.pipeline_stats(session, admin, today() - timedelta(days=29), today()).by_stage)
        settings = {stage.id: stage for stage in pipeline.list_stages(session, admin)}
    names = {stage.id: stage.name for stage in settings.values()}
    for stage_id, usage in settings.items():
        assert board[stage_id] == stats[names[stage_id]] == usage.clients
    assert (settings[warm].clients, settings[warm].archived, settings[warm].held) == (2, 1, 3)
    assert (settings[hot].clients, settings[hot].archived) == (1, 0)


def test_open_and_overdue_cases_are_the_dashboards_the_lists_and_the_boards(db):
    admin = make_tenant('Cabinet Atlas')
    client = make_client(admin).id
    day = today()
    for status, due in ((CaseStatus.NEW, day - timedelta(days=3)), (CaseStatus.NEW, day),
                        (CaseStatus.IN_PROGRESS, day - timedelta(days=1)), (CaseStatus.WAITING_CLIENT, None),
                        (CaseStatus.RESOLVED, day - timedelta(days=5)), (CaseStatus.CLOSED, day - timedelta(days=9))):
        make_case(admin, client, status=status, due_date=due)
    with session_scope() as session:
        counts = cases.case_counts(session, admin)
        open_listed = cases.list_cases(session, admin, CaseFilter(open_only=True), PageRequest()).total
        overdue_listed = cases.list_cases(session, admin, CaseFilter(overdue=True), PageRequest()).total
        columns, _ = cases.board_and_stamp(session, admin, CaseFilter())
    board = {column.status: column.total for column in columns}
    assert sum(counts['by_status'].values()) == open_listed == 4
    assert counts['overdue'] == overdue_listed == 2
    assert counts['by_status'] == {status: total for status, total in board.items() if status.is_open and total}


@pytest.mark.parametrize('preset', ['30d', 'month', 'quarter', 'ytd', '12m', 'custom'])
def test_sales_figures_are_the_same_in_the_analyses_and_in_the_sales_list(db, preset):
    admin = make_tenant('Boutique Lumière')
    buyer, other = make_client(admin, 'Amrani').id, make_client(admin, 'Benali').id
    lamp, chair = make_product(admin, 'Lampe', price=1999), make_product(admin, 'Chaise', family='Maison', price=4500)
    day = today()
    for days_ago, client, lines in ((0, buyer, [Line(lamp)]), (1, other, [Line(chair, 2)]),
                                    (29, buyer, [Line(lamp, 3, unit_price=1500)]), (30, other, [Line(chair)]),
                                    (95, buyer, [Line(lamp), Line(chair)]), (400, other, [Line(lamp)])):
        make_sale(admin, client, day - timedelta(days=days_ago), lines)
    make_sale(admin, buyer, day - timedelta(days=12), amount=333)  # no product: no family
    period = analytics.resolve_period(preset, day - timedelta(days=95), day - timedelta(days=1))
    with session_scope() as session:
        board = analytics.dashboard(session, admin, period)
        listed = sales.sales_totals(session, admin, SaleFilter(start=period.start, end=period.end))
    assert board.revenue.value == listed.revenue
    assert board.sales.value == listed.count
    assert board.average_basket.value == (listed.average_basket if listed.count else None)
    # the families' bars add up to the revenue: sales of a single amount go to «Sans famille»
    assert sum(family.revenue for family in board.families) + board.revenue_without_family == listed.revenue


def test_the_kpi_month_is_the_sum_of_the_clients_kpi_tabs(db):
    """The KPI page's totals of a month (summed by the database) are the sums of that month on the clients' KPI tabs
    (each client's own reading), typed numbers winning over the counted ones, commissions rounded per client."""
    admin = make_tenant('Cabinet Atlas')
    agent = make_user(admin, role=Role.AGENT)
    atlas, berbere, cirta = (make_client(admin, name).id for name in ('Atlas', 'Berbère', 'Cirta'))
    at = datetime(2025, 3, 12, 10, tzinfo=UTC)
    with session_scope() as session:
        for client, kind, pitch in ((atlas, InteractionType.MEETING, False), (atlas, InteractionType.LUNCH, True),
                                    (berbere, InteractionType.MEETING, False), (cirta, InteractionType.CALL, True)):
            interactions.create_interaction(session, agent, InteractionInput(
                client_id=client, type=kind, title='RDV', occurred_at=at, is_pitch=pitch))
        kpis.save_kpi(session, admin, atlas, KpiInput(year=2025, month=3, due_diligences=1, closings=1,
                                                      revenue=Decimal('1000.05'), commission_rate=Decimal('2.5')))
        kpis.save_kpi(session, admin, berbere, KpiInput(year=2025, month=3, meetings=5, revenue=Decimal('333.33'),
                                                        commission_rate=Decimal('1.5')))
        kpis.save_kpi(session, admin, cirta, KpiInput(year=2025, month=4, revenue=Decimal('99')))  # another month
        month = kpis.month_summary(session, admin, 2025, 3)
        tabs = [kpis.annual_summary(session, admin, client, 2025).months[2] for client in (atlas, berbere, cirta)]
    totals = month.totals
    assert (totals.meetings, totals.pitches, totals.due_diligences, totals.closings) == (
        sum(tab.meetings for tab in tabs), sum(tab.pitches for tab in tabs),
        sum(tab.due_diligences for tab in tabs), sum(tab.closings for tab in tabs)) == (7, 2, 1, 1)
    assert totals.revenue == sum(tab.revenue for tab in tabs) == Decimal('1333.38')
    assert totals.commission == sum(tab.commission for tab in tabs) == Decimal('25.00') + Decimal('5.00')


@pytest.mark.parametrize(('end', 'partial'), [(date(2026, 5, 14), True), (date(2026, 5, 31), False),
                                              (date(2024, 2, 28), True), (date(2024, 2, 29), False)])
def test_only_a_month_cut_by_the_periods_end_is_partial_on_the_trend(db, end, partial):
    admin = make_tenant('Boutique Lumière')
    with session_scope() as session:
        trend = analytics.dashboard(session, admin, analytics.Period(end - timedelta(days=40), end)).trend
    assert (trend[-1].year, trend[-1].month, trend[-1].partial) == (end.year, end.month, partial)
    assert not any(month.partial for month in trend[:-1])
