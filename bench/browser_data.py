"""The data of `bench.browser`: the «Bench» tenant of `python -m bench` (bench.runner.prepare: the demo filler
`services.demo.fill_tenant`, so clients with their contacts, cases, notes, interactions, pipeline history, KPI rows,
catalogue and sales), plus what a tenant in use has and the screens show: one analytics run (RFM profiles, popularity,
recommendations: the client page's «Ventes» tab) and one AI analysis of every open case (risk chips on the case list
and board, the dashboard's cases at risk). Both run here, before the server starts, and only once per database.

The tenant's nightly analytics run is switched off, so that the server's scheduler never starts a recomputation in
the middle of a measure. The database is the one given, a cluster kept in a directory (filled by the first run,
reused by the next ones), or a throwaway PostgreSQL 15 cluster.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bench.postgres_cluster import kept_cluster, throwaway_cluster
from bench.runner import BENCH_EMAIL, BENCH_PASSWORD, prepare
from db.engine import configure_engine
from db.models import AiJob, AnalyticsRun, User
from db.session import session_scope
from services.actor import Actor
from services.ai import jobs
from services.analytics import runs
from services.analytics.settings import AnalyticsSettingsInput, get_settings, update_settings
from services.auth import trusted_actor
from services.clients import ClientFilter, list_clients
from services.demo import refresh_statistics
from services.paging import PageRequest
from settings import Settings

Log = Callable[[str], None]


@dataclass(frozen=True)
class BenchData:
    """What the browsers need: where the data is, who signs in, and a real client to open and search for."""

    url: str
    clients: int
    email: str
    password: str
    client_id: int
    client_name: str

    @property
    def search_query(self) -> str:
        return self.client_name


@contextmanager
def database(url: str | None, data_dir: Path | None, pg_port: int | None) -> Iterator[str]:
    """`url` as given, else a PostgreSQL cluster kept in `data_dir`, else a throwaway one."""
    if url:
        yield Settings(database_url=url).database_url  # the app's postgres:// normalisation
    elif data_dir is not None:
        with kept_cluster(data_dir, pg_port) as kept:
            yield kept
    else:
        with throwaway_cluster(pg_port) as throwaway:
            yield throwaway


def bench_actor() -> Actor:
    with session_scope() as session:
        admin = session.exec(select(User).where(User.email == BENCH_EMAIL)).one()
        return trusted_actor(session, user_id=admin.id, tenant_id=admin.tenant_id)


def _timed(what: str, work: Callable[[], object], log: Log) -> bool:
    started = time.perf_counter()
    work()
    log(f'{what} in {time.perf_counter() - started:.1f} s.')
    return True


def _analytics(actor: Actor, log: Log) -> bool:
    """Run the analytics once (if the tenant never had a run done); whether it ran."""
    with session_scope() as session:
        done = session.exec(select(AnalyticsRun.id).where(AnalyticsRun.tenant_id == actor.tenant_id,
                                                          AnalyticsRun.status == 'done')).first()
        run = None if done else runs.queue_run(session, actor.tenant_id, 'manual')
    return run is not None and _timed('Analytics run (RFM profiles, popularity, recommendations)',
                                      lambda: runs.run_analytics(run.id), log)


def _ai_analyses(actor: Actor, log: Log) -> bool:
    """Analyse every open case once (if the tenant never had a job done); whether it ran."""
    with session_scope() as session:
        done = session.exec(select(AiJob.id).where(AiJob.tenant_id == actor.tenant_id,
                                                   AiJob.status == 'done')).first()
        job = None if done else jobs.queue_job(session, actor.tenant_id, actor.user_id)
    return job is not None and _timed(f'AI analysis of the {job.total:,} open cases',
                                      lambda: jobs.run_job(job.id, 'fr', session_scope), log)


def _nightly_off(actor: Actor) -> None:
    with session_scope() as session:
        current = get_settings(session, actor)
        if current.nightly_enabled:
            update_settings(session, actor, AnalyticsSettingsInput(window_months=current.window_months,
                                                                   nightly_enabled=False,
                                                                   nightly_hour=current.nightly_hour))


def _first_client(actor: Actor) -> tuple[int, str]:
    """The first row of the client list as it opens (sorted by name): the client the in-app click opens."""
    with session_scope() as session:
        page = list_clients(session, actor, ClientFilter(sort='name'), PageRequest(limit=1))
    if not page.items:
        raise SystemExit('bench.browser: the bench tenant has no client (use --clients 1 or more)')
    return page.items[0].id, page.items[0].name


def prepare_data(url: str, clients: int, analyses: bool, log: Log = print) -> BenchData:
    """Migrate and fill the bench tenant when missing (bench.runner.prepare), then its analyses when asked."""
    engine: Engine = configure_engine(url)
    _, count = prepare(engine, clients)
    actor = bench_actor()
    _nightly_off(actor)
    if analyses and (_analytics(actor, log) | _ai_analyses(actor, log)):  # both, then fresh planner statistics
        _timed('Planner statistics refreshed after the analyses', lambda: refresh_statistics(engine), log)
    client_id, client_name = _first_client(actor)
    engine.dispose()
    return BenchData(url, count, BENCH_EMAIL, BENCH_PASSWORD, client_id, client_name)
