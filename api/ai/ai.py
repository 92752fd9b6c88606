"""AI analysis of cases (seed 000's «Analyse IA»): run and read analyses, the «analyse all» job, the tenant's
provider settings and legal knowledge base."""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Path, Query, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import ActorDep, LongActorDep, PageDep, SessionDep
from api.errors import request_language
from api.schemas import IdPath, PageOut
from services.actor import Actor
from services.ai import analyses, jobs, knowledge_store, provider
from services.ai.analyses import AnalysisRead, LlmPreview
from services.ai.knowledge import LegalEntry
from services.ai.knowledge_store import LegalTextRead
from services.ai.provider import AiSettingsInput, AiSettingsRead
from services.notes import NoteRead
from ui.i18n import translate

router = APIRouter(tags=['ai'])
Language = Annotated[Literal['fr', 'en'] | None, Query(description='Language of the analysis (default: yours); a '
                                                                   "model's answer stays in the one it was asked in.")]
BUSY = {503: {'description': 'Every outgoing-call thread is waiting on a model: retry after `Retry-After` seconds.'}}


def _language(request: Request, actor: Actor, language: str | None) -> str:
    return language or actor.language or request_language(request)


@router.post('/cases/{case_id}/ai-analyze', response_model=AnalysisRead, responses=BUSY,
             summary='Analyse a case now (built-in analyzer, or the LLM the tenant configured)')
async def analyze_case(case_id: IdPath, request: Request, actor: LongActorDep,
                       language: Language = None) -> AnalysisRead:
    # async: while the model thinks, this request holds no thread of the pool that every other request needs.
    return await analyses.analyse_case(actor, case_id, _language(request, actor, language), run_db=run_in_threadpool)


@router.get('/cases/{case_id}/ai-preview', response_model=LlmPreview,
            summary='What an analysis would send to the external LLM now, pseudonymised, without sending it (409 '
                    'with the built-in analyzer)')
def preview_case(case_id: IdPath, request: Request, session: SessionDep, actor: ActorDep,
                 language: Language = None) -> LlmPreview:
    return analyses.preview_request(session, actor, case_id, _language(request, actor, language))


@router.get('/cases/{case_id}/analyses', response_model=list[AnalysisRead],
            summary="A case's analyses, newest first, each with the score of the one before")
def list_analyses(case_id: IdPath, request: Request, session: SessionDep, actor: ActorDep,
                  limit: Annotated[int, Query(ge=1, le=100)] = 20, language: Language = None) -> list[AnalysisRead]:
    return analyses.list_analyses(session, actor, case_id, limit, language=_language(request, actor, language))


@router.post('/analyses/{analysis_id}/next-steps/{step}/task', response_model=NoteRead,
             status_code=status.HTTP_201_CREATED, summary='Turn a suggested next step (0-based) into a task note')
def next_step_task(analysis_id: IdPath, step: Annotated[int, Path(ge=0, le=50)], session: SessionDep,
                   actor: ActorDep) -> NoteRead:
    return analyses.step_to_task(session, actor, analysis_id, step)


class CaseAtRiskOut(BaseModel):
    case_id: int
    reference: str
    title: str
    level: str
    score: int


@router.get('/cases-at-risk', response_model=list[CaseAtRiskOut], summary='Open cases analysed high or critical')
def cases_at_risk(session: SessionDep, actor: ActorDep,
                  limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[CaseAtRiskOut]:
    return [CaseAtRiskOut(**{name: getattr(row, name) for name in CaseAtRiskOut.model_fields})
            for row in analyses.cases_at_risk(session, actor, limit)]


class JobOut(BaseModel):
    id: int
    status: str
    total: int
    done: int
    failed: int
    progress: float
    error: str | None


def _job_out(job: jobs.JobRead) -> JobOut:
    return JobOut(id=job.id, status=job.status, total=job.total, done=job.done, failed=job.failed,
                  progress=round(job.progress, 4), error=job.error)


@router.post('/ai/jobs', response_model=JobOut, status_code=status.HTTP_202_ACCEPTED,
             summary='Analyse every open case in the background (managers and admins; one job at a time)')
def start_job(request: Request, session: SessionDep, actor: ActorDep, language: Language = None) -> JobOut:
    job, new = jobs.start_job(session, actor)
    if new:
        session.commit()
        jobs.launch(job.id, _language(request, actor, language))
    return _job_out(job)


@router.get('/ai/jobs/latest', response_model=JobOut | None, summary="The tenant's latest job and its progress")
def latest_job(session: SessionDep, actor: ActorDep) -> JobOut | None:
    job = jobs.latest_job(session, actor)
    return _job_out(job) if job else None


@router.post('/ai/jobs/{job_id}/cancel', response_model=JobOut, summary='Stop a running job after its batch')
def cancel_job(job_id: IdPath, session: SessionDep, actor: ActorDep) -> JobOut:
    return _job_out(jobs.cancel_job(session, actor, job_id))


@router.get('/ai/settings', response_model=AiSettingsRead, summary="The tenant's provider (the key is never shown)")
def get_settings(session: SessionDep, actor: ActorDep) -> AiSettingsRead:
    return provider.get_ai_settings(session, actor)


class AiSettingsIn(AiSettingsInput):
    version: int | None = Field(default=None, description='The version you read, to refuse a stale save.')


@router.put('/ai/settings', response_model=AiSettingsRead, summary='Change the provider (admins)')
def save_settings(body: AiSettingsIn, session: SessionDep, actor: ActorDep) -> AiSettingsRead:
    return provider.save_ai_settings(session, actor, AiSettingsInput(**body.model_dump(exclude={'version'})),
                                     body.version)


class ConnectionOut(BaseModel):
    ok: bool
    detail: str = Field(description='«model, latency» when ok; otherwise the reason code (e.g. ai.llm_timeout).')
    message: str = Field(description='What happened, in the language of the request.')


@router.post('/ai/settings/test', response_model=ConnectionOut, responses=BUSY,
             summary='Try an endpoint before saving it (admins; the saved key only for the address it was saved with)')
async def test_settings(body: AiSettingsInput, request: Request, actor: LongActorDep) -> ConnectionOut:
    check = await provider.check_endpoint(actor, body, run_db=run_in_threadpool)
    language = request_language(request)
    message = translate('ai_settings.test_ok', language, detail=check.detail) if check.ok else \
        translate('ai_settings.test_failed', language, reason=translate(check.reason_key, language, **check.params))
    return ConnectionOut(ok=check.ok, detail=check.detail, message=message)


@router.get('/ai/legal-texts', response_model=PageOut[LegalTextRead], summary="The tenant's legal knowledge base")
def list_legal_texts(session: SessionDep, actor: ActorDep, page: PageDep,
                     q: Annotated[str, Query(max_length=200)] = '') -> PageOut[LegalTextRead]:
    result = knowledge_store.list_legal_texts(session, actor, q, page)
    return PageOut[LegalTextRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.post('/ai/legal-texts', response_model=LegalTextRead, status_code=status.HTTP_201_CREATED,
             summary='Add an entry (admins)')
def create_legal_text(body: LegalEntry, session: SessionDep, actor: ActorDep) -> LegalTextRead:
    return knowledge_store.save_legal_text(session, actor, None, body.model_dump())


@router.get('/ai/legal-texts/export', summary='The knowledge base as a JSON file')
def export_legal_texts(session: SessionDep, actor: ActorDep) -> Response:
    return Response(knowledge_store.export_legal_texts(session, actor), media_type='application/json',
                    headers={'Content-Disposition': 'attachment; filename="base-juridique.json"'})


class ImportOut(BaseModel):
    imported: int


@router.post('/ai/legal-texts/import', response_model=ImportOut,
             summary='Replace the knowledge base with a JSON export (admins; refused whole on one bad entry)')
def import_legal_texts(session: SessionDep, actor: ActorDep,
                       file: Annotated[UploadFile, File(description='The JSON file.')]) -> ImportOut:
    text = knowledge_store.decode_import(iter(lambda: file.file.read(1 << 20), b''))
    return ImportOut(imported=knowledge_store.import_legal_texts(session, actor, text))


@router.post('/ai/legal-texts/reset', response_model=ImportOut, summary='Back to the bundled knowledge base (admins)')
def reset_legal_texts(session: SessionDep, actor: ActorDep) -> ImportOut:
    return ImportOut(imported=knowledge_store.reset_legal_texts(session, actor))


@router.get('/ai/legal-texts/{text_id}', response_model=LegalTextRead)
def get_legal_text(text_id: IdPath, session: SessionDep, actor: ActorDep) -> LegalTextRead:
    return knowledge_store.get_legal_text(session, actor, text_id)


@router.put('/ai/legal-texts/{text_id}', response_model=LegalTextRead, summary='Replace an entry (admins)')
def update_legal_text(text_id: IdPath, body: LegalEntry, session: SessionDep, actor: ActorDep) -> LegalTextRead:
    return knowledge_store.save_legal_text(session, actor, text_id, body.model_dump())


@router.delete('/ai/legal-texts/{text_id}', status_code=status.HTTP_204_NO_CONTENT, summary='Delete an entry (admins)')
def delete_legal_text(text_id: IdPath, session: SessionDep, actor: ActorDep) -> None:
    knowledge_store.delete_legal_text(session, actor, text_id)
