"""RFM scores, segments and profiles against a small example computed by hand; the window; the segment history and
its moves; tenant isolation — on SQLite and PostgreSQL."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import ClientProfile, Role, SegmentChange, utcnow
from db.session import session_scope
from services.analytics import families, rfm
from services.analytics.segments import SEGMENT_MAP, SEGMENTS, segment_for
from services.errors import Invalid, NotFound
from services.paging import PageRequest
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales

TODAY = date(2025, 6, 30)  # window of 24 months: sales dated in (2023-06-30, 2025-06-30]

# The hand-computed example: 10 buyers (and one client who never bought).
#
# client  last purchase  recency  R rank  R   frequency  F rank  F   monetary  M rank  M   segment
# A       2025-06-25         5      10    5       8        10    5     2400      10    5   champions (R5 F5)
# B       2025-06-20        10       9    5       1         1    1       80       2    1   new (R5 F1)
# C       2025-06-01        29       8    4       5         8    4     1000       8    4   loyal (R4 F4)
# D       2025-05-15        46       7    4       1         1    1       80       2    1   promising (R4 F1)
# E       2025-03-01       121       6    3       3         6    3      601       6    3   need_attention (R3 F3)
# F       2025-01-10       171       5    3       2         4    2      400       5    3   about_to_sleep (R3 F2)
# G       2024-09-01       302       4    2       4         7    4      800       7    4   at_risk (R2 F4)
# H       2024-06-01       394       3    2       2         4    2      200       4    2   hibernating (R2 F2)
# I       2024-01-10       537       2    1       6         9    5     1500       9    5   cannot_lose (R1 F5)
# J       2023-07-15       716       1    1       1         1    1       50       1    1   lost (R1 F1)
#
# n = 10, so score = 1 + floor(5 × (rank − 1) / 9), and 5 for rank 10 (6 capped):
#   rank 1 → 1 + 0 = 1, 2 → 1 + floor(0.56) = 1, 3 → 1 + floor(1.11) = 2, 4 → 1 + floor(1.67) = 2,
#   5 → 1 + floor(2.22) = 3, 6 → 1 + floor(2.78) = 3, 7 → 1 + floor(3.33) = 4, 8 → 1 + floor(3.89) = 4,
#   9 → 1 + floor(4.44) = 5, 10 → 5.
# Ties share the lowest rank: B, D and J bought once (F rank 1 → F1), F and H twice (rank 4 → F2); B and D spent 80
# each (M rank 2 → M1, and H is rank 4, not 3).
# I's sales of 2023-06-30 (the excluded start of the window, with 1000 × Frais on lines) and of 2022 are left out:
# otherwise its frequency would be 8 and its families [Frais].
EXPECTED = {  # client: (recency, frequency, monetary cents, R, F, M, segment)
    'A': (5, 8, 240_000, 5, 5, 5, 'champions'),
    'B': (10, 1, 8_000, 5, 1, 1, 'new'),
    'C': (29, 5, 100_000, 4, 4, 4, 'loyal'),
    'D': (46, 1, 8_000, 4, 1, 1, 'promising'),
    'E': (121, 3, 60_100, 3, 3, 3, 'need_attention'),
    'F': (171, 2, 40_000, 3, 2, 3, 'about_to_sleep'),
    'G': (302, 4, 80_000, 2, 4, 4, 'at_risk'),
    'H': (394, 2, 20_000, 2, 2, 2, 'hibernating'),
    'I': (537, 6, 150_000, 1, 5, 5, 'cannot_lose'),
    'J': (716, 1, 5_000, 1, 1, 1, 'lost'),
}
# Average basket = monetary / frequency to the nearest cent; interval = (last − first) / (frequency − 1) days;
# budget = (average basket + largest basket) / 2, half up. E: 60 100 / 3 = 20 033.33 → 20 033; its budget is
# (20 033 + 30 100) / 2 = 25 066.5 → 25 067. A: 2 400 / 8 = 300, largest 600 → 450; first 2024-07-10, last
# 2025-06-25: 350 days / 7 = 50. C: first 2024-06-05, last 2025-06-01: 361 / 4 = 90.25; I: 162 / 5 = 32.4.
EXPECTED_PROFILE = {  # client: (average basket, interval, budget)
    'A': (30_000, 50.0, 45_000), 'B': (8_000, None, 8_000), 'C': (20_000, 90.25, 25_000),
    'D': (8_000, None, 8_000), 'E': (20_033, 90.5, 25_067), 'F': (20_000, 61.0, 22_500),
    'G': (20_000, 122.0, 20_000), 'H': (10_000, 152.0, 10_000), 'I': (25_000, 32.4, 25_000),
    'J': (5_000, None, 5_000),
}


def _amounts(client_id: int, dated: list[tuple[date, int]]) -> list:
    return [(client_id, day, None, amount) for day, amount in dated]


def _example(admin) -> dict[str, int]:
    """The clients above, their sales, and products of four families; returns {letter: client id}."""
    ids = {letter: make_client(admin, f'Client {letter}').id for letter in 'ABCDEFGHIJ'}
    ids['nobody'] = make_client(admin, 'Client sans achat').id
    grocery = make_product(admin, 'Semoule', family='Épicerie', price=100)
    drinks = make_product(admin, 'Jus', family='Boissons', price=50)
    hygiene = make_product(admin, 'Savon', family='Hygiène', price=25)
    fresh = make_product(admin, 'Yaourt', family='Frais', price=20)
    a_sales = [  # 8 sales, 2 400 in all: Épicerie 1 200, Boissons 600, Hygiène 400, Frais 200; largest 600
        (date(2024, 7, 10), [Line(grocery, 6)]), (date(2024, 8, 29), [Line(grocery, 3)]),
        (date(2024, 10, 18), [Line(grocery, 3)]), (date(2024, 12, 7), [Line(drinks, 6)]),
        (date(2025, 1, 26), [Line(drinks, 6)]), (date(2025, 3, 17), [Line(hygiene, 8)]),
        (date(2025, 5, 6), [Line(hygiene, 4), Line(fresh, 5)]), (date(2025, 6, 25), [Line(fresh, 5), Line(hygiene, 4)]),
    ]
    c_sales = [  # 1 000: Boissons 300, then Frais and Hygiène 100 each (a tie, by name), and two plain amounts
        (date(2024, 6, 5), [Line(drinks, 6)]), (date(2024, 9, 1), [Line(hygiene, 4)]),
        (date(2024, 12, 1), [Line(fresh, 5)]), (date(2025, 3, 1), None), (date(2025, 6, 1), None),
    ]
    sales = [(ids['A'], day, lines, None) for day, lines in a_sales]
    sales += [(ids['C'], day, lines, None if lines else 250) for day, lines in c_sales]
    sales += _amounts(ids['B'], [(date(2025, 6, 20), 80)])
    sales += _amounts(ids['D'], [(date(2025, 5, 15), 80)])
    sales += _amounts(ids['E'], [(date(2024, 9, 1), 100), (date(2024, 12, 1), 200), (date(2025, 3, 1), 301)])
    sales += _amounts(ids['F'], [(date(2024, 11, 10), 150), (date(2025, 1, 10), 250)])
    sales += _amounts(ids['G'], [(date(2023, 9, 1), 200), (date(2024, 1, 1), 200), (date(2024, 5, 1), 200),
                                 (date(2024, 9, 1), 200)])
    sales += _amounts(ids['H'], [(date(2024, 1, 1), 100), (date(2024, 6, 1), 100)])
    sales += _amounts(ids['I'], [(date(2023, 8, 1), 250), (date(2023, 9, 1), 250), (date(2023, 10, 1), 250),
                                 (date(2023, 11, 1), 250), (date(2023, 12, 1), 250), (date(2024, 1, 10), 250),
                                 (date(2022, 1, 1), 9_999)])
    sales.append((ids['I'], date(2023, 6, 30), [Line(fresh, 1000)], None))
    sales += _amounts(ids['J'], [(date(2023, 7, 15), 50)])
    make_sales(admin, sales)
    return ids


def _compute(admin, today: date = TODAY, **options) -> rfm.RfmSummary:
    with session_scope() as session:
        return rfm.compute_profiles(session, admin.tenant_id, today=today, **options)


def _profiles(admin) -> dict[int, ClientProfile]:
    with session_scope() as session:
        return {row.client_id: row for row in session.exec(
            select(ClientProfile).where(ClientProfile.tenant_id == admin.tenant_id)).all()}


def _segments(admin, ids: dict[str, int]) -> dict[str, str]:
    letters = {client_id: letter for letter, client_id in ids.items()}
    return {letters[client_id]: row.segment for client_id, row in _profiles(admin).items()}


def test_the_segment_map_covers_every_cell_once():
    assert len(SEGMENT_MAP) == 25 and set(SEGMENT_MAP.values()) == set(SEGMENTS)
    assert (segment_for(5, 4), segment_for(3, 5), segment_for(4, 2), segment_for(5, 1), segment_for(4, 1)) == (
        'champions', 'loyal', 'potential_loyalists', 'new', 'promising')
    assert (segment_for(3, 3), segment_for(3, 2), segment_for(2, 3), segment_for(1, 5), segment_for(1, 1),
            segment_for(1, 2), segment_for(2, 1)) == (
        'need_attention', 'about_to_sleep', 'at_risk', 'cannot_lose', 'lost', 'hibernating', 'hibernating')
    with pytest.raises(ValueError):
        segment_for(0, 3)


@pytest.mark.parametrize('family_lookup', [True, False], ids=['lookup', 'join'])
def test_scores_segments_and_profiles_match_the_hand_computed_example(db, monkeypatch, family_lookup):
    if not family_lookup:  # PostgreSQL's path for product ids scattered among other tenants' (SQLite's always)
        monkeypatch.setattr(families, 'family_lookup', lambda session, tenant_id: None)
    admin = make_tenant()
    ids = _example(admin)

    summary = _compute(admin)

    assert (summary.clients, summary.moves, summary.window_months, summary.start, summary.end) == (
        10, 10, 24, date(2023, 6, 30), TODAY)
    assert summary.segments == {segment: (0 if segment == 'potential_loyalists' else 1) for segment in SEGMENTS}
    profiles = _profiles(admin)
    assert ids['nobody'] not in profiles
    for letter, expected in EXPECTED.items():
        row = profiles[ids[letter]]
        assert (row.recency_days, row.frequency, row.monetary_cents, row.r_score, row.f_score, row.m_score,
                row.segment) == expected, letter
        basket, interval, budget = EXPECTED_PROFILE[letter]
        assert (row.avg_basket_cents, row.budget_cents) == (basket, budget), letter
        assert row.avg_interval_days == (None if interval is None else pytest.approx(interval)), letter
        assert row.window_months == 24
    assert (profiles[ids['A']].first_purchase_on, profiles[ids['A']].last_purchase_on) == (
        date(2024, 7, 10), date(2025, 6, 25))
    assert profiles[ids['A']].top_families == ['Épicerie', 'Boissons', 'Hygiène']
    assert profiles[ids['C']].top_families == ['Boissons', 'Frais', 'Hygiène']
    assert profiles[ids['I']].top_families == []  # its only lines are outside the window
    assert profiles[ids['I']].first_purchase_on == date(2023, 8, 1)


def test_the_family_lookup_is_left_for_a_join_when_product_ids_are_scattered(db, monkeypatch):
    admin, other = make_tenant(), make_tenant()
    first = make_product(admin, 'Semoule', family='Épicerie')
    for _ in range(10):
        make_product(other, family='Boissons')
    last = make_product(admin, 'Savon', family='Hygiène')
    make_product(admin, 'Sans famille', family='')
    with session_scope() as session:
        lookup = families.family_lookup(session, admin.tenant_id)
        assert (lookup.first_id, lookup.names) == (first, ['Hygiène', 'Épicerie'])  # code point order, as SQLite
        assert lookup.family_of_product[0] == 2 and lookup.family_of_product[last - first] == 1
        assert set(lookup.family_of_product[1:last - first]) == {None}
        monkeypatch.setattr(families, 'MAX_LOOKUP_GAPS', 0)  # 12 ids for 2 products with a family: more than 4 × 2
        assert families.family_lookup(session, admin.tenant_id) is None
        assert families.family_lookup(session, other.tenant_id) is not None


def test_a_shorter_window_leaves_older_buyers_out(db):
    admin = make_tenant()
    ids = _example(admin)

    summary = _compute(admin, window_months=6)  # (2024-12-30, 2025-06-30]: A, B, C, D, E, F

    assert summary.clients == 6
    profiles = _profiles(admin)
    assert set(profiles) == {ids[letter] for letter in 'ABCDEF'}
    assert (profiles[ids['A']].frequency, profiles[ids['A']].monetary_cents) == (4, 90_000)  # 300 + 200 + 200 + 200
    assert profiles[ids['A']].top_families == ['Hygiène', 'Boissons', 'Frais']  # 400, 300, 200
    assert (profiles[ids['C']].frequency, profiles[ids['C']].top_families) == (2, [])


@pytest.mark.parametrize('window', [0, -3, 121])
def test_a_window_out_of_range_is_refused_and_nothing_is_written(db, window):
    admin = make_tenant()
    _example(admin)
    with pytest.raises(Invalid) as refused, session_scope() as session:
        rfm.compute_profiles(session, admin.tenant_id, window_months=window, today=TODAY)
    assert (refused.value.key, refused.value.field) == ('error.rfm_window', 'window_months')
    assert count_rows(ClientProfile) == 0 and count_rows(SegmentChange) == 0


def test_segment_history_and_moves_follow_later_computations(db):
    admin = make_tenant()
    ids = _example(admin)
    first_at = utcnow()
    _compute(admin)
    ids['K'] = make_client(admin, 'Client K').id
    make_sales(admin, _amounts(ids['K'], [(date(2025, 7, 20), 500)]))

    # A month later (window (2023-07-31, 2025-07-31]): J's only sale left the window, K bought. Last purchases,
    # oldest first: I H G F E D C B A K → R 1 1 2 2 3 3 4 4 5 5; frequencies as before with K for J (F1).
    # F R3→2: about_to_sleep → hibernating; D R4→3: promising → about_to_sleep; B R5→4: new → promising;
    # K: none → new; J: lost → none. The others keep their segment.
    second_at = utcnow()
    second = _compute(admin, date(2025, 7, 31))
    assert (second.clients, second.moves) == (10, 5)
    assert _segments(admin, ids) == {
        'A': 'champions', 'B': 'promising', 'C': 'loyal', 'D': 'about_to_sleep', 'E': 'need_attention',
        'F': 'hibernating', 'G': 'at_risk', 'H': 'hibernating', 'I': 'cannot_lose', 'K': 'new'}

    # Another month (window (2023-08-31, 2025-08-31]): I's sale of 2023-08-01 leaves, its frequency 6 → 5 ties
    # C's (rank 8 → F4): cannot_lose → at_risk, the one move.
    third = _compute(admin, date(2025, 8, 31))
    assert third.moves == 1
    assert _segments(admin, ids)['I'] == 'at_risk'

    with session_scope() as session:
        history = rfm.client_segment_history(session, admin, ids['I'])
        assert [(change.from_segment, change.to_segment) for change in history] == [
            ('cannot_lose', 'at_risk'), (None, 'cannot_lose')]
        assert [(change.from_segment, change.to_segment) for change in
                rfm.client_segment_history(session, admin, ids['J'])] == [('lost', None), (None, 'lost')]
        since_second = {(move.from_segment, move.to_segment): move.clients
                        for move in rfm.segment_moves(session, admin, second_at)}
        assert since_second == {('about_to_sleep', 'hibernating'): 1, ('promising', 'about_to_sleep'): 1,
                                ('new', 'promising'): 1, (None, 'new'): 1, ('lost', None): 1,
                                ('cannot_lose', 'at_risk'): 1}
        # Since the start, moves are net: J entered then left (counted nowhere), B none → new → promising.
        since_first = rfm.segment_moves(session, admin, first_at)
        assert [(move.from_segment, move.to_segment, move.clients) for move in since_first[:2]] == [
            (None, 'at_risk', 2), (None, 'hibernating', 2)]  # G and I; F and H
        assert {(move.from_segment, move.to_segment): move.clients for move in since_first[2:]} == {
            (None, 'champions'): 1, (None, 'promising'): 1, (None, 'loyal'): 1, (None, 'about_to_sleep'): 1,
            (None, 'need_attention'): 1, (None, 'new'): 1}
        assert rfm.segment_moves(session, admin, utcnow()) == []


def test_reading_profiles_distribution_and_segment_clients(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    ids = _example(admin)
    c_bis = make_client(admin, 'Atlas Distribution').id
    # Like C: last purchase 2025-06-01 and 5 purchases, so both tie at R rank 8 and F rank 8 (R4 F4, loyal) and
    # the other scores stay as in the example with n = 11 (score = 1 + floor((rank − 1) / 2)).
    make_sales(admin, _amounts(c_bis, [(date(2025, month, 1), 300) for month in range(2, 7)]))
    _compute(admin)

    with session_scope() as session:
        profile = rfm.get_profile(session, viewer, ids['A'])
        assert (profile.segment, profile.r_score, profile.f_score, profile.m_score, profile.avg_basket_cents,
                profile.budget_cents, profile.top_families, profile.last_purchase_on) == (
            'champions', 5, 5, 5, 30_000, 45_000, ['Épicerie', 'Boissons', 'Hygiène'], date(2025, 6, 25))
        assert rfm.get_profile(session, viewer, ids['nobody']) is None

        distribution = rfm.segment_distribution(session, viewer)
        assert [share.segment for share in distribution] == list(SEGMENTS)
        by_segment = {share.segment: share for share in distribution}
        assert (by_segment['champions'].clients, by_segment['champions'].revenue_cents) == (1, 240_000)
        assert by_segment['potential_loyalists'].clients == 0
        assert sum(share.clients for share in distribution) == 11

        loyal = rfm.segment_clients(session, viewer, 'loyal', PageRequest(limit=10))
        assert loyal.total == 2
        assert [(row.name, row.monetary_cents) for row in loyal.items] == [
            ('Atlas Distribution', 150_000), ('Client C', 100_000)]  # biggest spenders first
        found = rfm.segment_clients(session, viewer, 'loyal', PageRequest(limit=10), search='atlas')
        assert [row.client_id for row in found.items] == [c_bis]
        everyone = rfm.segment_clients(session, viewer, None, PageRequest(limit=3, offset=0))
        assert (everyone.total, [row.name for row in everyone.items]) == (
            11, ['Client A', 'Client I', 'Atlas Distribution'])
        with pytest.raises(Invalid) as unknown:
            rfm.segment_clients(session, viewer, 'vip', PageRequest())
        assert unknown.value.field == 'segment'


def test_tenants_never_see_or_touch_each_others_profiles(db):
    admin = make_tenant()
    ids = _example(admin)
    other = make_tenant()
    theirs = make_client(other, 'Client ailleurs').id
    make_sales(other, _amounts(theirs, [(date(2025, 6, 1), 1_000)]))
    _compute(admin)

    summary = _compute(other)

    assert (summary.clients, summary.moves) == (1, 1)
    assert len(_profiles(admin)) == 10 and len(_profiles(other)) == 1
    with session_scope() as session:
        assert sum(share.clients for share in rfm.segment_distribution(session, other)) == 1
        assert rfm.segment_clients(session, other, None, PageRequest()).total == 1
        assert rfm.segment_moves(session, other, datetime(2000, 1, 1, tzinfo=UTC)) != []
        for read in (rfm.get_profile, rfm.client_segment_history):
            with pytest.raises(NotFound):
                read(session, other, ids['A'])
    assert count_rows(SegmentChange, tenant_id=admin.tenant_id) == 10
