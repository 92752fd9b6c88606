"""The data-quality audit (run, latest, history, one run) and the merge of duplicate clients."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from api.deps import ActorDep, LongActorDep, SessionDep
from api.schemas import IdPath
from services import merge
from services.analytics import data_audit
from services.analytics.data_audit import MAX_HISTORY, AuditPoint, AuditRead
from services.clients import ClientRead
from services.errors import NotFound
from services.validation import DbId

router = APIRouter(tags=['audit'])


class MergeIn(BaseModel):
    merge_id: DbId = Field(description='The duplicate: archived once its contacts, cases, interactions, sales… moved.')
    keep_version: int | None = Field(default=None, description="The kept client's version you read; stale: 409.")
    merge_version: int | None = Field(default=None, description="The duplicate's version you read; stale: 409.")


@router.post('/audit', response_model=AuditRead, status_code=status.HTTP_201_CREATED,
             summary='Run a data-quality audit now (managers and admins) and keep it in the journal')
def run_audit(actor: LongActorDep) -> AuditRead:
    return data_audit.audit_now(actor)


@router.get('/audit/latest', response_model=AuditRead, summary='The latest audit (404 before the first run)')
def latest_audit(session: SessionDep, actor: ActorDep) -> AuditRead:
    latest = data_audit.latest_audit(session, actor)
    if latest is None:
        raise NotFound('error.audit_none')
    return latest


@router.get('/audit/history', response_model=list[AuditPoint],
            summary="The latest runs' scores and component points, oldest first")
def audit_history(session: SessionDep, actor: ActorDep,
                  limit: Annotated[int, Query(ge=1, le=MAX_HISTORY)] = 60) -> list[AuditPoint]:
    return data_audit.audit_history(session, actor, limit=limit)


@router.get('/audit/{audit_id}', response_model=AuditRead, summary='One audit of the journal, with its lists')
def get_audit(audit_id: IdPath, session: SessionDep, actor: ActorDep) -> AuditRead:
    return data_audit.get_audit(session, actor, audit_id)


@router.post('/clients/{keep_id}/merge', response_model=ClientRead,
             summary='Merge a duplicate into this client, in one transaction (managers and admins); returns it')
def merge_clients(keep_id: IdPath, body: MergeIn, session: SessionDep, actor: ActorDep) -> ClientRead:
    return merge.merge_clients(session, actor, keep_id, body.merge_id, keep_version=body.keep_version,
                               merge_version=body.merge_version)
