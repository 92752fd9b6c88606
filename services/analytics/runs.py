"""Analytics runs: RFM profiles, then product popularity, then recommendations, as a background job whose step and
progress are kept in `analytics_run` so that any page (or instance) can follow it; and the nightly scheduler.

One run at a time per tenant. Each step is one unit of work and the run's progress is written between them (in
units of their own), so a step never holds a transaction open while another is waiting for it to report. A failing
step ends the run as `failed` with its error; a run left running by a stopped server is marked `interrupted` at the
next start (`mark_interrupted`).

The nightly scheduler checks every minute, in this process, which tenants are due (`due_tenants`): active tenants
with the nightly run on whose hour (in the firm's time zone, CRM_TIMEZONE) has come today, and that have had no run
since then and have none running. A server that was down at that hour catches up when it starts.
"""

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from db.models import AnalyticsRun, AnalyticsSettings, Tenant, utcnow
from db.session import session_scope
from services.actor import Actor, require_write
from services.analytics.popularity import compute_popularity
from services.analytics.rfm import check_window, compute_profiles
from services.analytics.settings import settings_row
from services.clock import today as local_today
from services.errors import NotFound
from settings import get_settings

log = logging.getLogger(__name__)

ACTIVE = ('queued', 'running')
TRIGGERS = ('manual', 'nightly', 'api')
SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class RunRead:
    id: int
    trigger: str
    status: str
    step: str | None
    progress: int  # percent
    window_months: int
    summary: dict[str, Any]
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def _read(run: AnalyticsRun) -> RunRead:
    return RunRead(run.id, run.trigger, run.status, run.step, run.progress, run.window_months, dict(run.summary or {}),
                   run.error, run.created_at, run.started_at, run.finished_at)


def _active_run(session: Session, tenant_id: int) -> AnalyticsRun | None:
    return session.exec(select(AnalyticsRun).where(AnalyticsRun.tenant_id == tenant_id,
                                                   col(AnalyticsRun.status).in_(ACTIVE))
                        .order_by(col(AnalyticsRun.id).desc())).first()


def start_run(session: Session, actor: Actor, *, window_months: int | None = None,
              trigger: str = 'manual') -> tuple[RunRead, bool]:
    """Queue a recomputation (any user who may write); one at a time per tenant. Returns the run and whether it is
    new (False: the one already queued or running, which the caller must not launch again)."""
    require_write(actor)
    if window_months is not None:
        check_window(window_months)
    running = _active_run(session, actor.tenant_id)
    if running is not None:
        return _read(running), False
    return queue_run(session, actor.tenant_id, trigger, window_months=window_months,
                     user_id=actor.user_id or None), True


def queue_run(session: Session, tenant_id: int, trigger: str = 'nightly', *, window_months: int | None = None,
              user_id: int | None = None) -> RunRead:
    """A new run of the tenant (the caller checked who may), over its settings' window unless one is given."""
    window = check_window(window_months) if window_months is not None \
        else settings_row(session, tenant_id).rfm_window_months
    run = AnalyticsRun(tenant_id=tenant_id, trigger=trigger if trigger in TRIGGERS else 'manual',
                       window_months=window, created_by=user_id)
    session.add(run)
    session.flush()
    return _read(run)


def latest_run(session: Session, actor: Actor) -> RunRead | None:
    run = session.exec(select(AnalyticsRun).where(AnalyticsRun.tenant_id == actor.tenant_id)
                       .order_by(col(AnalyticsRun.id).desc())).first()
    return _read(run) if run else None


def get_run(session: Session, actor: Actor, run_id: int) -> RunRead:
    run = session.get(AnalyticsRun, run_id)
    if run is None or run.tenant_id != actor.tenant_id:
        raise NotFound('error.not_found')
    return _read(run)


def mark_interrupted(session: Session) -> int:
    """At start: runs left queued or running by a stopped server will never finish."""
    result = session.execute(update(AnalyticsRun).where(col(AnalyticsRun.status).in_(ACTIVE))
                             .values(status='interrupted', finished_at=utcnow()))
    return result.rowcount or 0


# --- running -----------------------------------------------------------------------------------------------------

@dataclass
class _Context:
    tenant_id: int
    window_months: int
    run_id: int
    today: date = field(default_factory=local_today)


def _profiles(session: Session, context: _Context) -> dict[str, Any]:
    summary = compute_profiles(session, context.tenant_id, window_months=context.window_months,
                               today=context.today, run_id=context.run_id)
    return {'clients': summary.clients, 'segments': summary.segments, 'moves': summary.moves,
            'window_months': summary.window_months, 'window_start': summary.start.isoformat(),
            'window_end': summary.end.isoformat()}


def _popularity(session: Session, context: _Context) -> dict[str, Any]:
    return {'products': compute_popularity(session, context.tenant_id, today=context.today)}


def _recommendations(session: Session, context: _Context) -> dict[str, Any]:
    from services.analytics.recommendations import generate_recommendations  # reads the profiles just written

    counts = generate_recommendations(session, context.tenant_id, today=context.today, run_id=context.run_id)
    return {'recommendations': dict(counts)}


# (step, its function, progress when it starts)
STEPS: tuple[tuple[str, Callable[[Session, _Context], dict[str, Any]], int], ...] = (
    ('profiles', _profiles, 5), ('popularity', _popularity, 45), ('recommendations', _recommendations, 60))


def _report(scope: SessionFactory, run_id: int, **values: Any) -> None:
    with scope() as session:
        session.execute(update(AnalyticsRun).where(AnalyticsRun.id == run_id).values(**values))


def run_analytics(run_id: int, scope: SessionFactory = session_scope) -> None:
    """Run a queued run's steps, each in a unit of work of its own, reporting the step and progress in between."""
    try:
        with scope() as session:
            run = session.get(AnalyticsRun, run_id)
            if run is None or run.status != 'queued':
                return
            context = _Context(run.tenant_id, run.window_months, run_id)
            run.status, run.started_at = 'running', utcnow()
            session.add(run)
        summary: dict[str, Any] = {'durations_ms': {}}
        for step, compute, progress in STEPS:
            _report(scope, run_id, step=step, progress=progress)
            started = time.perf_counter()
            with scope() as session:
                summary.update(compute(session, context))
            summary['durations_ms'][step] = round((time.perf_counter() - started) * 1000)
            time.sleep(0)  # let the event loop's thread take the GIL between steps
        summary['durations_ms']['total'] = sum(summary['durations_ms'].values())
        _report(scope, run_id, status='done', progress=100, summary=summary, finished_at=utcnow())
    except Exception as error:  # a run must end in a state the user can see
        log.exception('Analytics run %s failed', run_id)
        _report(scope, run_id, status='failed', error=str(error)[:500] or type(error).__name__, finished_at=utcnow())


def launch(run_id: int, scope: SessionFactory = session_scope) -> threading.Thread:
    """Run it in a background thread of this process."""
    thread = threading.Thread(target=run_analytics, args=(run_id, scope), name=f'analytics-run-{run_id}', daemon=True)
    thread.start()
    return thread


# --- nightly -------------------------------------------------------------------------------------------------------

DEFAULT_HOUR = AnalyticsSettings.model_fields['nightly_hour'].default


def due_tenants(session: Session, now: datetime) -> list[int]:
    """Tenants whose nightly run is due at `now` (an aware datetime): active, nightly on, their hour come today in
    the firm's time zone, no run created since that hour and none queued or running."""
    zone = ZoneInfo(get_settings().timezone)
    local = now.astimezone(zone)
    rows = session.exec(select(Tenant.id, AnalyticsSettings.nightly_enabled, AnalyticsSettings.nightly_hour)
                        .outerjoin(AnalyticsSettings, col(AnalyticsSettings.tenant_id) == Tenant.id)
                        .where(col(Tenant.is_active).is_(True)).order_by(col(Tenant.id))).all()
    slots = {tenant_id: datetime.combine(local.date(), clock_time(DEFAULT_HOUR if hour is None else hour), zone)
             for tenant_id, enabled, hour in rows if enabled is not False}
    slots = {tenant_id: slot for tenant_id, slot in slots.items() if slot <= now}
    if not slots:
        return []
    runs = session.exec(select(AnalyticsRun.tenant_id, func.max(AnalyticsRun.created_at),
                               func.count().filter(col(AnalyticsRun.status).in_(ACTIVE)))
                        .where(col(AnalyticsRun.tenant_id).in_(slots)).group_by(AnalyticsRun.tenant_id)).all()
    busy = {tenant_id for tenant_id, latest, active in runs
            if active or _aware(latest) >= slots[tenant_id]}
    return [tenant_id for tenant_id in slots if tenant_id not in busy]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_due(scope: SessionFactory = session_scope, now: datetime | None = None) -> list[int]:
    """Queue the due tenants' nightly runs and launch them; returns the runs' ids."""
    with scope() as session:
        ids = [queue_run(session, tenant_id, 'nightly').id for tenant_id in due_tenants(session, now or utcnow())]
    for run_id in ids:
        launch(run_id, scope)
    return ids


class NightlyScheduler:
    """A daemon thread that calls `run_due` every `interval` seconds (first after one interval) until stopped."""

    def __init__(self, interval: float = 60.0, scope: SessionFactory = session_scope,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.interval, self.scope, self.clock = interval, scope, clock
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name='analytics-nightly', daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                run_due(self.scope, self.clock())
            except Exception:  # a database hiccup must not stop the nights to come
                log.exception('Nightly analytics check failed')


_scheduler: NightlyScheduler | None = None


def start_scheduler(interval: float = 60.0) -> NightlyScheduler:
    """Start this process's nightly scheduler (once: a second call returns the running one)."""
    global _scheduler
    if _scheduler is None:
        _scheduler = NightlyScheduler(interval)
        _scheduler.start()
    return _scheduler


def stop_scheduler() -> None:
    global _scheduler
    if _scheduler is not None:
        _scheduler.stop()
        _scheduler = None
