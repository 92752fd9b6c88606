"""«Analyse all open cases»: a background job, in batches, with its progress in the database so that a user can
leave the page and come back (and another instance can show it).

The bulk job always uses the built-in analyzer: asking an LLM about thousands of cases is a matter of hours and
costs; a single case's analysis uses the tenant's provider. A job that was running when the server stopped is
marked interrupted at the next start."""

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from db.models import AiJob, Case, CaseAnalysis, utcnow
from db.session import session_scope
from services.actor import Actor, require_write
from services.ai.analyses import Outcome, analysis_row, upsert_risks
from services.ai.analyzer import find
from services.ai.facts import CaseFacts, load_facts
from services.ai.knowledge_store import tenant_index
from services.ai.retrieval import LegalIndex
from services.cases import OPEN_STATUSES
from services.clock import today
from services.errors import Forbidden, NotFound

log = logging.getLogger(__name__)

BATCH_SIZE = 250
ACTIVE = ('queued', 'running')
SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class JobRead:
    id: int
    status: str
    total: int
    done: int
    failed: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def progress(self) -> float:
        return 1.0 if not self.total else min(1.0, (self.done + self.failed) / self.total)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def _read(job: AiJob) -> JobRead:
    return JobRead(job.id, job.status, job.total, job.done, job.failed, job.error, job.created_at, job.started_at,
                   job.finished_at)


def _open_cases(tenant_id: int):
    return select(Case.id).where(Case.tenant_id == tenant_id, col(Case.status).in_(OPEN_STATUSES))


def start_job(session: Session, actor: Actor) -> tuple[JobRead, bool]:
    """Queue an «analyse all open cases» job (managers and admins); one at a time per tenant. Returns the job and
    whether it is new (False: the one already running)."""
    require_write(actor)
    if actor.role not in ('admin', 'manager'):
        raise Forbidden('error.manager_only')
    running = session.exec(select(AiJob).where(AiJob.tenant_id == actor.tenant_id, col(AiJob.status).in_(ACTIVE))
                           .order_by(col(AiJob.id).desc())).first()
    if running is not None:
        return _read(running), False
    return queue_job(session, actor.tenant_id, actor.user_id or None), True


def queue_job(session: Session, tenant_id: int, user_id: int | None = None) -> JobRead:
    """A new job over the tenant's open cases (the caller checked who may; the demo's first start does too)."""
    total = session.exec(select(func.count()).select_from(_open_cases(tenant_id).subquery())).one()
    job = AiJob(tenant_id=tenant_id, total=total, created_by=user_id)
    session.add(job)
    session.flush()
    return _read(job)


def latest_job(session: Session, actor: Actor) -> JobRead | None:
    job = session.exec(select(AiJob).where(AiJob.tenant_id == actor.tenant_id)
                       .order_by(col(AiJob.id).desc())).first()
    return _read(job) if job else None


def cancel_job(session: Session, actor: Actor, job_id: int) -> JobRead:
    """Stop the tenant's job after its batch: whoever may start one (managers and admins)."""
    job = session.get(AiJob, job_id)
    if job is None or job.tenant_id != actor.tenant_id:
        raise NotFound('error.not_found')
    require_write(actor)
    if actor.role not in ('admin', 'manager'):
        raise Forbidden('error.manager_only')
    if job.status in ACTIVE:
        job.status, job.finished_at = 'cancelled', utcnow()
        session.add(job)
        session.flush()
    return _read(job)


def mark_interrupted(session: Session) -> int:
    """At start: jobs left running by a stopped server will never finish."""
    result = session.execute(update(AiJob).where(col(AiJob.status).in_(ACTIVE))
                             .values(status='interrupted', finished_at=utcnow()))
    return result.rowcount or 0


def run_job(job_id: int, language: str, scope: SessionFactory) -> None:
    """Analyse the tenant's open cases in batches (each read in one unit of work, analysed outside any, stored in
    another); stop when the job is cancelled."""
    try:
        with scope() as session:
            job = session.get(AiJob, job_id)
            if job is None or job.status != 'queued':  # cancelled before it started
                return
            tenant_id, job.status, job.started_at = job.tenant_id, 'running', utcnow()
            session.add(job)
        last_id = 0
        while True:
            with scope() as session:
                if session.exec(select(AiJob.status).where(AiJob.id == job_id)).one() != 'running':
                    return
                batch = _load_batch(session, tenant_id, last_id)
            if batch is None:
                break
            rows = _analyze_batch(batch, job_id, language)  # no transaction open: see _Batch
            with scope() as session:
                _store_batch(session, job_id, rows)
            last_id = batch.last_id
            time.sleep(0)  # let the event loop's thread take the GIL between batches
        with scope() as session:
            session.execute(update(AiJob).where(AiJob.id == job_id, AiJob.status == 'running')
                            .values(status='done', finished_at=utcnow()))
    except Exception as error:  # a job must end in a state the user can see
        log.exception('AI job %s failed', job_id)
        with scope() as session:
            session.execute(update(AiJob).where(AiJob.id == job_id)
                            .values(status='failed', error=str(error)[:500], finished_at=utcnow()))


@dataclass(frozen=True)
class _Batch:
    """A batch of open cases read in one short unit of work, then analysed with no transaction open and stored in
    another: on SQLite every unit of work holds the database's write lock from its start, and a batch's analysis
    (most of its time) would otherwise lock every other user's page out for the whole job."""

    last_id: int
    facts: list[CaseFacts]
    index: LegalIndex
    day: date


def _load_batch(session: Session, tenant_id: int, after_id: int) -> _Batch | None:
    ids = list(session.exec(_open_cases(tenant_id).where(Case.id > after_id).order_by(Case.id)
                            .limit(BATCH_SIZE)).all())
    if not ids:
        return None
    return _Batch(ids[-1], list(load_facts(session, tenant_id, ids).values()), tenant_index(session, tenant_id),
                  today())


def _analyze_batch(batch: _Batch, job_id: int, language: str) -> list[CaseAnalysis]:
    rows = []
    for facts in batch.facts:
        started = time.perf_counter()
        findings = find(facts, batch.index, batch.day)
        rows.append(analysis_row(facts, Outcome('builtin', findings=findings), language, None,
                                 round((time.perf_counter() - started) * 1000), job_id))
    return rows


def _store_batch(session: Session, job_id: int, rows: list[CaseAnalysis]) -> None:
    if rows:  # a case deleted since the batch was read gets no analysis
        existing = set(session.exec(select(Case.id).where(col(Case.id).in_([row.case_id for row in rows]))).all())
        rows = [row for row in rows if row.case_id in existing]
    session.add_all(rows)
    session.flush()
    upsert_risks(session, rows)
    session.execute(update(AiJob).where(AiJob.id == job_id).values(done=AiJob.done + len(rows)))


def launch(job_id: int, language: str, scope: SessionFactory = session_scope) -> threading.Thread:
    """Run the job in a background thread of this process."""
    thread = threading.Thread(target=run_job, args=(job_id, language, scope), name=f'ai-job-{job_id}', daemon=True)
    thread.start()
    return thread
