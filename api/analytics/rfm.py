"""RFM segments and client profiles, product popularity, the analytics runs that recompute them, and their settings.
Amounts are JSON strings with two decimals ("1250.50") in the tenant's currency, as everywhere in the API."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from api.deps import ActorDep, PageDep, SessionDep
from api.schemas import IdPath, PageOut, in_range
from services.analytics import popularity, rfm, runs
from services.analytics import settings as analytics_settings
from services.analytics.popularity import PopularityRow
from services.analytics.rfm import ProfileRead, SegmentChangeRead, SegmentClientRow, SegmentCount, SegmentMove
from services.analytics.settings import AnalyticsSettingsInput, AnalyticsSettingsRead
from services.clock import local_now
from services.products import money
from settings import get_settings

router = APIRouter(tags=['rfm'])

SegmentQuery = Annotated[str | None, Query(max_length=24, description='A segment code (champions, loyal, …); '
                                                                      'left out: every profiled client.')]


class RunOut(BaseModel):
    id: int
    trigger: str
    status: str = Field(description='queued | running | done | failed | interrupted')
    step: str | None = Field(description='profiles | popularity | recommendations')
    progress: int = Field(description='Percent.')
    window_months: int
    summary: dict[str, Any] = Field(description='When done: clients, segments, moves, products, recommendations per '
                                                'scenario, durations_ms per step.')
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, run: runs.RunRead) -> Self:
        return cls(id=run.id, trigger=run.trigger, status=run.status, step=run.step, progress=run.progress,
                   window_months=run.window_months, summary=run.summary, error=run.error, created_at=run.created_at,
                   started_at=run.started_at, finished_at=run.finished_at)


class SegmentCountOut(BaseModel):
    segment: str
    clients: int
    revenue: Decimal = Field(description="The clients' purchases over the window.")

    @classmethod
    def of(cls, share: SegmentCount) -> Self:
        return cls(segment=share.segment, clients=share.clients, revenue=money(share.revenue_cents))


class RfmOut(BaseModel):
    clients: int = Field(description='Clients with a profile (a purchase in the window).')
    distribution: list[SegmentCountOut] = Field(description='Every segment, in the map order.')
    latest_run: RunOut | None


_CENTS = {'monetary_cents': 'monetary', 'avg_basket_cents': 'avg_basket', 'budget_cents': 'budget',
          'price_cents': 'price', 'revenue_recent_cents': 'revenue_recent',
          'revenue_previous_cents': 'revenue_previous'}


def _in_money(read: BaseModel) -> dict[str, Any]:
    """A read model's fields, amounts in cents turned into amounts (`monetary_cents` → `monetary`)."""
    return {_CENTS.get(name, name): money(value) if name in _CENTS else value
            for name, value in read.model_dump().items()}


class ProfileOut(BaseModel):
    client_id: int
    segment: str
    r_score: int
    f_score: int
    m_score: int
    recency_days: int
    frequency: int
    monetary: Decimal
    avg_basket: Decimal
    avg_interval_days: float | None
    first_purchase_on: date
    last_purchase_on: date
    top_families: list[str]
    budget: Decimal = Field(description='Midpoint of the average and the largest basket of the window.')
    window_months: int
    computed_at: datetime

    @classmethod
    def of(cls, profile: ProfileRead) -> Self:
        return cls(**_in_money(profile))


class SegmentClientOut(BaseModel):
    client_id: int
    name: str
    email: str | None
    segment: str
    r_score: int
    f_score: int
    m_score: int
    recency_days: int
    frequency: int
    monetary: Decimal
    last_purchase_on: date

    @classmethod
    def of(cls, row: SegmentClientRow) -> Self:
        return cls(**_in_money(row))


class PopularityOut(BaseModel):
    product_id: int
    sku: str
    name: str
    family: str
    price: Decimal
    is_active: bool
    sales_recent: int = Field(description='Sale lines of the latest 90 days.')
    revenue_recent: Decimal
    sales_previous: int = Field(description='Sale lines of the 90 days before.')
    revenue_previous: Decimal
    buyers_recent: int
    trend_percent: float | None = Field(description='Revenue change against the 90 days before; null when nothing '
                                                    'sold then.')
    score: float = Field(description='0–100.')
    computed_at: datetime

    @classmethod
    def of(cls, row: PopularityRow) -> Self:
        return cls(**_in_money(row))


class ClientRfmOut(BaseModel):
    client_id: int
    profile: ProfileOut | None = Field(description='None: no purchase in the window at the latest computation.')
    history: list[SegmentChangeRead] = Field(description='Segment changes, newest first.')


class AnalyticsSettingsIn(AnalyticsSettingsInput):
    version: int | None = Field(default=None, description='The version you read; a stale one is refused (409).')


def _since(value: datetime | None) -> datetime:
    """A moment given without a time zone is the firm's; none: the start of the current month."""
    zone = ZoneInfo(get_settings().timezone)
    if value is None:
        return datetime.combine(local_now().date().replace(day=1), time.min, zone)
    value = in_range(value, 'since')
    return value if value.tzinfo else value.replace(tzinfo=zone)


@router.get('/rfm', response_model=RfmOut, summary='The segment distribution and the latest run')
def distribution(session: SessionDep, actor: ActorDep) -> RfmOut:
    shares = rfm.segment_distribution(session, actor)
    latest = runs.latest_run(session, actor)
    return RfmOut(clients=sum(share.clients for share in shares),
                  distribution=[SegmentCountOut.of(share) for share in shares],
                  latest_run=RunOut.of(latest) if latest else None)


@router.get('/rfm/clients', response_model=PageOut[SegmentClientOut],
            summary="A segment's clients (or every profiled client), biggest spenders first")
def segment_clients(session: SessionDep, actor: ActorDep, page: PageDep, segment: SegmentQuery = None,
                    q: Annotated[str, Query(max_length=200)] = '') -> PageOut[SegmentClientOut]:
    result = rfm.segment_clients(session, actor, segment, page, search=q)
    return PageOut[SegmentClientOut](items=[SegmentClientOut.of(row) for row in result.items], total=result.total,
                                     limit=result.limit, offset=result.offset)


@router.get('/rfm/clients/{client_id}', response_model=ClientRfmOut, summary="A client's profile and segment history")
def client_profile(client_id: IdPath, session: SessionDep, actor: ActorDep) -> ClientRfmOut:
    profile = rfm.get_profile(session, actor, client_id)
    return ClientRfmOut(client_id=client_id, profile=ProfileOut.of(profile) if profile else None,
                        history=rfm.client_segment_history(session, actor, client_id))


@router.get('/rfm/moves', response_model=list[SegmentMove],
            summary='Net moves between segments since a moment (default: the start of this month), most frequent '
                    'first; a null segment is entering or leaving the window')
def segment_moves(session: SessionDep, actor: ActorDep, since: datetime | date | None = None) -> list[SegmentMove]:
    if isinstance(since, date) and not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    return rfm.segment_moves(session, actor, _since(since))


@router.post('/rfm/recompute', response_model=RunOut, status_code=status.HTTP_202_ACCEPTED,
             summary='Recompute profiles, segments, popularity and recommendations in the background (one run at a '
                     'time: the running one is returned); window_months 1–120, default the settings')
def recompute(session: SessionDep, actor: ActorDep, window_months: int | None = None) -> RunOut:
    run, new = runs.start_run(session, actor, window_months=window_months, trigger='api')
    if new:
        session.commit()
        runs.launch(run.id)
    return RunOut.of(run)


@router.get('/analytics/runs/latest', response_model=RunOut | None, summary="The tenant's latest run and its progress")
def latest_run(session: SessionDep, actor: ActorDep) -> RunOut | None:
    run = runs.latest_run(session, actor)
    return RunOut.of(run) if run else None


@router.get('/analytics/runs/{run_id}', response_model=RunOut, summary='A run and its progress')
def get_run(run_id: IdPath, session: SessionDep, actor: ActorDep) -> RunOut:
    return RunOut.of(runs.get_run(session, actor, run_id))


@router.get('/analytics/settings', response_model=AnalyticsSettingsRead,
            summary='The RFM window and the nightly recomputation (hour in the firm\'s time zone)')
def read_settings(session: SessionDep, actor: ActorDep) -> AnalyticsSettingsRead:
    return analytics_settings.get_settings(session, actor)


@router.put('/analytics/settings', response_model=AnalyticsSettingsRead, summary='Change the settings (admins)')
def put_settings(body: AnalyticsSettingsIn, session: SessionDep, actor: ActorDep) -> AnalyticsSettingsRead:
    return analytics_settings.update_settings(session, actor, AnalyticsSettingsInput(
        **body.model_dump(exclude={'version'})), body.version)


@router.get('/products/popularity', response_model=PageOut[PopularityOut],
            summary='Products by popularity over the latest 90 days, with the trend against the 90 before')
def product_popularity(session: SessionDep, actor: ActorDep, page: PageDep,
                       family: Annotated[str | None, Query(max_length=80)] = None) -> PageOut[PopularityOut]:
    result = popularity.list_popularity(session, actor, page, family)
    return PageOut[PopularityOut](items=[PopularityOut.of(row) for row in result.items], total=result.total,
                                  limit=result.limit, offset=result.offset)
