"""`python -m bench.ai_volume`: «analyse all open cases» at volume, and how responsive the process stays meanwhile.

Target: 10,000 open cases analysed in under two minutes on PostgreSQL, without freezing the UI for other users.
On a throwaway PostgreSQL 15 cluster (bench.postgres_cluster, as `bench.volume`; or CRM_TEST_POSTGRES_URL) or,
with --sqlite, a temporary SQLite file: a tenant is created through the services, then filled in bulk with N open cases
(`bench.ai_fill`).
The job is then queued with `jobs.start_job` and run by `jobs.launch` in a background thread, exactly as the API does,
while the main thread runs an asyncio event loop as the UI server does:

- a ticker `await asyncio.sleep(0.01)` in a loop, recording the lag (actual minus expected wake-up);
- every 0.5 s, the first page of the case list (`services.cases.list_cases`, 50 rows) run in the loop's default
  executor (as `run.io_bound` does), timed from the loop (what a user waiting for the page sees).

The same probes run for a few seconds before the job (idle baseline). The command prints the fill, the job time and
rate, lag p50/p99/max and page p50/max, and checks that the job ended `done` with done == N and that N `case_analysis`
and N `case_risk` rows exist (exit code 1 otherwise), with the garbage collections that ran meanwhile (a full
collection holds the GIL: every thread waits). `--profile FILE` profiles the job's thread with pyinstrument (installed
separately: `pip install pyinstrument`) and writes its text report to FILE; `--gc-freeze` calls `gc.freeze()` before
the job, to see what that would change in the app.
"""

import argparse
import asyncio
import gc
import math
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bench.ai_fill import TENANT, Filled, fill
from bench.postgres_cluster import PG_BIN, available, throwaway_cluster
from db.engine import configure_engine
from db.migrate import upgrade_to_head
from db.models import AiJob, CaseAnalysis, CaseRisk
from db.session import session_scope
from services.actor import Actor
from services.ai import jobs
from services.cases import CaseFilter, list_cases
from services.paging import PageRequest

TARGET_CASES = 10_000
TARGET_SECONDS = 120.0
TARGET_LAG_P99_MS = 100.0
TICK = 0.01
PAGE_EVERY = 0.5
BASELINE_SECONDS = 3.0


# --- the probes -------------------------------------------------------------------------------------------------------

@dataclass
class Probes:
    lags: list[float] = field(default_factory=list)  # seconds late, each tick
    pages: list[float] = field(default_factory=list)  # seconds, each first page of the case list
    page_errors: list[str] = field(default_factory=list)  # reads that failed (e.g. «database is locked»)
    progress: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, cases done)
    stopped_at: float = 0.0  # perf_counter when the ticker saw `running()` turn false (within one tick)


def _first_page(actor: Actor) -> int:
    with session_scope() as session:
        page = list_cases(session, actor, CaseFilter(), PageRequest(limit=50))
    if len(page.items) != min(50, page.total):
        raise RuntimeError('ai_volume: the case list came back short')
    return page.total


def _done(job_id: int) -> int:
    with session_scope() as session:
        return session.exec(select(AiJob.done).where(AiJob.id == job_id)).one()


async def _probe(actor: Actor, running: Callable[[], bool], job_id: int | None = None) -> Probes:
    """Tick and page probes on the running event loop until `running()` is false."""
    loop = asyncio.get_running_loop()
    probes = Probes()
    started = time.perf_counter()

    async def ticks() -> None:
        while running():
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            probes.lags.append(max(0.0, time.perf_counter() - before - TICK))
        probes.stopped_at = time.perf_counter()

    async def call(what: str, function: Callable, *args):
        """`function(*args)` in the default executor (as run.io_bound); None when the database refused it."""
        before = time.perf_counter()
        try:
            return await loop.run_in_executor(None, function, *args)
        except OperationalError as error:  # what the user would get instead of the page
            probes.page_errors.append(f'{what}: {" ".join(str(error.orig or error).split())[:60]} after '
                                      f'{time.perf_counter() - before:.1f} s')
            return None

    async def pages() -> None:
        while running():
            before = time.perf_counter()
            if await call('case list', _first_page, actor) is not None:
                probes.pages.append(time.perf_counter() - before)
            if job_id is not None:
                done = await call('job progress', _done, job_id)  # the progress bar's poll
                if done is not None:
                    probes.progress.append((time.perf_counter() - started, done))
                    if len(probes.progress) % 20 == 0:
                        print(f'ai_volume: {done:,} analysed after {time.perf_counter() - started:.1f} s',
                              file=sys.stderr, flush=True)
            await asyncio.sleep(PAGE_EVERY)

    await asyncio.gather(ticks(), pages())
    return probes


def baseline(actor: Actor) -> Probes:
    deadline = time.perf_counter() + BASELINE_SECONDS
    return asyncio.run(_probe(actor, lambda: time.perf_counter() < deadline))


def _profiled(target: Callable[..., None], path: str) -> Callable[..., None]:
    from pyinstrument import Profiler  # optional: pip install pyinstrument

    def run(*args) -> None:
        profiler = Profiler(interval=0.001, async_mode='disabled')
        profiler.start()
        try:
            target(*args)
        finally:
            profiler.stop()
            with open(path, 'w', encoding='utf-8') as output:
                output.write(profiler.output_text(unicode=True, color=False, show_all=False))
    return run


class GcPauses:
    """Garbage collections while installed (`gc.callbacks`): a collection holds the GIL, every thread waits."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []  # (generation, seconds)
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == 'start':
            self._started = time.perf_counter()
        else:
            self.pauses.append((info['generation'], time.perf_counter() - self._started))

    def __enter__(self) -> 'GcPauses':
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> str:
        if not self.pauses:
            return 'none'
        by_generation = [[seconds for generation, seconds in self.pauses if generation == g] for g in range(3)]
        return ', '.join(f'gen{g} ×{len(times)} (total {_ms(sum(times))} ms, max {_ms(max(times))} ms)'
                         for g, times in enumerate(by_generation) if times)


@dataclass
class JobRun:
    job_id: int
    seconds: float
    probes: Probes
    gc: GcPauses


def run_bulk_job(actor: Actor, language: str, profile: str | None) -> JobRun:
    """Queue the job as the API does, run it in its background thread, probe the main thread until it ends."""
    with session_scope() as session:
        job, new = jobs.start_job(session, actor)
    if not new:
        raise RuntimeError('ai_volume: a job was already running')
    with GcPauses() as collections:
        started = time.perf_counter()
        if profile:
            thread = threading.Thread(target=_profiled(jobs.run_job, profile),
                                      args=(job.id, language, session_scope), name=f'ai-job-{job.id}', daemon=True)
            thread.start()
        else:
            thread = jobs.launch(job.id, language)
        probes = asyncio.run(_probe(actor, thread.is_alive, job.id))
        thread.join()
    return JobRun(job.id, probes.stopped_at - started, probes, collections)


# --- the report -------------------------------------------------------------------------------------------------------

def _quantile(samples: Sequence[float], fraction: float) -> float:
    if not samples:
        return math.nan
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method='inclusive')[round(fraction * 100) - 1]


def _ms(seconds: float) -> str:
    return f'{seconds * 1000:.1f}'


def describe(engine: Engine) -> str:
    with engine.connect() as connection:
        version = '.'.join(str(part) for part in connection.dialect.server_version_info or ())
    return f'{engine.dialect.name} {version}'


def verify(actor: Actor, job_id: int, expected: int) -> tuple[AiJob, int, int, list[str]]:
    with session_scope() as session:
        job = session.get(AiJob, job_id)
        analyses = session.exec(select(func.count()).select_from(CaseAnalysis)
                                .where(CaseAnalysis.tenant_id == actor.tenant_id, CaseAnalysis.job_id == job_id)).one()
        risks = session.exec(select(func.count()).select_from(CaseRisk)
                             .where(CaseRisk.tenant_id == actor.tenant_id)).one()
    problems = []
    if job.status != 'done':
        problems.append(f'job ended {job.status!r} ({job.error or "no error"})')
    if job.done != expected or job.total != expected or job.failed:
        problems.append(f'job counted done={job.done} failed={job.failed} of total={job.total}, expected {expected}')
    if analyses != expected:
        problems.append(f'{analyses} case_analysis rows, expected {expected}')
    if risks != expected:
        problems.append(f'{risks} case_risk rows, expected {expected}')
    return job, analyses, risks, problems


def report(engine: Engine, filled: Filled, idle: Probes, run: JobRun, verified: tuple) -> str:
    job, analyses, risks, problems = verified
    rate = filled.cases / run.seconds if run.seconds else math.nan
    job_seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else math.nan
    lines = [
        f'database: {describe(engine)} · tenant «{TENANT}»: {filled.cases:,} open cases on {filled.clients:,} clients, '
        f'{filled.notes:,} notes, {filled.interactions:,} interactions (filled in {filled.seconds:.1f} s)',
        f'job {run.job_id}: {job.status} · {job.done:,}/{job.total:,} analysed in {run.seconds:.1f} s '
        f'(job started→finished {job_seconds:.1f} s) · {rate:.0f} cases/s · {analyses:,} case_analysis rows · '
        f'{risks:,} case_risk rows',
        '',
        f'{"main thread":<24}{"idle":>10}{"during job":>12}',
        f'{"event-loop ticks":<24}{len(idle.lags):>10}{len(run.probes.lags):>12}',
    ]
    for label, fraction in (('lag p50 (ms)', 0.50), ('lag p99 (ms)', 0.99)):
        lines.append(f'{label:<24}{_ms(_quantile(idle.lags, fraction)):>10}'
                     f'{_ms(_quantile(run.probes.lags, fraction)):>12}')
    lines += [
        f'{"lag max (ms)":<24}{_ms(max(idle.lags, default=math.nan)):>10}'
        f'{_ms(max(run.probes.lags, default=math.nan)):>12}',
        f'{"case list pages":<24}{len(idle.pages):>10}{len(run.probes.pages):>12}',
        f'{"page p50 (ms)":<24}{_ms(_quantile(idle.pages, 0.5)):>10}{_ms(_quantile(run.probes.pages, 0.5)):>12}',
        f'{"page max (ms)":<24}{_ms(max(idle.pages, default=math.nan)):>10}'
        f'{_ms(max(run.probes.pages, default=math.nan)):>12}',
        f'garbage collections during the job: {run.gc.summary()}; {len(gc.get_objects()):,} objects tracked, '
        f'{gc.get_freeze_count():,} frozen',
        f'{"reads failed":<24}{len(idle.page_errors):>10}{len(run.probes.page_errors):>12}',
        *(f'  failed: {error}' for error in idle.page_errors + run.probes.page_errors),
        '',
        f'target {TARGET_CASES:,} cases in < {TARGET_SECONDS:.0f} s: '
        + (f'{run.seconds:.1f} s' if filled.cases == TARGET_CASES
           else f'{TARGET_CASES / rate:.1f} s at this rate (measured on {filled.cases:,})')
        + (' (OK)' if TARGET_CASES / rate < TARGET_SECONDS else ' (MISSED)'),
        f'target lag p99 < {TARGET_LAG_P99_MS:.0f} ms: {_ms(_quantile(run.probes.lags, 0.99))} ms'
        + (' (OK)' if _quantile(run.probes.lags, 0.99) * 1000 < TARGET_LAG_P99_MS else ' (MISSED)'),
        'checks: ' + ('job done, done == N, N case_analysis and N case_risk rows' if not problems
                      else 'FAILED: ' + '; '.join(problems)),
    ]
    return '\n'.join(lines)


@contextmanager
def database(sqlite: bool) -> Iterator[str]:
    if sqlite:
        with tempfile.TemporaryDirectory(prefix='crm-ai-volume-') as directory:
            yield f'sqlite:///{directory}/ai-volume.db'
    else:
        with throwaway_cluster() as url:
            yield url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m bench.ai_volume', description=__doc__.splitlines()[0])
    parser.add_argument('--cases', type=int, default=TARGET_CASES,
                        help=f'open cases to fill and analyse (default {TARGET_CASES:,})')
    parser.add_argument('--sqlite', action='store_true', help='a temporary SQLite file instead of PostgreSQL')
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument('--language', default='fr', choices=('fr', 'en'))
    parser.add_argument('--profile', metavar='FILE', help='profile the job thread with pyinstrument into FILE')
    parser.add_argument('--gc-freeze', action='store_true',
                        help='gc.freeze() before the job (as an app could after its start): full collections then '
                             'skip the objects already there')
    args = parser.parse_args(argv)
    if args.cases < 1:
        parser.error('--cases must be at least 1')
    if not args.sqlite and not available():
        print(f'bench.ai_volume: no PostgreSQL server binaries in {PG_BIN} (install postgresql-15, set '
              'CRM_TEST_POSTGRES_URL to a disposable database, or use --sqlite)', file=sys.stderr)
        return 1
    with database(args.sqlite) as url:
        engine = configure_engine(url)
        try:
            upgrade_to_head(engine)
            print(f'ai_volume: filling {args.cases:,} open cases on {describe(engine)}…', file=sys.stderr, flush=True)
            actor, filled = fill(engine, args.cases, args.seed)
            print(f'ai_volume: filled in {filled.seconds:.1f} s; idle probes for {BASELINE_SECONDS:.0f} s…',
                  file=sys.stderr, flush=True)
            if args.gc_freeze:
                gc.collect()
                gc.freeze()
            idle = baseline(actor)
            print('ai_volume: running the job…', file=sys.stderr, flush=True)
            run = run_bulk_job(actor, args.language, args.profile)
            verified = verify(actor, run.job_id, filled.cases)
            print(report(engine, filled, idle, run, verified), flush=True)
            if args.profile:
                print(f'profile of the job thread: {args.profile}')
        finally:
            engine.dispose()
    return 1 if verified[3] else 0


if __name__ == '__main__':
    sys.exit(main())
