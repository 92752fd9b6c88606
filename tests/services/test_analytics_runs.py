"""Analytics runs (profiles → popularity → recommendations) with their progress, one per tenant, failures and
restarts; the analytics settings; which tenants the nightly scheduler finds due, at fixed times and time zones — on
SQLite and PostgreSQL."""

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from db.models import AnalyticsRun, AnalyticsSettings, ClientProfile, Recommendation, Role, Tenant
from db.session import session_scope
from services.analytics import runs
from services.analytics.settings import AnalyticsSettingsInput, get_settings, update_settings
from services.errors import Conflict, Forbidden, Invalid, NotFound
from settings import reload_settings
from tests.factories import count_rows, make_client, make_tenant, make_user
from tests.sales_factories import Line, make_product, make_sales


def _shop(admin) -> None:
    """Three buyers of the last months: enough for every step to have something to do."""
    today = date.today()
    coffee = make_product(admin, 'Café 250g', family='Café', price=5)
    capsules = make_product(admin, 'Capsules', family='Café', price=8)
    make_product(admin, 'Machine', family='Café', price=200)
    sales = []
    for number, gaps in enumerate(((3,), (50, 35, 15, 5), (150, 120, 90))):
        client_id = make_client(admin, f'Client {number}').id
        sales += [(client_id, today - timedelta(days=gap), [Line(coffee, 2), Line(capsules, 1)], None) for gap in gaps]
    make_sales(admin, sales)


def _run(run_id: int) -> AnalyticsRun:
    with session_scope() as session:
        return session.get(AnalyticsRun, run_id)


def _start(actor, **options) -> tuple[runs.RunRead, bool]:
    with session_scope() as session:
        return runs.start_run(session, actor, **options)


def test_a_run_goes_through_its_steps_to_done_with_a_summary(db, monkeypatch):
    admin = make_tenant()
    _shop(admin)
    run, started = _start(admin)
    assert started and (run.status, run.progress, run.window_months, run.trigger) == ('queued', 0, 24, 'manual')

    steps = []
    original = runs._report

    def spy(scope, run_id, **values):
        steps.append((values.get('step'), values.get('progress'), values.get('status')))
        original(scope, run_id, **values)

    monkeypatch.setattr(runs, '_report', spy)  # records each report, then writes it
    runs.run_analytics(run.id)
    monkeypatch.undo()

    assert steps == [('profiles', 5, None), ('popularity', 45, None), ('recommendations', 60, None),
                     (None, 100, 'done')]
    done = _run(run.id)
    assert (done.status, done.progress, done.step, done.error) == ('done', 100, 'recommendations', None)
    assert done.started_at is not None and done.finished_at >= done.started_at
    summary = done.summary
    assert (summary['clients'], summary['moves'], summary['products'], summary['window_months']) == (3, 3, 3, 24)
    assert sum(summary['segments'].values()) == 3
    assert set(summary['recommendations']) <= {'nurture', 'winback', 'rebuy', 'cross_sell', 'upsell'}
    assert set(summary['durations_ms']) == {'profiles', 'popularity', 'recommendations', 'total'}
    assert count_rows(ClientProfile, tenant_id=admin.tenant_id) == 3
    assert count_rows(Recommendation, tenant_id=admin.tenant_id) == sum(summary['recommendations'].values())
    with session_scope() as session:
        latest = runs.latest_run(session, admin)
    assert (latest.id, latest.status, latest.active) == (run.id, 'done', False)

    runs.run_analytics(run.id)  # a finished run is not run again
    assert _run(run.id).finished_at == done.finished_at


def test_a_launched_run_finishes_in_its_thread(db):
    admin = make_tenant()
    _shop(admin)
    run, _ = _start(admin, window_months=12)
    runs.launch(run.id).join(timeout=60)
    done = _run(run.id)
    assert (done.status, done.window_months, done.summary['window_months']) == ('done', 12, 12)


def test_one_run_at_a_time_per_tenant(db):
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    first, started = _start(admin)
    again, started_again = _start(agent, window_months=6)
    assert started and not started_again and again.id == first.id
    other = make_tenant()
    theirs, started_there = _start(other)
    assert started_there and theirs.id != first.id

    with session_scope() as session:
        session.execute(update(AnalyticsRun).where(AnalyticsRun.id == first.id).values(status='done'))
    _, started_after = _start(agent)
    assert started_after


def test_who_may_start_a_run_and_with_which_window(db):
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    with pytest.raises(Forbidden):
        _start(viewer)
    for window in (0, 121):
        with pytest.raises(Invalid) as refused:
            _start(admin, window_months=window)
        assert (refused.value.key, refused.value.field) == ('error.rfm_window', 'window_months')
    assert count_rows(AnalyticsRun) == 0

    with session_scope() as session:
        update_settings(session, admin, AnalyticsSettingsInput(window_months=36, nightly_enabled=True, nightly_hour=4))
    run, _ = _start(admin)
    assert run.window_months == 36  # the settings' window when none is given
    stranger = make_tenant()
    with session_scope() as session:
        assert runs.get_run(session, viewer, run.id).id == run.id
        with pytest.raises(NotFound):
            runs.get_run(session, stranger, run.id)


def test_a_failing_step_marks_the_run_failed(db):
    admin = make_tenant()
    _shop(admin)
    run, _ = _start(admin)
    with session_scope() as session:  # a window no computation accepts, as if the row had been tampered with
        session.execute(update(AnalyticsRun).where(AnalyticsRun.id == run.id).values(window_months=0))

    runs.run_analytics(run.id)

    failed = _run(run.id)
    assert (failed.status, failed.step, failed.error) == ('failed', 'profiles', 'error.rfm_window')
    assert failed.finished_at is not None and count_rows(ClientProfile) == 0
    _, started = _start(admin)
    assert started  # a failed run does not block the next one


def test_runs_left_running_are_interrupted_at_restart(db):
    admin = make_tenant()
    queued, _ = _start(admin)
    other = make_tenant()
    running, _ = _start(other)
    finished, _ = _start(make_tenant())
    with session_scope() as session:
        session.execute(update(AnalyticsRun).where(AnalyticsRun.id == running.id).values(status='running'))
        session.execute(update(AnalyticsRun).where(AnalyticsRun.id == finished.id).values(status='done'))
    with session_scope() as session:
        assert runs.mark_interrupted(session) == 2
    assert [_run(run.id).status for run in (queued, running, finished)] == ['interrupted', 'interrupted', 'done']
    runs.run_analytics(queued.id)  # an interrupted run never starts
    assert _run(queued.id).status == 'interrupted'


def test_settings_defaults_admin_only_ranges_and_versions(db):
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    with session_scope() as session:
        defaults = get_settings(session, agent)
    assert (defaults.window_months, defaults.nightly_enabled, defaults.nightly_hour, defaults.version) == (
        24, True, 2, 0)
    with pytest.raises(Forbidden), session_scope() as session:
        update_settings(session, agent, AnalyticsSettingsInput(window_months=12))
    for data, field in ((AnalyticsSettingsInput(window_months=0), 'window_months'),
                        (AnalyticsSettingsInput(nightly_hour=24), 'nightly_hour')):
        with pytest.raises(Invalid) as refused, session_scope() as session:
            update_settings(session, admin, data)
        assert refused.value.field == field
    with session_scope() as session:
        saved = update_settings(session, admin, AnalyticsSettingsInput(window_months=12, nightly_enabled=False,
                                                                       nightly_hour=23), expected_version=0)
    assert (saved.window_months, saved.nightly_enabled, saved.nightly_hour, saved.version) == (12, False, 23, 1)
    with pytest.raises(Conflict), session_scope() as session:
        update_settings(session, admin, AnalyticsSettingsInput(window_months=6), expected_version=0)
    with session_scope() as session:
        assert get_settings(session, agent).window_months == 12


# --- the nightly scheduler ---------------------------------------------------------------------------------------

@pytest.fixture
def firm_zone(monkeypatch) -> Iterator:
    """Set the firm's time zone for a test (CRM_TIMEZONE), then put the default back."""
    def use(name: str) -> None:
        monkeypatch.setenv('CRM_TIMEZONE', name)
        reload_settings()
    yield use
    monkeypatch.undo()
    reload_settings()


def _set(admin, **values) -> None:
    with session_scope() as session:
        session.add(AnalyticsSettings(tenant_id=admin.tenant_id, **values))


def _past_run(admin, created_at: datetime, status: str = 'done') -> None:
    with session_scope() as session:
        session.add(AnalyticsRun(tenant_id=admin.tenant_id, trigger='nightly', status=status, created_at=created_at))


def _due(now: datetime) -> list[int]:
    with session_scope() as session:
        return runs.due_tenants(session, now)


def test_due_tenants_at_fixed_times_in_the_firms_time_zone(db, firm_zone):
    firm_zone('Africa/Algiers')  # UTC+1 all year
    at_two = make_tenant()  # no settings: nightly at 2 h
    at_eleven = make_tenant()
    _set(at_eleven, nightly_hour=23)
    switched_off = make_tenant()
    _set(switched_off, nightly_enabled=False, nightly_hour=0)
    closed = make_tenant()
    with session_scope() as session:
        session.get(Tenant, closed.tenant_id).is_active = False

    assert _due(datetime(2025, 6, 30, 0, 59, tzinfo=UTC)) == []  # 1:59 in Algiers
    assert _due(datetime(2025, 6, 30, 1, 0, tzinfo=UTC)) == [at_two.tenant_id]  # 2:00
    assert _due(datetime(2025, 6, 30, 22, 5, tzinfo=UTC)) == [at_two.tenant_id, at_eleven.tenant_id]  # catch-up

    _past_run(at_two, datetime(2025, 6, 30, 0, 59, tzinfo=UTC))  # before today's hour: does not count
    assert _due(datetime(2025, 6, 30, 1, 5, tzinfo=UTC)) == [at_two.tenant_id]
    _past_run(at_two, datetime(2025, 6, 30, 1, 0, 30, tzinfo=UTC))  # today's run
    assert _due(datetime(2025, 6, 30, 1, 5, tzinfo=UTC)) == []
    assert _due(datetime(2025, 7, 1, 1, 5, tzinfo=UTC)) == [at_two.tenant_id]  # the next night
    _past_run(at_eleven, datetime(2025, 6, 29, 12, 0, tzinfo=UTC), status='running')
    assert _due(datetime(2025, 7, 1, 22, 5, tzinfo=UTC)) == [at_two.tenant_id]  # at_eleven's is still running


def test_due_tenants_follow_the_firms_time_zone(db, firm_zone):
    tenant = make_tenant().tenant_id  # nightly at 2 h
    firm_zone('Africa/Algiers')  # UTC+1 all year
    assert (_due(datetime(2025, 1, 15, 0, 59, tzinfo=UTC)), _due(datetime(2025, 1, 15, 1, 0, tzinfo=UTC))) == (
        [], [tenant])
    firm_zone('Europe/Paris')
    # summer, UTC+2: 2 h in Paris is midnight UTC
    assert (_due(datetime(2025, 7, 1, 23, 59, tzinfo=UTC)), _due(datetime(2025, 7, 2, 0, 0, tzinfo=UTC))) == (
        [], [tenant])
    # winter, UTC+1: 0:30 UTC is 1:30 in Paris
    assert (_due(datetime(2025, 1, 15, 0, 30, tzinfo=UTC)), _due(datetime(2025, 1, 15, 1, 0, tzinfo=UTC))) == (
        [], [tenant])


def _wait_until_done(tenant_id: int, timeout: float = 60) -> list[AnalyticsRun]:
    deadline = time.monotonic() + timeout
    while True:
        with session_scope() as session:
            rows = list(session.exec(select(AnalyticsRun).where(AnalyticsRun.tenant_id == tenant_id)).all())
        if (rows and not any(row.status in runs.ACTIVE for row in rows)) or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_the_scheduler_queues_and_runs_each_due_tenant_once_a_night(db, firm_zone):
    firm_zone('Africa/Algiers')
    admin = make_tenant()
    _set(admin, nightly_hour=0)  # due from midnight: whenever the test runs, tonight's run is due
    _shop(admin)

    scheduler = runs.NightlyScheduler(interval=0.02)
    scheduler.start()
    try:
        [run] = _wait_until_done(admin.tenant_id)
        time.sleep(0.1)  # a few more ticks: the tenant had its run tonight
    finally:
        scheduler.stop()
    assert (run.trigger, run.status, run.progress) == ('nightly', 'done', 100)
    assert [row.id for row in _wait_until_done(admin.tenant_id)] == [run.id]
