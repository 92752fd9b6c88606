"""The pipeline: its stages (admins), the board, moving clients, their stage history, and the stats."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import ActorDep, SessionDep
from api.schemas import (
    IdPath,
    IdQuery,
    PipelineStatsOut,
    StageIn,
    StageMoveIn,
    StageOrderIn,
    StageRenameIn,
    in_range,
)
from services import clients as clients_service
from services import pipeline as pipeline_service
from services.clients import ClientRead
from services.clock import today
from services.errors import Invalid, NotFound
from services.paging import MAX_PAGE_SIZE
from services.pipeline import BOARD_PAGE, PipelineFilter, StageColumn, StageMove, StageUsage
from services.stages import StageRead, stages_of

STATS_DAYS = 90

router = APIRouter(tags=['pipeline'])


@contextmanager
def stage_in_path() -> Iterator[None]:
    """The services say "unknown stage" (422, field `id`) for a stage of another tenant: in a path it is a 404."""
    try:
        yield
    except Invalid as error:
        if error.key == 'error.stage_unknown' and error.field == 'id':
            raise NotFound('error.stage_unknown') from error
        raise


@router.get('/pipeline/stages', response_model=list[StageUsage], summary='Stages in order, with their client counts')
def list_stages(session: SessionDep, actor: ActorDep) -> list[StageUsage]:
    return pipeline_service.list_stages(session, actor)


@router.post('/pipeline/stages', response_model=StageRead, status_code=status.HTTP_201_CREATED,
             summary='Add a stage, before the lost one (admins)')
def create_stage(body: StageIn, session: SessionDep, actor: ActorDep) -> StageRead:
    return pipeline_service.create_stage(session, actor, body.name, is_lost=body.is_lost)


@router.put('/pipeline/stages/order', response_model=list[StageRead],
            summary='Reorder the stages: every stage id once (admins)')
def reorder_stages(body: StageOrderIn, session: SessionDep, actor: ActorDep) -> list[StageRead]:
    return pipeline_service.reorder_stages(session, actor, body.ids)


@router.patch('/pipeline/stages/{stage_id}', response_model=StageRead, summary='Rename a stage (admins)')
def rename_stage(stage_id: IdPath, body: StageRenameIn, session: SessionDep, actor: ActorDep) -> StageRead:
    with stage_in_path():
        return pipeline_service.rename_stage(session, actor, stage_id, body.name)


@router.delete('/pipeline/stages/{stage_id}', status_code=status.HTTP_204_NO_CONTENT,
               summary='Delete a stage (admins); one in use needs `move_to_id`, where its clients go (409 without)')
def delete_stage(stage_id: IdPath, session: SessionDep, actor: ActorDep, move_to_id: IdQuery = None) -> None:
    with stage_in_path():
        pipeline_service.delete_stage(session, actor, stage_id, move_to_id=move_to_id)


@router.get('/pipeline/board', response_model=list[StageColumn],
            summary='One column per stage: its total and its latest clients (`limit` per column)')
def pipeline_board(session: SessionDep, actor: ActorDep,
                   client_type: Annotated[str | None, Query(max_length=60)] = None, owner_id: IdQuery = None,
                   limit: Annotated[int, Query(ge=0, le=MAX_PAGE_SIZE)] = BOARD_PAGE) -> list[StageColumn]:
    limits = {stage.id: limit for stage in stages_of(session, actor.tenant_id)}
    filters = PipelineFilter(client_type=client_type or None, owner_id=owner_id)
    return pipeline_service.board(session, actor, filters, limits)


@router.post('/clients/{client_id}/move-to-next-stage', response_model=ClientRead,
             summary='Move a client to the next forward stage (409 at the last one, or from the lost one)')
@router.put('/clients/{client_id}/move-to-next-stage', response_model=ClientRead,
            summary="Seed 001's spelling of move-to-next-stage")
def move_to_next_stage(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientRead:
    pipeline_service.move_to_next_stage(session, actor, client_id)
    return clients_service.get_client(session, actor, client_id)


@router.post('/clients/{client_id}/stage', response_model=ClientRead,
             summary='Put a client at a stage (send `version` to lock)')
def move_client(client_id: IdPath, body: StageMoveIn, session: SessionDep, actor: ActorDep) -> ClientRead:
    pipeline_service.move_client(session, actor, client_id, body.stage_id, expected_version=body.version)
    return clients_service.get_client(session, actor, client_id)


@router.get('/clients/{client_id}/stage-history', response_model=list[StageMove],
            summary="A client's moves, newest first, with the days spent at the stage each led to")
def stage_history(client_id: IdPath, session: SessionDep, actor: ActorDep) -> list[StageMove]:
    return pipeline_service.stage_history(session, actor, client_id)


@router.get('/pipeline/stats', response_model=PipelineStatsOut,
            summary='Clients by stage and type, active/inactive, and conversions over a period (default: the last '
                    '90 days, today included)')
def pipeline_stats(session: SessionDep, actor: ActorDep, start: date | None = None,
                   end: date | None = None) -> PipelineStatsOut:
    end = in_range(end, 'end') if end else today()
    start = in_range(start, 'start') if start else end - timedelta(days=STATS_DAYS - 1)
    return PipelineStatsOut.of(pipeline_service.pipeline_stats(session, actor, start, end))
