"""The sales dashboard: KPIs and their change against the previous period, periods and presets, the monthly trend
against the previous year, revenue by family, top products, RFM segments and moves — on SQLite and PostgreSQL,
checked by hand on a small data set."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from db.models import Client, ClientStatus, Role, SaleLine, SegmentChange, Tenant, utcnow
from db.session import session_scope
from services.analytics.dashboard import Period, dashboard, resolve_period, trend_months
from services.analytics.rfm import compute_profiles, segment_moves
from services.clock import today
from services.errors import Invalid
from services.sales import SaleInput, SaleLineInput, create_sale, delete_sale
from settings import get_settings
from tests.factories import make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales


def created_on(client_id: int, day: date) -> None:
    with session_scope() as session:
        session.execute(update(Client).where(Client.id == client_id)
                        .values(created_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)))


def board(actor, start: date, end: date):
    with session_scope() as session:
        return dashboard(session, actor, resolve_period('custom', start, end))


@pytest.fixture
def shop(db):
    """A tenant with three clients (and an archived one), three products in two families, and sales in March 2025,
    the 31 days before it, and March 2024; another tenant sells too."""
    admin = make_tenant('Boutique Atlas')
    c1, c2, c3, archived = (make_client(admin, name).id for name in ('Amrani', 'Benali', 'Cherif', 'Djaballah'))
    for client_id in (c1, c2, archived):
        created_on(client_id, date(2025, 1, 1))
    created_on(c3, date(2025, 3, 15))
    with session_scope() as session:
        session.execute(update(Client).where(Client.id == archived).values(status=ClientStatus.ARCHIVED))
    coffee = make_product(admin, 'Café moulu', family='Épicerie', price=100)
    tea = make_product(admin, 'Thé vert', family='Épicerie', price=50)
    soap = make_product(admin, "Savon d'Alep", family='Hygiène', price=30)
    make_sales(admin, [
        (c1, date(2025, 3, 5), [Line(coffee, 2), Line(soap, 1)], None),  # 230
        (c2, date(2025, 3, 20), [Line(tea, 3)], None),  # 150
        (c3, date(2025, 3, 31), None, 100),
        (c1, date(2025, 2, 10), [Line(coffee, 1)], None),  # previous period: 100
        (c2, date(2025, 1, 29), [Line(soap, 2)], None),  # previous period's first day: 60
        (c2, date(2025, 1, 28), None, 40),  # before it
        (c1, date(2024, 3, 15), [Line(coffee, 1)], None),  # March 2024: 100
        (archived, date(2024, 3, 31), None, 70),
    ])
    other = make_tenant('Autre boutique')
    stranger = make_client(other, 'Étranger').id
    make_sales(other, [(stranger, date(2025, 3, 10), [Line(make_product(other, 'Café', price=999))], None)])
    return admin, {'coffee': coffee, 'tea': tea, 'soap': soap, 'c1': c1, 'c2': c2, 'c3': c3, 'archived': archived,
                   'other': other}


def test_kpis_and_their_change_against_the_previous_period(shop):
    admin, _ = shop
    result = board(admin, date(2025, 3, 1), date(2025, 3, 31))
    assert (result.period.previous_start, result.period.previous_end) == (date(2025, 1, 29), date(2025, 2, 28))
    assert result.currency == 'DZD' and result.has_sales
    assert result.revenue.model_dump() == {'value': Decimal('480.00'), 'previous': Decimal('160.00'),
                                           'change': Decimal('320.00'), 'change_percent': 200.0}
    assert result.sales.model_dump() == {'value': 3, 'previous': 2, 'change': 1, 'change_percent': 50.0}
    assert result.average_basket.model_dump() == {'value': Decimal('160.00'), 'previous': Decimal('80.00'),
                                                  'change': Decimal('80.00'), 'change_percent': 100.0}
    # bought in the 90 days to 31 March: the three; to 28 February: Amrani and Benali (the archived client bought
    # a year before)
    assert result.buying_clients.model_dump() == {'value': 3, 'previous': 2, 'change': 1, 'change_percent': 50.0}
    # not archived and already there at the end of each period (Cherif came on 15 March)
    assert result.total_clients.model_dump() == {'value': 3, 'previous': 2, 'change': 1, 'change_percent': 50.0}


def test_changes_from_nothing_have_no_percent(shop):
    admin, _ = shop
    result = board(admin, date(2024, 6, 1), date(2024, 6, 30))  # nothing sold, nothing before either
    assert result.revenue.model_dump() == {'value': Decimal('0.00'), 'previous': Decimal('0.00'),
                                           'change': Decimal('0.00'), 'change_percent': None}
    assert result.average_basket.model_dump() == {'value': None, 'previous': None, 'change': None,
                                                  'change_percent': None}
    assert (result.families, result.top_products) == ([], [])
    after = board(admin, date(2024, 3, 1), date(2024, 3, 31))  # from nothing in February 2024
    assert (after.revenue.value, after.revenue.change, after.revenue.change_percent) == (
        Decimal('170.00'), Decimal('170.00'), None)
    assert after.average_basket.model_dump() == {'value': Decimal('85.00'), 'previous': None, 'change': None,
                                                 'change_percent': None}


def test_revenue_by_family_and_top_products(shop):
    admin, ids = shop
    result = board(admin, date(2025, 3, 1), date(2025, 3, 31))
    assert [(f.family, f.revenue, f.units) for f in result.families] == [
        ('Épicerie', Decimal('350.00'), 5), ('Hygiène', Decimal('30.00'), 1)]
    assert [(p.product_id, p.name, p.family, p.revenue) for p in result.top_products] == [
        (ids['coffee'], 'Café moulu', 'Épicerie', Decimal('200.00')),
        (ids['tea'], 'Thé vert', 'Épicerie', Decimal('150.00')),
        (ids['soap'], "Savon d'Alep", 'Hygiène', Decimal('30.00'))]
    first_day = board(admin, date(2025, 1, 29), date(2025, 1, 29))
    assert [(p.name, p.revenue) for p in first_day.top_products] == [("Savon d'Alep", Decimal('60.00'))]


def test_top_products_keep_ten(db):
    admin = make_tenant()
    buyer = make_client(admin).id
    products = [make_product(admin, f'Article {n:02d}', price=n) for n in range(1, 13)]
    make_sales(admin, [(buyer, date(2025, 6, 1), [Line(product) for product in products], None)])
    result = board(admin, date(2025, 6, 1), date(2025, 6, 30))
    assert [p.name for p in result.top_products] == [f'Article {n:02d}' for n in range(12, 2, -1)]


def _top_by_lines(actor, start: date, end: date) -> list[tuple[int, Decimal]]:
    """The reference: the period's lines summed per product, ranked (revenue, then product id), ten kept."""
    revenue = func.sum(SaleLine.total_cents)
    with session_scope() as session:
        rows = session.execute(select(SaleLine.product_id, revenue)
                               .where(SaleLine.tenant_id == actor.tenant_id, SaleLine.sold_on.between(start, end))
                               .group_by(SaleLine.product_id).order_by(revenue.desc(), SaleLine.product_id)
                               .limit(10)).all()
    return [(product_id, (Decimal(int(cents)) / 100).quantize(Decimal('0.01'))) for product_id, cents in rows]


def test_top_products_from_months_and_edge_days_match_the_lines(db):
    """Whole months come from the monthly product rows, the days of partial edge months from the lines (added, or
    taken away from the month's rows): the same top ten as summing the lines, ties included, for periods cut
    anywhere, a sale deleted, and a sale made by hand in between."""
    admin = make_tenant()
    other = make_tenant()
    buyers = [make_client(admin).id for _ in range(3)]
    products = [make_product(admin, f'Article {n:02d}', price=10 + n % 4) for n in range(14)]
    sales = []
    day = date(2024, 12, 20)
    for n in range(140):  # a sale a day or so from 20 December 2024 to mid-May 2025, 1 to 3 lines each
        lines = [Line(products[(n * 5 + k * 3) % 14], quantity=1 + (n + k) % 3) for k in range(1 + n % 3)]
        sales.append((buyers[n % 3], day, lines, None))
        day += timedelta(days=1 if n % 7 else 2)
    ids = make_sales(admin, sales)
    make_sales(other, [(make_client(other).id, date(2025, 2, 10), [Line(make_product(other, price=10_000))], None)])
    with session_scope() as session:  # a sale deleted, another entered, both through the service
        delete_sale(session, admin, ids[40])
        create_sale(session, admin, SaleInput(client_id=buyers[0], sold_on=date(2025, 3, 3), lines=[
            SaleLineInput(product_id=products[13], quantity=2, unit_price=Decimal('11'))]))
    periods = [(date(2025, 1, 3), date(2025, 3, 28)),  # both edges as the month less a few days
               (date(2025, 1, 26), date(2025, 4, 4)),  # both edges as their days
               (date(2024, 12, 28), date(2025, 3, 2)), (date(2025, 2, 1), date(2025, 2, 28)),
               (date(2025, 2, 5), date(2025, 2, 20)), (date(2025, 2, 2), date(2025, 2, 27)),
               (date(2025, 1, 31), date(2025, 2, 1)), (date(2025, 3, 15), date(2025, 3, 15)),
               (date(2024, 12, 1), date(2025, 5, 31)), (date(2025, 4, 20), date(2025, 6, 10)),
               (date(2025, 6, 1), date(2025, 6, 30))]
    for start, end in periods:
        expected = _top_by_lines(admin, start, end)
        assert [(p.product_id, p.revenue) for p in board(admin, start, end).top_products] == expected, (start, end)
    assert len(_top_by_lines(admin, date(2025, 1, 3), date(2025, 3, 28))) == 10
    assert board(admin, date(2025, 6, 1), date(2025, 6, 30)).top_products == []


def test_monthly_trend_with_the_previous_year(shop):
    admin, _ = shop
    trend = board(admin, date(2025, 3, 1), date(2025, 3, 31)).trend
    assert [(m.year, m.month) for m in trend] == [(2024, n) for n in range(4, 13)] + [(2025, n) for n in (1, 2, 3)]
    by_month = {(m.year, m.month): (m.revenue, m.sales, m.previous_year_revenue, m.previous_year_sales)
                for m in trend}
    assert by_month[(2025, 3)] == (Decimal('480.00'), 3, Decimal('170.00'), 2)
    assert by_month[(2025, 2)] == (Decimal('100.00'), 1, Decimal('0.00'), 0)
    assert by_month[(2025, 1)] == (Decimal('100.00'), 2, Decimal('0.00'), 0)
    assert by_month[(2024, 4)] == (Decimal('0.00'), 0, Decimal('0.00'), 0)
    # ending on 20 March: this March to the 20th against last March to the 20th
    cut = {(m.year, m.month): m for m in board(admin, date(2025, 3, 1), date(2025, 3, 20)).trend}
    assert (cut[(2025, 3)].revenue, cut[(2025, 3)].previous_year_revenue) == (Decimal('380.00'), Decimal('100.00'))


def test_long_periods_show_every_month_and_overlay_the_year_before(shop):
    admin, _ = shop
    trend = board(admin, date(2024, 1, 10), date(2025, 3, 31)).trend
    assert (len(trend), (trend[0].year, trend[0].month)) == (15, (2024, 1))
    by_month = {(m.year, m.month): m for m in trend}
    assert (by_month[(2024, 3)].revenue, by_month[(2025, 3)].previous_year_revenue) == (
        Decimal('170.00'), Decimal('170.00'))


def test_presets_and_previous_periods():
    day = date(2025, 3, 15)
    expected = {'30d': (date(2025, 2, 14), date(2025, 3, 15)), 'month': (date(2025, 3, 1), day),
                'quarter': (date(2025, 1, 1), day), 'ytd': (date(2025, 1, 1), day),
                '12m': (date(2024, 3, 16), day)}
    for preset, (start, end) in expected.items():
        period = resolve_period(preset, today=day)
        assert (period.preset, period.start, period.end) == (preset, start, end)
    month = resolve_period('month', today=day).previous
    assert (month.start, month.end) == (date(2025, 2, 14), date(2025, 2, 28))  # as many days, just before
    year = resolve_period('12m', today=day)
    assert (year.days, year.previous.start, year.previous.end) == (365, date(2023, 3, 17), date(2024, 3, 15))
    assert resolve_period('quarter', today=date(2025, 11, 2)).start == date(2025, 10, 1)
    leap = resolve_period('12m', today=date(2024, 2, 29))
    assert (leap.start, leap.end) == (date(2023, 3, 1), date(2024, 2, 29))
    assert resolve_period('custom', date(2025, 1, 1), date(2025, 1, 1)).days == 1
    # presets follow the firm's calendar when no day is given
    assert resolve_period('ytd').end == resolve_period('30d').end


def test_trend_months():
    assert trend_months(Period(date(2025, 3, 1), date(2025, 3, 31)))[0] == (2024, 4)
    assert len(trend_months(Period(date(2024, 3, 16), date(2025, 3, 15)))) == 12
    assert len(trend_months(Period(date(2020, 1, 1), date(2024, 12, 31)))) == 60


@pytest.mark.parametrize(('preset', 'start', 'end', 'key', 'field'), [
    ('week', None, None, 'error.period_unknown', 'period'),
    ('custom', None, date(2025, 1, 1), 'error.period_dates_missing', 'start'),
    ('custom', date(2025, 1, 1), None, 'error.period_dates_missing', 'end'),
    ('custom', date(2025, 2, 1), date(2025, 1, 31), 'error.period_invalid', 'end'),
    ('custom', date(2015, 1, 1), date(2025, 1, 1), 'error.period_too_long', 'start'),
    ('custom', date(1999, 12, 31), date(2000, 1, 31), 'error.date_out_of_range', 'start'),
])
def test_bad_periods_are_refused(preset, start, end, key, field):
    with pytest.raises(Invalid) as caught:
        resolve_period(preset, start, end)
    assert (caught.value.key, caught.value.field) == (key, field)


def test_each_tenant_sees_its_own_figures(shop):
    admin, ids = shop
    other = ids['other']
    with session_scope() as session:
        session.execute(update(Tenant).where(Tenant.id == other.tenant_id).values(currency='EUR'))
    mine = board(admin, date(2025, 3, 1), date(2025, 3, 31))
    assert mine.currency == 'DZD' and mine.revenue.value == Decimal('480.00')
    assert 'Café' not in [p.name for p in mine.top_products]
    theirs = board(other, date(2025, 3, 1), date(2025, 3, 31))
    assert (theirs.currency, theirs.revenue.value, theirs.buying_clients.value, theirs.total_clients.value) == (
        'EUR', Decimal('999.00'), 1, 0)  # their client was created today, after March 2025
    assert [p.name for p in theirs.top_products] == ['Café']
    empty = make_tenant('Sans ventes')
    nothing = board(empty, date(2025, 3, 1), date(2025, 3, 31))
    assert (nothing.has_sales, nothing.revenue.value, nothing.buying_clients.value, nothing.total_clients.value,
            nothing.segments, nothing.segment_moves) == (False, Decimal('0.00'), 0, 0, [], [])


def test_viewers_read_the_dashboard(shop):
    admin, _ = shop
    viewer = make_user(admin, role=Role.VIEWER)
    assert board(viewer, date(2025, 3, 1), date(2025, 3, 31)).revenue.value == Decimal('480.00')


def test_segment_moves_of_the_month(shop):
    """The moves of the current month as the computations count them: net per client, between segments only, the
    same as the segment history read from the month's start."""
    admin, ids = shop

    def compute(day: date) -> None:
        with session_scope() as session:
            compute_profiles(session, admin.tenant_id, window_months=24, today=day)

    def moves() -> list[tuple]:
        result = board(admin, date(2025, 3, 1), date(2025, 3, 31))
        assert result.moves_since == today().replace(day=1)
        with session_scope() as session:
            history = [(m.from_segment, m.to_segment, m.clients) for m in segment_moves(
                session, admin, datetime.combine(result.moves_since, time.min, ZoneInfo(get_settings().timezone)))
                if m.from_segment and m.to_segment]
        found = [(m.from_segment, m.to_segment, m.clients) for m in result.segment_moves]
        assert found == history
        return found

    compute(date(2025, 3, 31))  # Benali loyal, Cherif new, Amrani at risk, Djaballah lost
    assert moves() == []  # first segmented: not a move
    with session_scope() as session:  # that computation was last month's
        session.execute(update(SegmentChange).where(SegmentChange.tenant_id == admin.tenant_id)
                        .values(changed_at=utcnow() - timedelta(days=40)))
    make_sales(admin, [(ids['c3'], date(2025, 4, 10), None, 50)])
    compute(date(2025, 4, 30))  # Cherif F1 → F2: new → potential loyalist
    assert moves() == [('new', 'potential_loyalists', 1)]
    make_sales(admin, [(ids['c3'], date(2025, 4, 20), None, 50), (ids['c3'], date(2025, 4, 25), None, 50)])
    # Cherif's 4 purchases (F5) leave the others at F2: Amrani at risk → hibernating, Benali loyal → potential
    # loyalist, Cherif net new → champion (his move to potential loyalist earlier this month counts no more)
    compute(date(2025, 4, 30))
    assert moves() == [('at_risk', 'hibernating', 1), ('loyal', 'potential_loyalists', 1), ('new', 'champions', 1)]


def test_segment_distribution_after_the_rfm_computation(shop):
    """On 31 March 2025 (4 buyers in the window): R ranks the last purchases (archived 2024-03-31, Amrani 03-05,
    Benali 03-20, Cherif 03-31 → R 1, 2, 4, 5), F the purchase counts (1, 3, 3, 1 → F 1, 4, 4, 1)."""
    admin, _ = shop
    before = board(admin, date(2025, 3, 1), date(2025, 3, 31))
    assert (before.segments, before.last_computed_at) == ([], None)  # not computed yet
    with session_scope() as session:
        summary = compute_profiles(session, admin.tenant_id, window_months=24, today=date(2025, 3, 31))
    result = board(admin, date(2025, 3, 1), date(2025, 3, 31))
    assert abs(result.last_computed_at - summary.computed_at) < timedelta(seconds=1)
    assert [(s.segment, s.clients, s.revenue) for s in result.segments] == [
        ('loyal', 1, Decimal('250.00')),  # Benali R4 F4
        ('new', 1, Decimal('100.00')),  # Cherif R5 F1
        ('at_risk', 1, Decimal('430.00')),  # Amrani R2 F4
        ('lost', 1, Decimal('70.00'))]  # the archived client R1 F1
