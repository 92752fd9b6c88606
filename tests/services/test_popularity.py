"""Product popularity: sales, revenue and buyers of the latest 90 days and the 90 before, trend and score, computed
by hand — on SQLite and PostgreSQL."""

from datetime import date

from db.models import ProductPopularity, Role
from db.session import session_scope
from services.analytics.popularity import compute_popularity, list_popularity
from services.paging import PageRequest
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales

TODAY = date(2025, 6, 30)  # recent: (2025-04-01, 2025-06-30]; previous: (2025-01-01, 2025-04-01]


def _shop(admin) -> dict[str, int]:
    x, y, z = (make_client(admin, name).id for name in ('X', 'Y', 'Z'))
    products = {name: make_product(admin, name, family=family, price=price) for name, family, price in (
        ('Semoule', 'Épicerie', 10), ('Jus', 'Boissons', 5), ('Savon', 'Hygiène', 2), ('Yaourt', 'Frais', 1),
        ('Zeste', 'Épicerie', 4), ('Thé', 'Boissons', 30))}
    p = products
    make_sales(admin, [
        (x, date(2025, 6, 1), [Line(p['Semoule'], 3)], None),  # recent 30
        (y, date(2025, 5, 1), [Line(p['Semoule'], 1)], None),  # recent 10
        (x, date(2025, 2, 1), [Line(p['Semoule'], 2)], None),  # previous 20
        (x, date(2025, 6, 10), [Line(p['Jus'], 20)], None),  # recent 100, nothing before
        (y, date(2025, 4, 1), [Line(p['Savon'], 5)], None),  # the previous period's last day: 10
        (z, date(2025, 1, 1), [Line(p['Zeste'], 9)], None),  # the excluded start: in no period
        (z, date(2025, 6, 30), [Line(p['Thé'], 1)], None),  # today: recent 30
        (z, date(2025, 7, 1), [Line(p['Thé'], 50)], None),  # after today: left out
    ])
    return products


def test_popularity_matches_the_hand_computed_figures(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    products = _shop(admin)

    with session_scope() as session:
        assert compute_popularity(session, admin.tenant_id, today=TODAY) == 6

    with session_scope() as session:
        page = list_popularity(session, viewer, PageRequest(limit=10))
    rows = {row.name: row for row in page.items}
    figures = {name: (row.sales_recent, row.revenue_recent_cents, row.buyers_recent, row.sales_previous,
                      row.revenue_previous_cents, row.trend_percent) for name, row in rows.items()}
    assert figures == {
        'Semoule': (2, 4_000, 2, 1, 2_000, 100.0),  # (40 − 20) / 20
        'Jus': (1, 10_000, 1, 0, 0, None),
        'Savon': (0, 0, 0, 1, 1_000, -100.0),
        'Yaourt': (0, 0, 0, 0, 0, None),
        'Zeste': (0, 0, 0, 0, 0, None),
        'Thé': (1, 3_000, 1, 0, 0, None),
    }
    # Among the 3 products sold lately — revenue: Thé 30 (cume_dist 1/3), Semoule 40 (2/3), Jus 100 (1); buyers:
    # Jus and Thé 1 (tied, 2/3), Semoule 2 (1). Score = 100 × (0.7 × revenue share + 0.3 × buyer share):
    # Jus 100 × (0.7 + 0.2) = 90; Semoule 100 × (0.4667 + 0.3) = 76.7; Thé 100 × (0.2333 + 0.2) = 43.3; others 0.
    assert [(row.name, row.score) for row in page.items] == [
        ('Jus', 90.0), ('Semoule', 76.7), ('Thé', 43.3), ('Savon', 0.0), ('Yaourt', 0.0), ('Zeste', 0.0)]
    assert (page.total, rows['Jus'].sku, rows['Jus'].family, rows['Jus'].price_cents, rows['Jus'].product_id) == (
        6, rows['Jus'].sku, 'Boissons', 500, products['Jus'])

    with session_scope() as session:
        groceries = list_popularity(session, viewer, PageRequest(limit=10), family='Épicerie')
    assert [row.name for row in groceries.items] == ['Semoule', 'Zeste']


def test_recomputing_replaces_the_rows_and_keeps_tenants_apart(db):
    admin = make_tenant()
    _shop(admin)
    other = make_tenant()
    theirs = make_product(other, 'Ailleurs', family='Épicerie')
    make_sales(other, [(make_client(other).id, date(2025, 6, 1), [Line(theirs, 1)], None)])

    for day in (TODAY, date(2025, 9, 30)):
        with session_scope() as session:
            assert compute_popularity(session, admin.tenant_id, today=day) == 6
    with session_scope() as session:
        assert compute_popularity(session, other.tenant_id, today=TODAY) == 1

    assert count_rows(ProductPopularity, tenant_id=admin.tenant_id) == 6
    with session_scope() as session:
        later = {row.name: row for row in list_popularity(session, admin, PageRequest()).items}
        theirs_page = list_popularity(session, other, PageRequest())
    # 2025-09-30: recent (2025-07-02, 2025-09-30] is empty; previous (2025-04-03, 2025-07-02] has Thé's two sales
    assert (later['Thé'].sales_previous, later['Thé'].revenue_previous_cents, later['Thé'].score) == (2, 153_000, 0)
    assert (later['Semoule'].sales_previous, later['Semoule'].trend_percent) == (2, -100.0)
    assert [row.name for row in theirs_page.items] == ['Ailleurs'] and theirs_page.items[0].score == 100.0
