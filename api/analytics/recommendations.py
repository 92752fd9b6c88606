"""Recommendations (seed 002's scenarios): listed per client and per scenario, with their reason in the request's
language; dismissed, marked done, reopened, turned into a planned call or a logged exchange; generated on demand."""

from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, Field

from api.deps import ActorDep, PageDep, SessionDep
from api.errors import request_language
from api.schemas import IdPath, IdQuery, PageOut
from services.analytics import recommendation_actions as service
from services.analytics.recommendation_actions import RecommendationFilter, RecommendationRead
from services.paging import Page
from ui.messages import message_text

Scenario = Literal['nurture', 'winback', 'rebuy', 'cross_sell', 'upsell']
StatusQuery = Annotated[Literal['open', 'dismissed', 'done', 'all'], Query(description='Default: open ones.')]

router = APIRouter(tags=['recommendations'])


class RecommendationOut(BaseModel):
    id: int
    client_id: int
    client_name: str
    segment: str | None
    product_id: int
    product_sku: str
    product_name: str
    product_family: str
    product_price_cents: int = Field(description="In cents of the tenant's currency.")
    currency: str
    scenario: Scenario
    score: int = Field(description='0–100: how strongly the rule recommends it.')
    reason: str = Field(description="Why, in the request's language (Accept-Language).")
    reason_key: str
    reason_params: dict[str, Any]
    status: Literal['open', 'dismissed', 'done']
    created_at: datetime
    acted_at: datetime | None
    interaction_id: int | None = Field(description='The planned call or logged exchange it became.')

    @classmethod
    def of(cls, read: RecommendationRead, language: str) -> Self:
        return cls(**read.model_dump(), reason=message_text(read.reason_message, language))


class SummaryOut(BaseModel):
    total: int
    by_scenario: dict[str, int]


class TaskIn(BaseModel):
    due: date = Field(description="The day of the call (10:00, the firm's time).")
    note: str = Field(default='', max_length=2000)


class LogIn(BaseModel):
    type: str = Field(default='call', max_length=40, description='call, email, meeting… (French names too).')
    note: str = Field(default='', max_length=2000)


def _page(page: Page[RecommendationRead], request: Request) -> PageOut[RecommendationOut]:
    language = request_language(request)
    return PageOut[RecommendationOut](items=[RecommendationOut.of(item, language) for item in page.items],
                                      total=page.total, limit=page.limit, offset=page.offset)


def _filters(status_: str, **fields: Any) -> RecommendationFilter:
    return RecommendationFilter(status=None if status_ == 'all' else status_, **fields)


@router.get('/recommendations', response_model=PageOut[RecommendationOut],
            summary='Recommendations, best score first, filtered and paged')
def list_recommendations(request: Request, session: SessionDep, actor: ActorDep, page: PageDep,
                         scenario: Scenario | None = None, client_id: IdQuery = None,
                         segment: Annotated[str | None, Query(max_length=24)] = None,
                         search: Annotated[str, Query(max_length=200, description="Words of the client's name.")] = '',
                         status_: Annotated[StatusQuery, Query(alias='status')] = 'open') -> PageOut[RecommendationOut]:
    filters = _filters(status_, scenario=scenario, client_id=client_id, segment=segment, search=search)
    return _page(service.list_recommendations(session, actor, filters, page), request)


@router.get('/recommendations/summary', response_model=SummaryOut, summary='How many open ones, per scenario')
def summary(session: SessionDep, actor: ActorDep, client_id: IdQuery = None) -> SummaryOut:
    counts = service.counts_by_scenario(session, actor, client_id=client_id)
    return SummaryOut(total=sum(counts.values()), by_scenario=counts)


@router.post('/recommendations/generate', response_model=SummaryOut,
             summary="Replace the open recommendations from the latest RFM profiles, now (managers and admins)")
def generate(session: SessionDep, actor: ActorDep) -> SummaryOut:
    counts = service.regenerate(session, actor)
    return SummaryOut(total=sum(counts.values()), by_scenario=counts)


@router.get('/clients/{client_id}/recommendations', response_model=PageOut[RecommendationOut],
            summary="A client's recommendations, best score first")
def client_recommendations(client_id: IdPath, request: Request, session: SessionDep, actor: ActorDep,
                           page: PageDep, status_: Annotated[StatusQuery, Query(alias='status')] = 'open',
                           ) -> PageOut[RecommendationOut]:
    return _page(service.list_recommendations(session, actor, _filters(status_, client_id=client_id), page), request)


@router.get('/recommendations/{recommendation_id}', response_model=RecommendationOut, summary='One recommendation')
def get_recommendation(recommendation_id: IdPath, request: Request, session: SessionDep,
                       actor: ActorDep) -> RecommendationOut:
    return RecommendationOut.of(service.get_recommendation(session, actor, recommendation_id),
                                request_language(request))


@router.post('/recommendations/{recommendation_id}/dismiss', response_model=RecommendationOut,
             summary='Dismiss an open recommendation: not offered again for 90 days')
def dismiss(recommendation_id: IdPath, request: Request, session: SessionDep, actor: ActorDep) -> RecommendationOut:
    return RecommendationOut.of(service.dismiss(session, actor, recommendation_id), request_language(request))


@router.post('/recommendations/{recommendation_id}/done', response_model=RecommendationOut,
             summary='Mark an open recommendation done')
def mark_done(recommendation_id: IdPath, request: Request, session: SessionDep, actor: ActorDep) -> RecommendationOut:
    return RecommendationOut.of(service.mark_done(session, actor, recommendation_id), request_language(request))


@router.post('/recommendations/{recommendation_id}/reopen', response_model=RecommendationOut,
             summary='Undo a dismissal or a «done» (not one that became an interaction)')
def reopen(recommendation_id: IdPath, request: Request, session: SessionDep, actor: ActorDep) -> RecommendationOut:
    return RecommendationOut.of(service.reopen(session, actor, recommendation_id), request_language(request))


@router.post('/recommendations/{recommendation_id}/task', response_model=RecommendationOut,
             status_code=status.HTTP_201_CREATED,
             summary='Plan a call about it on a day (a planned interaction) and mark it done, at once')
def to_task(recommendation_id: IdPath, body: TaskIn, request: Request, session: SessionDep,
            actor: ActorDep) -> RecommendationOut:
    read = service.to_task(session, actor, recommendation_id, due=body.due, wording=message_text,
                           note=body.note)
    return RecommendationOut.of(read, request_language(request))


@router.post('/recommendations/{recommendation_id}/log', response_model=RecommendationOut,
             status_code=status.HTTP_201_CREATED,
             summary='Log the exchange about it that just took place, and mark it done, at once')
def log_interaction(recommendation_id: IdPath, body: LogIn, request: Request, session: SessionDep,
                    actor: ActorDep) -> RecommendationOut:
    read = service.log_interaction(session, actor, recommendation_id, type=body.type, wording=message_text,
                                   note=body.note)
    return RecommendationOut.of(read, request_language(request))
