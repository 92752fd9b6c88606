"""Monthly KPIs per client: saved figures, meetings and pitches counted from interactions, summaries, and months in
the firm's time zone — on SQLite and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlmodel import col, func, select

from db.models import AuditLog, ClientKpi, Role, utcnow
from db.session import session_scope
from services import interactions, kpis
from services.clock import local_now
from services.errors import Forbidden, Invalid, NotFound
from services.interactions import InteractionInput
from services.kpis import KpiInput
from services.paging import PageRequest
from settings import get_settings
from tests.factories import make_client, make_tenant, make_user


def _save(actor, client_id: int, **fields):
    fields = {'year': 2025, 'month': 3, **fields}
    with session_scope() as session:
        return kpis.save_kpi(session, actor, client_id, KpiInput(**fields))


def _log(actor, client_id: int, kind: str, at: datetime, *, is_pitch: bool = False) -> None:
    with session_scope() as session:
        interactions.create_interaction(session, actor, InteractionInput(
            client_id=client_id, type=kind, title=f'{kind} {at:%d/%m}', occurred_at=at, is_pitch=is_pitch))


def _rows() -> list[ClientKpi]:
    with session_scope() as session:
        return list(session.exec(select(ClientKpi).order_by(col(ClientKpi.id))).all())


def _audits(actor) -> list[AuditLog]:
    with session_scope() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.tenant_id == actor.tenant_id,
                                                        AuditLog.entity == 'client_kpi')
                                 .order_by(col(AuditLog.id))).all())


def _march(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=UTC)


# --- saving ----------------------------------------------------------------------------------------------------

def test_save_kpi_keeps_one_row_per_client_and_month(db):
    admin = make_tenant()
    agent = make_user(admin)
    client = make_client(admin, 'Atlas Conseil')
    created = _save(admin, client.id, due_diligences=2, closings=1, revenue=Decimal('1234.50'),
                    commission_rate=Decimal('2.5'))
    assert (created.client_id, created.client_name, created.year, created.month, created.saved, created.version) == (
        client.id, 'Atlas Conseil', 2025, 3, True, 1)
    assert (created.due_diligences, created.closings, created.revenue, created.commission_rate,
            created.commission) == (2, 1, Decimal('1234.50'), Decimal('2.50'), Decimal('30.86'))
    assert (created.meetings, created.pitches, created.meetings_overridden, created.pitches_overridden) == (
        0, 0, False, False)

    updated = _save(agent, client.id, due_diligences=2, closings=3, revenue=Decimal('2000'),
                    commission_rate=Decimal('1.25'))
    assert (updated.closings, updated.revenue, updated.commission, updated.version) == (
        3, Decimal('2000.00'), Decimal('25.00'), 2)
    assert _save(agent, client.id, due_diligences=2, closings=3, revenue=Decimal('2000.00'),
                 commission_rate=Decimal('1.250')).version == 2  # nothing changed
    [row] = _rows()
    assert (row.revenue_cents, row.commission_bps, row.meetings, row.pitches) == (200_000, 125, None, None)

    _save(admin, client.id, month=4)
    _save(admin, make_client(admin).id)
    assert len(_rows()) == 3
    audits = _audits(admin)
    assert [a.action for a in audits] == ['create', 'update', 'create', 'create']
    assert audits[1].user_id == agent.user_id
    assert audits[1].changes == {'period': '2025-03', 'closings': [1, 3], 'revenue_cents': [123_450, 200_000],
                                 'commission_bps': [250, 125]}


def test_commission_is_rounded_half_up_to_the_cent(db):
    admin = make_tenant()
    client = make_client(admin)
    assert _save(admin, client.id, revenue=Decimal('0.50'), commission_rate=Decimal('1')).commission == \
        Decimal('0.01')
    assert _save(admin, client.id, revenue=Decimal('0.49'), commission_rate=Decimal('1')).commission == \
        Decimal('0.00')
    assert _save(admin, client.id, revenue=Decimal('999999999999.99'), commission_rate=Decimal('100')).commission \
        == Decimal('999999999999.99')


def test_invalid_figures_are_refused_and_nothing_is_written(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    viewer = make_user(admin, role=Role.VIEWER)
    client = make_client(admin)
    refused = [
        ({'month': 13}, 'month'), ({'month': 0}, 'month'), ({'year': 1999}, 'year'), ({'year': 2101}, 'year'),
        ({'meetings': -1}, 'meetings'), ({'pitches': -3}, 'pitches'), ({'due_diligences': -1}, 'due_diligences'),
        ({'closings': 10_001}, 'closings'),
        ({'revenue': Decimal('10.123')}, 'revenue'), ({'revenue': Decimal('-1')}, 'revenue'),
        ({'revenue': Decimal('1000000000000')}, 'revenue'),
        ({'commission_rate': Decimal('100.01')}, 'commission_rate'), ({'commission_rate': 150}, 'commission_rate'),
        ({'commission_rate': Decimal('-0.5')}, 'commission_rate'),
        ({'commission_rate': Decimal('1.234')}, 'commission_rate'),
    ]
    for fields, field in refused:
        with pytest.raises(Invalid) as error:
            _save(admin, client.id, **fields)
        assert error.value.field == field, fields
    for value in ('NaN', 'Infinity'):
        with pytest.raises(ValidationError):
            KpiInput(year=2025, month=3, revenue=Decimal(value))
    with pytest.raises(Invalid) as error:
        _save(admin, client.id, revenue=Decimal('10.123'))
    assert error.value.key == 'error.amount_decimals'
    with pytest.raises(NotFound):
        _save(admin, make_client(other).id)
    with pytest.raises(Forbidden):
        _save(viewer, client.id)
    assert _rows() == [] and _audits(admin) == []
    assert _save(admin, client.id, month=12, commission_rate=Decimal('100'), closings=10_000).saved


def test_concurrent_first_saves_of_a_month_give_one_row(db):
    admin = make_tenant()
    client = make_client(admin)
    start = threading.Barrier(8)

    def save(closings: int) -> int:
        start.wait()
        with session_scope() as session:
            return kpis.save_kpi(session, admin, client.id, KpiInput(year=2025, month=3, closings=closings)).closings

    with ThreadPoolExecutor(max_workers=8) as pool:
        saved = list(pool.map(save, range(1, 9)))
    assert saved == list(range(1, 9))
    [row] = _rows()
    assert row.closings in saved
    assert sorted(a.action for a in _audits(admin)) == ['create'] + ['update'] * 7


# --- counted meetings and pitches ------------------------------------------------------------------------------

def test_meetings_and_pitches_are_counted_from_the_months_interactions_unless_typed(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin)
    neighbour = make_client(admin)
    _log(admin, client.id, 'meeting', _march(3))
    _log(admin, client.id, 'meeting', _march(4), is_pitch=True)
    _log(admin, client.id, 'dejeuner', _march(5))
    _log(admin, client.id, 'call', _march(6), is_pitch=True)
    _log(admin, client.id, 'email', _march(7))
    _log(admin, client.id, 'meeting', datetime(2025, 4, 2, 10, tzinfo=UTC))
    _log(admin, neighbour.id, 'meeting', _march(8))
    _log(other, make_client(other).id, 'meeting', _march(8))

    counted = _save(admin, client.id)
    assert (counted.meetings, counted.pitches, counted.meetings_counted, counted.pitches_counted) == (3, 2, 3, 2)
    assert (counted.meetings_overridden, counted.pitches_overridden) == (False, False)
    typed = _save(admin, client.id, meetings=7, pitches=0)
    assert (typed.meetings, typed.pitches, typed.meetings_counted, typed.pitches_counted) == (7, 0, 3, 2)
    assert (typed.meetings_overridden, typed.pitches_overridden) == (True, True)
    back = _save(admin, client.id, pitches=0)
    assert (back.meetings, back.pitches, back.meetings_overridden, back.version) == (3, 0, False, 3)


def test_planned_meetings_do_not_count_yet(db):
    admin = make_tenant()
    client = make_client(admin)
    now = local_now()
    start, _ = kpis.month_bounds(now.year, now.month)
    _log(admin, client.id, 'meeting', start + (utcnow() - start) / 2)
    _log(admin, client.id, 'meeting', utcnow() + timedelta(hours=1))
    _log(admin, client.id, 'lunch', utcnow() + timedelta(days=40))
    assert _save(admin, client.id, year=now.year, month=now.month).meetings == 1


def test_months_follow_the_firms_time_zone(db):
    assert get_settings().timezone == 'Africa/Algiers'
    assert kpis.month_bounds(2025, 1) == (datetime(2024, 12, 31, 23, tzinfo=UTC), datetime(2025, 1, 31, 23, tzinfo=UTC))
    assert kpis.month_bounds(2025, 12) == (datetime(2025, 11, 30, 23, tzinfo=UTC),
                                           datetime(2025, 12, 31, 23, tzinfo=UTC))
    admin = make_tenant()
    client = make_client(admin)
    _log(admin, client.id, 'meeting', datetime(2024, 12, 31, 23, 30, tzinfo=UTC))  # 1 January, 00:30 in Algiers
    _log(admin, client.id, 'meeting', datetime(2025, 1, 31, 22, 59, tzinfo=UTC))  # still January
    _log(admin, client.id, 'meeting', datetime(2025, 1, 31, 23, 30, tzinfo=UTC))  # 1 February, 00:30
    _log(admin, client.id, 'lunch', datetime(2025, 12, 31, 23, 0, tzinfo=UTC))  # 1 January 2026
    with session_scope() as session:
        summary = kpis.annual_summary(session, admin, client.id, 2025)
        assert [m.meetings for m in summary.months] == [2, 1] + [0] * 10
        assert kpis.annual_summary(session, admin, client.id, 2024).totals.meetings == 0
        assert kpis.annual_summary(session, admin, client.id, 2026).months[0].meetings == 1
        assert kpis.month_summary(session, admin, 2025, 2).totals.meetings == 1


# --- summaries -------------------------------------------------------------------------------------------------

def test_annual_summary_has_twelve_months_and_their_totals(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    client = make_client(admin, 'Atlas Conseil')
    _save(admin, client.id, month=1, revenue=Decimal('1000'), commission_rate=Decimal('2'), closings=1)
    _save(admin, client.id, month=3, revenue=Decimal('500.55'), commission_rate=Decimal('3'), meetings=4,
          due_diligences=2)
    _save(admin, client.id, year=2024, month=3, revenue=Decimal('77'))
    _log(admin, client.id, 'meeting', _march(10))
    _log(admin, client.id, 'meeting', _march(11), is_pitch=True)
    _log(admin, client.id, 'lunch', datetime(2025, 6, 12, 12, tzinfo=UTC))
    with session_scope() as session:
        summary = kpis.annual_summary(session, admin, client.id, 2025)
        with pytest.raises(Invalid):
            kpis.annual_summary(session, admin, client.id, 1999)
        with pytest.raises(NotFound):
            kpis.annual_summary(session, other, client.id, 2025)
    assert (summary.client_id, summary.client_name, summary.year) == (client.id, 'Atlas Conseil', 2025)
    assert [m.month for m in summary.months] == list(range(1, 13))
    assert [m.saved for m in summary.months] == [True, False, True] + [False] * 9
    assert [(m.meetings, m.pitches) for m in summary.months[:6]] == [(0, 0), (0, 0), (4, 1), (0, 0), (0, 0), (1, 0)]
    assert [m.commission for m in summary.months[:3]] == [Decimal('20.00'), Decimal('0.00'), Decimal('15.02')]
    assert summary.totals == kpis.KpiTotals(meetings=5, pitches=1, due_diligences=2, closings=1,
                                            revenue=Decimal('1500.55'), commission=Decimal('35.02'))


def test_month_summary_totals_and_leading_clients(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    atlas, sahel, tell, oasis = (make_client(admin, name) for name in ('Atlas', 'Sahel', 'Tell', 'Oasis'))
    _save(admin, atlas.id, revenue=Decimal('1000'), commission_rate=Decimal('2.5'))
    _log(admin, atlas.id, 'meeting', _march(2), is_pitch=True)
    _log(admin, atlas.id, 'lunch', _march(3))
    _save(admin, sahel.id, revenue=Decimal('3000'), commission_rate=Decimal('1.25'), meetings=5, pitches=0,
          closings=2)
    _log(admin, sahel.id, 'meeting', _march(4), is_pitch=True)
    for day in (5, 6, 7):
        _log(admin, tell.id, 'meeting', _march(day))
    _save(admin, oasis.id, due_diligences=1)
    _save(admin, make_client(admin).id, month=2, revenue=Decimal('50000'))
    _save(other, make_client(other).id, revenue=Decimal('99999'), meetings=40)

    with session_scope() as session:
        summary = kpis.month_summary(session, admin, 2025, 3)
        with pytest.raises(Invalid):
            kpis.month_summary(session, admin, 2025, 13)
    assert (summary.year, summary.month, summary.clients_with_activity) == (2025, 3, 4)
    assert summary.totals == kpis.KpiTotals(meetings=10, pitches=1, due_diligences=1, closings=2,
                                            revenue=Decimal('4000.00'), commission=Decimal('62.50'))
    assert [(r.client_name, r.revenue, r.commission) for r in summary.top_by_revenue] == [
        ('Sahel', Decimal('3000.00'), Decimal('37.50')), ('Atlas', Decimal('1000.00'), Decimal('25.00'))]
    assert [(r.client_name, r.meetings, r.saved) for r in summary.top_by_meetings] == [
        ('Sahel', 5, True), ('Tell', 3, False), ('Atlas', 2, True)]


def test_month_summary_commission_total_is_the_sum_of_the_rounded_commissions(db):
    """Each client's commission is rounded to the cent; the month's total is the sum of what the rows show, as
    the annual summary does."""
    admin = make_tenant()
    rows = [_save(admin, make_client(admin).id, revenue=Decimal('0.50'), commission_rate=Decimal('1'))
            for _ in range(3)]
    assert [r.commission for r in rows] == [Decimal('0.01')] * 3
    with session_scope() as session:
        assert kpis.month_summary(session, admin, 2025, 3).totals.commission == Decimal('0.03')


def test_month_summary_keeps_the_ten_leading_clients(db):
    admin = make_tenant()
    for number in range(12):
        _save(admin, make_client(admin, f'Client {number:02d}').id, revenue=Decimal(100 + number),
              meetings=number)
    with session_scope() as session:
        summary = kpis.month_summary(session, admin, 2025, 3)
    assert [r.client_name for r in summary.top_by_revenue] == [f'Client {n:02d}' for n in range(11, 1, -1)]
    assert [r.meetings for r in summary.top_by_meetings] == list(range(11, 1, -1))
    assert summary.clients_with_activity == 12 and summary.totals.meetings == sum(range(12))


def test_list_kpis_newest_month_first_with_filters(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    atlas, sahel = make_client(admin, 'Atlas'), make_client(admin, 'Sahel')
    _save(admin, atlas.id, year=2024, month=12)
    _save(admin, atlas.id, month=3)
    _save(admin, sahel.id, month=3, meetings=2)
    _save(admin, sahel.id, month=1)
    _save(other, make_client(other).id, month=3)
    _log(admin, atlas.id, 'meeting', _march(9))

    def listed(page: PageRequest | None = None, **filters) -> list[tuple[str, int, int, int]]:
        with session_scope() as session:
            found = kpis.list_kpis(session, admin, page or PageRequest(), **filters)
        return [(r.client_name, r.year, r.month, r.meetings) for r in found.items]

    assert listed() == [('Atlas', 2025, 3, 1), ('Sahel', 2025, 3, 2), ('Sahel', 2025, 1, 0), ('Atlas', 2024, 12, 0)]
    assert listed(year=2025, month=3) == [('Atlas', 2025, 3, 1), ('Sahel', 2025, 3, 2)]
    assert listed(month=12) == [('Atlas', 2024, 12, 0)]
    assert listed(client_id=sahel.id) == [('Sahel', 2025, 3, 2), ('Sahel', 2025, 1, 0)]
    assert listed(PageRequest(limit=1, offset=1)) == [('Sahel', 2025, 3, 2)]
    with session_scope() as session:
        assert kpis.list_kpis(session, admin, PageRequest()).total == 4
        with pytest.raises(Invalid):
            kpis.list_kpis(session, admin, PageRequest(), month=13)
        with pytest.raises(NotFound):
            kpis.list_kpis(session, other, PageRequest(), client_id=atlas.id)
        assert session.exec(select(func.count()).select_from(ClientKpi)).one() == 5
