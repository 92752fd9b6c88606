"""Analyses: the sales dashboard (KPIs, charts, period, segments, recomputation) and a segment's clients."""

import asyncio
from datetime import timedelta

from nicegui import ui
from nicegui.testing import User

from db.models import Role
from db.session import session_scope
from services.analytics.rfm import compute_profiles
from services.clock import today
from tests.factories import make_client, make_tenant, make_user
from tests.pages.helpers import PATIENT, sign_in, table_rows
from tests.sales_factories import Line, make_product, make_sales

NNBSP = '\u202f'  # the thousands separator of French amounts


def shop():
    """Two clients: Amrani bought twice lately (the champion), Benali once, long ago (lost)."""
    admin = make_tenant('Boutique Atlas')
    amrani, benali = make_client(admin, 'Amrani Distribution').id, make_client(admin, 'Benali Frères').id
    coffee = make_product(admin, 'Café moulu', family='Épicerie', price=1200)
    soap = make_product(admin, "Savon d'Alep", family='Hygiène', price=300)
    day = today()
    make_sales(admin, [(amrani, day - timedelta(days=3), [Line(coffee, 1), Line(soap, 1)], None),  # 1 500
                       (amrani, day - timedelta(days=10), [Line(coffee, 2)], None),  # 2 400
                       (benali, day - timedelta(days=200), None, 10_000)])
    return admin, amrani, benali


def figure_of(user: User, marker: str) -> dict:
    [chart] = user.find(marker=marker).elements
    assert isinstance(chart, ui.plotly)
    return chart.figure if isinstance(chart.figure, dict) else chart.figure.to_plotly_json()


async def kpi_text(user: User, marker: str, expected: str) -> None:
    for _ in range(PATIENT):
        try:
            texts = [element.text for element in user.find(marker=marker).elements]
        except AssertionError:
            texts = []
        if expected in texts:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f'{marker}: {texts} instead of {expected!r}')


async def test_the_dashboard_shows_the_kpis_and_the_charts(user: User, sqlite_db) -> None:
    admin, _, _ = shop()
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await kpi_text(user, 'kpi-revenue', f'13{NNBSP}900 DZD')  # the last 12 months
    await kpi_text(user, 'kpi-total-clients', '2')
    await kpi_text(user, 'kpi-buying-clients', '1')  # Benali last bought 200 days ago
    await kpi_text(user, 'kpi-avg-basket', f'4{NNBSP}633,33 DZD')
    for marker in ('chart-trend', 'chart-families', 'chart-top-products'):
        await user.should_see(marker=marker)
    trend = figure_of(user, 'chart-trend')
    if (today() + timedelta(days=1)).day == 1:  # the period ends on a month's last day: no month is partial
        assert [trace['name'] for trace in trend['data']] == ["Chiffre d'affaires", 'Année précédente']
        assert sum(trend['data'][0]['y']) == 13_900
    else:  # the current month is drawn apart, dotted, up to its open marker
        assert [trace['name'] for trace in trend['data']] == [
            "Chiffre d'affaires", 'Mois en cours (partiel)', 'Mois en cours (partiel)', 'Année précédente']
        whole, _, current, _ = trend['data']
        assert whole['y'][-1] is None and sum(whole['y'][:-1]) + current['y'][0] == 13_900
        assert 'mois en cours' in current['text'][0]
    assert list(figure_of(user, 'chart-top-products')['data'][0]['y']) == ['Café moulu', "Savon d'Alep"]
    families = figure_of(user, 'chart-families')['data'][0]
    assert list(families['y']) == ['Épicerie', 'Hygiène', 'Sans famille']  # Benali's sale is a single amount
    assert sum(families['x']) == 13_900  # the bars add up to the revenue card
    await user.should_see('Segments pas encore calculés')  # no RFM run yet
    await user.should_see(marker='link-recommendations')
    await user.should_see(marker='link-quality')


async def test_switching_the_period_changes_the_revenue(user: User, sqlite_db) -> None:
    admin, _, _ = shop()
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await kpi_text(user, 'kpi-revenue', f'13{NNBSP}900 DZD')
    user.find(marker='period-preset').elements.pop().set_value('30d')
    await kpi_text(user, 'kpi-revenue', f'3{NNBSP}900 DZD')
    await kpi_text(user, 'kpi-revenue-delta', '+3' + NNBSP + '900 DZD')  # nothing in the 30 days before: no percent
    user.find(marker='period-preset').elements.pop().set_value('custom')
    await user.should_see('Choisissez la date de début et la date de fin.')
    long_ago = today() - timedelta(days=200)
    user.find(marker='period-start').elements.pop().set_value(long_ago.isoformat())
    user.find(marker='period-end').elements.pop().set_value(long_ago.isoformat())
    await kpi_text(user, 'kpi-revenue', f'10{NNBSP}000 DZD')
    user.find(marker='period-end').elements.pop().set_value((long_ago - timedelta(days=1)).isoformat())
    await user.should_see('Période invalide', retries=PATIENT)
    # the period is kept for the next visit
    await user.open('/analytics')
    await user.should_see(marker='period-start')
    assert user.find(marker='period-preset').elements.pop().value == 'custom'


async def test_a_segment_chip_opens_its_clients(user: User, sqlite_db) -> None:
    admin, amrani, benali = shop()
    with session_scope() as session:
        compute_profiles(session, admin.tenant_id)  # Amrani R5 F5 (champions), Benali R1 F1 (lost)
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await user.should_see(marker='chart-segments')
    treemap = figure_of(user, 'chart-segments')['data'][0]
    assert (list(treemap['ids']), list(treemap['labels'])) == (['champions', 'lost'], ['Champions', 'Perdus'])
    await user.should_see(marker='segments-computed-at')
    user.find(marker='segment-link-champions').click()
    await user.should_see('R\u00a05 · F\u00a04–5', retries=PATIENT)
    rows = await table_rows(user, 'segment-clients', lambda rows: len(rows) == 1)
    assert [(row['id'], row['name'], row['r'], row['f'], row['purchases']) for row in rows] == [
        (amrani, 'Amrani Distribution', 5, 5, '2')]
    assert rows[0]['spend'] == f'3{NNBSP}900,00 DZD'
    await user.open('/analytics/segments/lost')
    rows = await table_rows(user, 'segment-clients', lambda rows: len(rows) == 1)
    assert rows[0]['id'] == benali
    user.find(marker='segment-search').type('benali')
    await table_rows(user, 'segment-clients', lambda rows: [row['id'] for row in rows] == [benali])
    user.find(marker='segment-search').clear().type('amrani')  # not in this segment
    assert await table_rows(user, 'segment-clients', lambda rows: rows == []) == []


async def test_clicking_a_treemap_tile_opens_the_segment(user: User, sqlite_db) -> None:
    admin, _, _ = shop()
    with session_scope() as session:
        compute_profiles(session, admin.tenant_id)
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await user.should_see(marker='chart-segments')
    user.find(marker='chart-segments').trigger('plotly_click', {'points': [{'customdata': 'lost', 'id': 'lost'}]})
    await user.should_see('R\u00a01 · F\u00a01', retries=PATIENT)


async def test_an_unknown_segment_says_so(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/analytics/segments/vip')
    await user.should_see(marker='segment-unknown')
    await user.should_see('Segment inconnu')


async def test_without_sales_the_dashboard_points_to_the_sales_page(user: User, sqlite_db) -> None:
    admin = make_tenant()
    make_client(admin, 'Client sans achat')
    await sign_in(user, admin.email)
    await user.open('/analytics')
    await user.should_see(marker='analytics-empty')
    await user.should_see('Aucune vente enregistrée')
    await kpi_text(user, 'kpi-total-clients', '1')
    await kpi_text(user, 'kpi-avg-basket', '—')
    user.find(marker='go-to-sales').click()
    await user.should_see(marker='page-title', retries=PATIENT)


async def test_managers_recompute_the_segments_and_follow_the_run(user: User, sqlite_db) -> None:
    admin, _, _ = shop()
    manager = make_user(admin, role=Role.MANAGER)
    await sign_in(user, manager.email)
    await user.open('/analytics')
    await user.should_see('Segments pas encore calculés')
    user.find(marker='recompute-start').click()
    await user.should_see(marker='chart-segments', retries=PATIENT)  # the run ended: the dashboard reloaded
    await user.should_see(marker='recompute-start')
    await user.should_see(marker='segment-link-champions')


async def test_agents_read_the_segments_without_recomputing_them(user: User, sqlite_db) -> None:
    admin, _, _ = shop()
    agent = make_user(admin, role=Role.AGENT)
    with session_scope() as session:
        compute_profiles(session, admin.tenant_id)
    await sign_in(user, agent.email)
    await user.open('/analytics')
    await user.should_see(marker='chart-segments')
    await user.should_not_see(marker='recompute-start')
