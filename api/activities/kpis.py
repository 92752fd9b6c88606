"""Monthly KPIs per client (seed 001, where "investor" means client). Amounts are JSON strings with two decimals
("1234.50"), exact on every database; they are accepted as numbers or strings."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlmodel import Session

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import IdPath, IdQuery, KpiMonthIn, PageOut
from services import kpis as kpis_service
from services.actor import Actor
from services.clock import today
from services.kpis import AnnualSummary, KpiInput, KpiRead, MonthSummary
from services.paging import PageRequest

YearQuery = Annotated[int | None, Query(description='Default: the current year.')]
SAVED = 'meetings and pitches left null are counted from the interactions; 201 when the month is new, else 200'

router = APIRouter(tags=['kpis'])


def save_month(session: Session, actor: Actor, client_id: int, data: KpiInput, response: Response) -> KpiRead:
    earlier = kpis_service.list_kpis(session, actor, PageRequest(limit=1), year=data.year, month=data.month,
                                     client_id=client_id)
    saved = kpis_service.save_kpi(session, actor, client_id, data)
    response.status_code = status.HTTP_200_OK if earlier.total else status.HTTP_201_CREATED
    return saved


def annual(session: Session, actor: Actor, client_id: int, year: int | None) -> AnnualSummary:
    return kpis_service.annual_summary(session, actor, client_id, year or today().year)


@router.get('/kpis', response_model=PageOut[KpiRead], summary='Saved months, newest first, filtered and paged')
def list_kpis(session: SessionDep, actor: ActorDep, page: PageDep, year: int | None = None, month: int | None = None,
              client_id: IdQuery = None) -> PageOut[KpiRead]:
    result = kpis_service.list_kpis(session, actor, page, year=year, month=month, client_id=client_id)
    return PageOut[KpiRead](items=result.items, total=result.total, limit=result.limit, offset=result.offset)


@router.get('/kpis/investor/{client_id}', response_model=AnnualSummary,
            summary="A client's twelve months and totals (seed 001's path)")
@router.get('/clients/{client_id}/kpis', response_model=AnnualSummary, summary="A client's twelve months and totals")
def client_year(client_id: IdPath, session: SessionDep, actor: ActorDep, year: YearQuery = None) -> AnnualSummary:
    return annual(session, actor, client_id, year)


@router.post('/kpis/investor/{client_id}', response_model=KpiRead, status_code=status.HTTP_201_CREATED,
             summary=f'Create or update one month of a client (seed 001; `year` and `month` in the body): {SAVED}')
def save_kpi(client_id: IdPath, body: KpiInput, response: Response, session: SessionDep,
             actor: ActorDep) -> KpiRead:
    return save_month(session, actor, client_id, body, response)


@router.put('/clients/{client_id}/kpis/{year}/{month}', response_model=KpiRead,
            summary=f'Create or update one month of a client: {SAVED}')
def put_kpi(client_id: IdPath, year: int, month: int, body: KpiMonthIn, response: Response, session: SessionDep,
            actor: ActorDep) -> KpiRead:
    return save_month(session, actor, client_id, KpiInput(year=year, month=month, **body.model_dump()), response)


@router.get('/kpis/summary/month/{year}/{month}', response_model=MonthSummary,
            summary="The month's totals across clients (saved rows and counted meetings), and the leading clients")
def month_summary(year: int, month: int, session: SessionDep, actor: ActorDep) -> MonthSummary:
    return kpis_service.month_summary(session, actor, year, month)


@router.get('/kpis/summary/annual/{client_id}/{year}', response_model=AnnualSummary,
            summary="A client's twelve months and totals")
def annual_summary(client_id: IdPath, year: int, session: SessionDep, actor: ActorDep) -> AnnualSummary:
    return annual(session, actor, client_id, year)
