"""The month's segment moves kept by the RFM computations (`segment_move_month`): always what the segment history
says since the month's start (net per client, between segments only), through later computations, a client back
where they started, a merge and a deletion — on SQLite and PostgreSQL."""

from datetime import date, timedelta

from sqlalchemy import update

from db.models import ClientStatus, SegmentChange, utcnow
from db.session import session_scope
from services.analytics import moves as month_moves
from services.analytics.rfm import compute_profiles, segment_moves
from services.clients import delete_client, set_status
from services.clock import today
from services.merge import merge_clients
from tests.factories import make_client, make_tenant
from tests.sales_factories import make_sales


def _compute(actor, day: date, window_months: int = 24) -> None:
    with session_scope() as session:
        compute_profiles(session, actor.tenant_id, window_months=window_months, today=day)


def _moves(actor) -> list[tuple[str, str, int]]:
    """The kept counts of this month, checked against the segment history read from the month's start."""
    month = today().replace(day=1)
    with session_scope() as session:
        kept = month_moves.month_moves(session, actor.tenant_id, month, 100)
        history = [(move.from_segment, move.to_segment, move.clients)
                   for move in segment_moves(session, actor, month_moves.month_start(month))
                   if move.from_segment and move.to_segment]
    assert kept == history
    return kept


def test_the_month_moves_follow_computations_merges_and_deletions(db):
    admin = make_tenant()
    other = make_tenant()
    names = 'ABCDEF'
    ids = {name: make_client(admin, f'Client {name}').id for name in names}
    # last purchases A..F from oldest to newest; purchases 1, 3, 3, 2, 1, 1
    counts = dict(zip(names, (1, 3, 3, 2, 1, 1), strict=True))
    make_sales(admin, [(ids[name], date(2025, 1, 1) + timedelta(days=10 * index + n), None, 100)
                       for index, name in enumerate(names) for n in range(counts[name])])
    stranger = make_client(other).id
    make_sales(other, [(stranger, date(2025, 1, 5), None, 100)])
    _compute(admin, date(2025, 3, 31))
    _compute(other, date(2025, 3, 31))
    assert _moves(admin) == []  # everybody entered: no move
    with session_scope() as session:  # those computations were last month's
        session.execute(update(SegmentChange).values(changed_at=utcnow() - timedelta(days=40)))

    # Before: R (last purchase ranks, n = 6) A1 B2 C3 D4 E5 F5, F A1 B5 C5 D4 E1 F1: A lost, B cannot lose, C and D
    # loyal, E and F new. A buys twice more: R B1 C2 D3 E4 F5 A5, F E1 F1 D3 A4 B4 C4.
    make_sales(admin, [(ids['A'], date(2025, 3, 1), None, 100), (ids['A'], date(2025, 3, 2), None, 100)])
    _compute(admin, date(2025, 3, 31))
    first = _moves(admin)
    assert first == [('cannot_lose', 'at_risk', 1), ('lost', 'champions', 1), ('loyal', 'at_risk', 1),
                     ('loyal', 'need_attention', 1), ('new', 'promising', 1)]

    make_sales(admin, [(ids['E'], date(2025, 3, 10), None, 100), (ids['E'], date(2025, 3, 11), None, 100),
                       (ids['E'], date(2025, 3, 12), None, 100)])
    _compute(admin, date(2025, 3, 31))
    second = _moves(admin)  # net: A lost → champion → potential loyalist, E new → promising → champion
    assert ('lost', 'potential_loyalists', 1) in second and ('new', 'champions', 1) in second

    # a two-month window (B and C leave, the others move), then back: everybody is where they were
    _compute(admin, date(2025, 3, 31), window_months=2)
    assert _moves(admin) != second
    _compute(admin, date(2025, 3, 31))
    assert _moves(admin) == second

    with session_scope() as session:  # E merged into A: E's move goes with its history
        merge_clients(session, admin, ids['A'], ids['E'])
    assert ('new', 'champions', 1) not in _moves(admin)
    _compute(admin, date(2025, 3, 31))
    before = _moves(admin)
    with session_scope() as session:  # C deleted: so is its move
        set_status(session, admin, ids['C'], ClientStatus.ARCHIVED)
    with session_scope() as session:
        delete_client(session, admin, ids['C'])
    assert _moves(admin) == [move for move in before if move != ('loyal', 'at_risk', 1)]
    _compute(admin, date(2025, 3, 31))
    _moves(admin)
    assert _moves(other) == []
