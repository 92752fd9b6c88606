"""The month's segment moves (`segment_move_month`), kept as the RFM computations write the segment history.

A client's move over a month is net: from the segment they had when the month started (the `from_segment` of their
first change in the month) to the one after their latest change; only moves from one segment to another count
(entering or leaving the profiles does not). The dashboard reads the dozen rows of the current month instead of
grouping the month's changes per client (100,000 rows after a first computation).

Each computation adjusts the counts for the clients it changed, in one statement: a client already moved this month
leaves their former pair (start → previous segment) for the new one (start → new segment); the others add
(previous → new). A client whose history goes (a merge, a deletion) takes their move with them (`forget_client`).
`rfm.segment_moves` stays the reference, between any two moments.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, String, case, delete, func, literal, select, true, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from db.models import SegmentChange, SegmentMoveMonth, utcnow
from db.models.types import UTCDateTime
from services.clock import local_date
from settings import get_settings


def month_of(moment: datetime) -> date:
    """The first day of the firm's month of a moment."""
    return local_date(moment).replace(day=1)


def month_start(month: date) -> datetime:
    """Midnight of a month's first day in the firm's time zone, in UTC."""
    return datetime.combine(month, time.min, ZoneInfo(get_settings().timezone)).astimezone(UTC)


def _add(session: Session, tenant_id: int, month: date, deltas) -> None:
    """Add `deltas` (from_segment, to_segment, delta) to the month's counts; pairs left with no client go."""
    summed = (select(literal(tenant_id), literal(month), deltas.c.from_segment, deltas.c.to_segment,
                     func.sum(deltas.c.delta))
              .where(true())  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
              .group_by(deltas.c.from_segment, deltas.c.to_segment))
    table = SegmentMoveMonth.__table__
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == 'postgresql' else sqlite_insert)(table).from_select(
        ['tenant_id', 'month', 'from_segment', 'to_segment', 'clients'], summed)
    session.execute(statement.on_conflict_do_update(
        index_elements=['tenant_id', 'month', 'from_segment', 'to_segment'],
        set_={'clients': table.c.clients + statement.excluded.clients}))
    session.execute(delete(SegmentMoveMonth)
                    .where(SegmentMoveMonth.tenant_id == tenant_id, SegmentMoveMonth.month == month,
                           SegmentMoveMonth.clients <= 0)
                    .execution_options(synchronize_session=False))


def record(session: Session, tenant_id: int, stamp: datetime) -> None:
    """Count the changes a computation just wrote (all stamped `stamp`) in their month's moves. A client's start of
    the month comes from their first earlier change of the month, one index probe each (`ix_segment_change_client`),
    skipped at the month's first computation: a plan that the fresh rows, unknown to the planner's statistics, cannot
    turn into a scan per change."""
    month = month_of(stamp)
    since, at = month_start(month), literal(stamp, UTCDateTime())
    changes, earlier = SegmentChange.__table__, SegmentChange.__table__.alias('earlier')
    in_month = (earlier.c.tenant_id == tenant_id) & (earlier.c.changed_at >= since) & (earlier.c.changed_at < at)
    if session.execute(select(select(earlier.c.id).where(in_month).exists())).scalar():
        # '' when the client entered the profiles this month, NULL when they did not change yet this month
        start = (select(func.coalesce(earlier.c.from_segment, ''))
                 .where(in_month, earlier.c.client_id == changes.c.client_id)
                 .order_by(earlier.c.changed_at, earlier.c.id).limit(1).scalar_subquery())
    else:
        start = literal(None, String)
    run = (select(changes.c.from_segment.label('before'), changes.c.to_segment.label('after'),
                  start.label('start'))
           .where(changes.c.tenant_id == tenant_id, changes.c.changed_at == at).cte('run_changes'))
    c = run.c
    begun = case((c.start.is_(None), c.before), else_=c.start)
    left = (select(c.start.label('from_segment'), c.before.label('to_segment'), literal(-1, Integer).label('delta'))
            .where(c.start != '', c.before.is_not(None), c.start != c.before))
    joined = (select(begun, c.after, literal(1, Integer))
              .where(begun != '', c.after.is_not(None), begun != c.after))
    _add(session, tenant_id, month, union_all(left, joined).subquery())


def forget_client(session: Session, tenant_id: int, client_id: int, *, now: datetime | None = None) -> None:
    """A client's segment history is about to go (merged into another client, or deleted): their move of the
    current month goes from the counts."""
    month = month_of(now or utcnow())
    rows = session.execute(select(SegmentChange.from_segment, SegmentChange.to_segment)
                           .where(SegmentChange.tenant_id == tenant_id, SegmentChange.client_id == client_id,
                                  SegmentChange.changed_at >= month_start(month))
                           .order_by(SegmentChange.id)).all()
    if not rows or rows[0][0] is None or rows[-1][1] is None or rows[0][0] == rows[-1][1]:
        return
    pair = select(literal(rows[0][0]).label('from_segment'), literal(rows[-1][1]).label('to_segment'),
                  literal(-1, Integer).label('delta')).subquery()
    _add(session, tenant_id, month, pair)


def month_moves(session: Session, tenant_id: int, month: date, limit: int) -> list[tuple[str, str, int]]:
    """(from, to, clients) of a month, most frequent first."""
    rows = session.execute(select(SegmentMoveMonth.from_segment, SegmentMoveMonth.to_segment,
                                  SegmentMoveMonth.clients)
                           .where(SegmentMoveMonth.tenant_id == tenant_id, SegmentMoveMonth.month == month,
                                  SegmentMoveMonth.clients > 0)
                           .order_by(SegmentMoveMonth.clients.desc(), SegmentMoveMonth.from_segment,
                                     SegmentMoveMonth.to_segment)
                           .limit(limit)).all()
    return [(old, new, int(count)) for old, new, count in rows]
