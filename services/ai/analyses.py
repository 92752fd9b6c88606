"""Analyses of a case: prepared from its facts, asked of the tenant's provider, stored one row per run.

Preparing and storing are two short units of work; the LLM, when there is one, is asked between them with no
transaction open (on SQLite a unit of work holds the write lock), in the outgoing pool (services/outgoing.py): a
slow model holds none of the threads that pages and the API share, and when the pool is full the caller is told
so at once (`Busy`)."""

import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from db.models import Case, CaseAnalysis, CaseRisk, CaseStatus, Note, NoteKind, utcnow
from db.session import session_scope
from services import outgoing
from services.actor import Actor, require_write
from services.ai.analyzer import find
from services.ai.facts import CaseFacts, load_facts
from services.ai.findings import Findings
from services.ai.knowledge_store import tenant_index
from services.ai.known_names import known_names
from services.ai.llm import LlmConfig, LlmError, LlmRequest, ask_analysis, outgoing_messages
from services.ai.provider import llm_config
from services.ai.schema import AnalysisResult, LegalReference, NextStep, Risk
from services.cases import OPEN_STATUSES, case_in_tenant
from services.clock import local_date, today
from services.errors import Conflict, Invalid, NotFound
from services.notes import NoteInput, NoteRead, add_note, get_note
from services.users import display_names

HISTORY_LIMIT = 20
LLM_NOTES_LIMIT = 40
LLM_CANDIDATES = 10
AT_RISK_LEVELS = ('high', 'critical')


class AnalysisRead(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    created_at: datetime
    created_by: str | None
    provider: str
    model: str | None
    fallback_reason: str | None
    language: str = Field(description='The language of its texts: the reader\'s for the built-in analyzer, the '
                                      'one it was asked in for a model\'s answer.')
    inputs_at: datetime
    duration_ms: int
    summary: str
    risk: Risk
    recommendations: list[str]
    next_steps: list[NextStep]
    legal_references: list[LegalReference]
    previous_score: int | None = None
    previous_level: str | None = None

    @property
    def risk_change(self) -> int | None:
        return None if self.previous_score is None else self.risk.score - self.previous_score


@dataclass(frozen=True)
class Prepared:
    facts: CaseFacts
    findings: Findings  # the built-in analyzer's, in no language
    language: str
    today: date
    config: LlmConfig | None
    pseudonymize: bool
    candidates: list[LegalReference]
    known_names: frozenset[str] = frozenset()

    @property
    def draft(self) -> AnalysisResult:
        """The built-in analysis written out in the language the model is asked to write in."""
        return self.findings.render(self.language)


@dataclass(frozen=True)
class Outcome:
    """What is stored of a run: the built-in analyzer's findings (read in any language), or a model's answer (text
    in the language it was asked in)."""

    provider: str
    findings: Findings | None = None
    result: AnalysisResult | None = None
    model: str | None = None
    fallback_reason: str | None = None

    @property
    def risk(self) -> tuple[str, int]:
        if self.findings is not None:
            return self.findings.level, self.findings.score
        assert self.result is not None
        return self.result.risk.level, self.result.risk.score

    def document(self) -> dict:
        """The `result` column: `{'findings': …}` or the answer's `AnalysisResult`."""
        if self.findings is not None:
            return {'findings': self.findings.model_dump(mode='json')}
        assert self.result is not None
        return self.result.model_dump(mode='json')


def written(document: dict, language: str, written_in: str) -> tuple[AnalysisResult, str]:
    """A stored analysis as text, and the language of that text: findings are written out in `language`; text (a
    model's answer, or a run from before findings were stored) stays in the language it was written in."""
    if 'findings' in document:
        return Findings.model_validate(document['findings']).render(language), language
    return AnalysisResult.model_validate(document), written_in


def prepare(session: Session, actor: Actor, case_id: int, language: str) -> Prepared:
    require_write(actor)
    case = case_in_tenant(session, actor, case_id)
    config, pseudonymize = llm_config(session, actor.tenant_id)
    facts = load_facts(session, actor.tenant_id, [case.id], with_sensitive=config is not None)[case.id]
    index = tenant_index(session, actor.tenant_id)
    day = today()
    candidates = index.search(facts.text(), facts.case_type.value, limit=LLM_CANDIDATES) if config else None
    findings = find(facts, index, day, candidates)
    names = known_names(session, actor.tenant_id) if config is not None and pseudonymize else frozenset()
    return Prepared(facts, findings, language, day, config, pseudonymize, candidates or [], names)


def ask(prepared: Prepared) -> Outcome:
    """The LLM's analysis when the tenant has one and it answers well; otherwise the built-in one, saying why."""
    if prepared.config is None:
        return Outcome('builtin', findings=prepared.findings)
    try:
        result = ask_analysis(prepared.config, _llm_request(prepared), **_privacy(prepared))
    except LlmError as error:
        return Outcome('builtin', findings=prepared.findings, model=prepared.config.model,
                       fallback_reason=error.reason)
    return Outcome('llm', result=result, model=prepared.config.model)


def _llm_request(prepared: Prepared) -> LlmRequest:
    facts = prepared.facts
    case = {'reference': facts.reference, 'title': facts.title, 'type': facts.case_type.value,
            'status': facts.status.value, 'priority': facts.priority.value, 'client': facts.client_name,
            'opened_on': local_date(facts.opened_at).isoformat(),
            'status_since': local_date(facts.status_since).isoformat(),
            'due_date': facts.due_date.isoformat() if facts.due_date else None, 'notes': len(facts.notes),
            'documents': facts.documents, 'interactions': facts.interactions, 'description': facts.description}
    notes = [{'date': local_date(note.created_at).isoformat(), 'kind': note.kind.value, 'text': note.body}
             for note in facts.notes[-LLM_NOTES_LIMIT:]]
    return LlmRequest(language='en' if prepared.language == 'en' else 'fr', today=prepared.today, case=case,
                      notes=notes, candidates=prepared.candidates, draft=prepared.draft)


def _privacy(prepared: Prepared) -> dict[str, Any]:
    """How the request is pseudonymised: one place, for the call and for its preview."""
    return {'pseudonymize': prepared.pseudonymize, 'sensitive': prepared.facts.sensitive,
            'known_names': prepared.known_names}


class ChatMessage(BaseModel):
    role: Literal['system', 'user']
    content: str


class LlmPreview(BaseModel):
    """What an analysis of the case would send to the tenant's model now: the exact messages, sent nowhere."""

    model_config = ConfigDict(frozen=True)

    model: str
    destination: str
    pseudonymize: bool
    messages: list[ChatMessage]
    placeholders: list[str]


_PLACEHOLDERS = re.compile(r'\[(?:PERSONNE|EMAIL|TEL)_\d+\]')


def preview_request(session: Session, actor: Actor, case_id: int, language: str) -> LlmPreview:
    """Exactly what `run_analysis` would send for this case (same preparation, same messages), without sending it;
    `placeholders` lists those in the case's data (the instructions name a few as examples)."""
    prepared = prepare(session, actor, case_id, language)
    if prepared.config is None:
        raise Conflict('error.ai_no_llm')
    messages, _ = outgoing_messages(_llm_request(prepared), **_privacy(prepared))
    found = dict.fromkeys(_PLACEHOLDERS.findall(messages[-1]['content'])) if prepared.pseudonymize else {}
    return LlmPreview(model=prepared.config.model, destination=_destination(prepared.config.base_url),
                      pseudonymize=prepared.pseudonymize, messages=[ChatMessage(**message) for message in messages],
                      placeholders=sorted(found, key=_placeholder_order))


def _placeholder_order(placeholder: str) -> tuple[int, int]:
    kind, number = placeholder.strip('[]').rsplit('_', 1)
    return ('PERSONNE', 'EMAIL', 'TEL').index(kind), int(number)


def _destination(base_url: str) -> str:
    """`https://user:pw@llm.example:8443/v1` → `llm.example:8443` (never the credentials of a URL)."""
    parts = urlsplit(base_url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return f'{parts.hostname or ""}:{port}' if port else parts.hostname or ''


def external_model(session: Session, actor: Actor) -> str | None:
    """The model the tenant's analyses go to, or None when they stay on the server (the built-in analyzer)."""
    config, _ = llm_config(session, actor.tenant_id)
    return config.model if config else None


def store(session: Session, actor: Actor, prepared: Prepared, outcome: Outcome, duration_ms: int) -> AnalysisRead:
    case_in_tenant(session, actor, prepared.facts.case_id)  # it may have been deleted meanwhile
    row = analysis_row(prepared.facts, outcome, prepared.language, actor.user_id or None, duration_ms)
    session.add(row)
    session.flush()
    upsert_risks(session, [row])
    return list_analyses(session, actor, prepared.facts.case_id, limit=1, language=prepared.language)[0]


def analysis_row(facts: CaseFacts, outcome: Outcome, language: str, user_id: int | None, duration_ms: int,
                 job_id: int | None = None) -> CaseAnalysis:
    level, score = outcome.risk
    return CaseAnalysis(tenant_id=facts.tenant_id, case_id=facts.case_id, created_at=utcnow(), created_by=user_id,
                        provider=outcome.provider, model=outcome.model, fallback_reason=outcome.fallback_reason,
                        language=language, inputs_at=facts.inputs_at, duration_ms=duration_ms,
                        risk_level=level, risk_score=score, result=outcome.document(), job_id=job_id)


def upsert_risks(session: Session, rows: list[CaseAnalysis]) -> None:
    """Each analysed case's latest risk, in one statement whatever the number of cases."""
    if not rows:
        return
    dialect_insert = postgres_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    statement = dialect_insert(CaseRisk).values([
        {'tenant_id': row.tenant_id, 'case_id': row.case_id, 'analysis_id': row.id, 'level': row.risk_level,
         'score': row.risk_score, 'analyzed_at': row.created_at} for row in rows])
    session.execute(statement.on_conflict_do_update(index_elements=['case_id'], set_={
        'analysis_id': statement.excluded.analysis_id, 'level': statement.excluded.level,
        'score': statement.excluded.score, 'analyzed_at': statement.excluded.analyzed_at}))


def run_analysis(actor: Actor, case_id: int, language: str) -> AnalysisRead:
    """Analyse one case now, from a thread that may wait (the CLI, tests): prepare, ask the provider (outside any
    transaction, in the outgoing pool), store."""
    started = time.perf_counter()
    prepared = _prepare_now(actor, case_id, language)
    outcome = outgoing.run(ask, prepared) if prepared.config else ask(prepared)
    return _store_now(actor, prepared, outcome, started)


async def analyse_case(actor: Actor, case_id: int, language: str, *, run_db: outgoing.ThreadRunner) -> AnalysisRead:
    """The same for a page or an API request: the units of work run through `run_db` (the face's threads), the
    model is awaited in the outgoing pool, so that no shared thread waits on it."""
    started = time.perf_counter()
    prepared = await run_db(_prepare_now, actor, case_id, language)
    outcome = await outgoing.run_async(ask, prepared) if prepared.config else ask(prepared)
    return await run_db(_store_now, actor, prepared, outcome, started)


def _prepare_now(actor: Actor, case_id: int, language: str) -> Prepared:
    with session_scope() as session:
        return prepare(session, actor, case_id, language)


def _store_now(actor: Actor, prepared: Prepared, outcome: Outcome, started: float) -> AnalysisRead:
    with session_scope() as session:
        return store(session, actor, prepared, outcome, round((time.perf_counter() - started) * 1000))


def _reads(session: Session, rows: list[CaseAnalysis], older: CaseAnalysis | None,
           language: str) -> list[AnalysisRead]:
    names = display_names(session, {row.created_by for row in rows if row.created_by})
    reads = []
    for position, row in enumerate(rows):
        previous = rows[position + 1] if position + 1 < len(rows) else older
        result, written_in = written(row.result, language, row.language)
        reads.append(AnalysisRead(
            id=row.id, case_id=row.case_id, created_at=row.created_at, created_by=names.get(row.created_by),
            provider=row.provider, model=row.model, fallback_reason=row.fallback_reason, language=written_in,
            inputs_at=row.inputs_at, duration_ms=row.duration_ms, **result.model_dump(),
            previous_score=previous.risk_score if previous else None,
            previous_level=previous.risk_level if previous else None))
    return reads


def list_analyses(session: Session, actor: Actor, case_id: int, limit: int = HISTORY_LIMIT, *,
                  language: str | None = None) -> list[AnalysisRead]:
    """The case's analyses, newest first, each with the risk of the run before it, written in `language` (by
    default the actor's) where they can be."""
    case = case_in_tenant(session, actor, case_id)
    rows = list(session.exec(select(CaseAnalysis).where(CaseAnalysis.case_id == case.id)
                             .order_by(col(CaseAnalysis.created_at).desc(), col(CaseAnalysis.id).desc())
                             .limit(limit + 1)).all())
    older = rows.pop() if len(rows) > limit else None
    return _reads(session, rows, older, language or actor.language or 'fr')


def get_analysis(session: Session, actor: Actor, analysis_id: int) -> CaseAnalysis:
    row = session.get(CaseAnalysis, analysis_id)
    if row is None or row.tenant_id != actor.tenant_id:
        raise NotFound('error.analysis_not_found')
    return row


def risks_of(session: Session, tenant_id: int, case_ids: list[int]) -> dict[int, tuple[str, int]]:
    """The latest (level, score) of each analysed case among `case_ids`, for badges."""
    if not case_ids:
        return {}
    rows = session.exec(select(CaseRisk.case_id, CaseRisk.level, CaseRisk.score)
                        .where(CaseRisk.tenant_id == tenant_id, col(CaseRisk.case_id).in_(case_ids))).all()
    return {case_id: (level, score) for case_id, level, score in rows}


@dataclass(frozen=True)
class CaseAtRisk:
    case_id: int
    reference: str
    title: str
    level: str
    score: int
    analyzed_at: datetime
    due_date: date | None


def cases_at_risk(session: Session, actor: Actor, limit: int = 10) -> list[CaseAtRisk]:
    """Open cases whose latest analysis says high or critical, the riskiest first."""
    rows = session.exec(
        select(Case.id, Case.reference, Case.title, CaseRisk.level, CaseRisk.score, CaseRisk.analyzed_at,
               Case.due_date)
        .join(CaseRisk, col(CaseRisk.case_id) == Case.id)
        .where(CaseRisk.tenant_id == actor.tenant_id, col(CaseRisk.level).in_(AT_RISK_LEVELS),
               col(Case.status).in_(OPEN_STATUSES))
        .order_by(col(CaseRisk.score).desc(), col(Case.id)).limit(limit)).all()
    return [CaseAtRisk(*row) for row in rows]


def step_to_task(session: Session, actor: Actor, analysis_id: int, step_index: int) -> NoteRead:
    """Turn a suggested next step into a task note on the case, in the actor's language, due when the step is;
    doing it twice gives the same task."""
    row = get_analysis(session, actor, analysis_id)
    steps = written(row.result, actor.language or 'fr', row.language)[0].next_steps
    if not 0 <= step_index < len(steps):
        raise NotFound('error.next_step_not_found')
    step = steps[step_index]
    titles = Findings.model_validate(row.result['findings']).step_titles(step_index) if 'findings' in row.result \
        else {step.title}  # the same step, made a task by a colleague who reads another language
    existing = session.exec(select(Note).where(Note.case_id == row.case_id, Note.kind == NoteKind.TASK,
                                               col(Note.done).is_(False), col(Note.body).in_(titles))).first()
    if existing is not None:
        return get_note(session, actor, existing.id)
    case = case_in_tenant(session, actor, row.case_id)
    if not CaseStatus(case.status).is_open:
        raise Invalid('error.case_closed_no_task')
    return add_note(session, actor, row.case_id, NoteInput(kind=NoteKind.TASK, body=step.title,
                                                           due_date=step.due_date))
