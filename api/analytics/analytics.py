"""/api/v1/analytics/dashboard: the sales dashboard of a period. Amounts are JSON strings with two decimals
("1234.50") in the tenant's currency."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ActorDep, SessionDep
from services.analytics import dashboard as dashboard_service
from services.analytics.dashboard import DEFAULT_PRESET, PRESETS, Dashboard

router = APIRouter(prefix='/analytics', tags=['analytics'])

PeriodQuery = Annotated[str, Query(description=f'One of {", ".join(PRESETS)} (custom: give start and end).')]
DateQuery = Annotated[date | None, Query(description='YYYY-MM-DD, inclusive; only with period=custom.')]


@router.get('/dashboard', response_model=Dashboard,
            summary='KPIs against the previous period, monthly trend against the previous year, revenue by family, '
                    'top products, RFM segments and their moves this month')
def get_dashboard(session: SessionDep, actor: ActorDep, period: PeriodQuery = DEFAULT_PRESET,
                  start: DateQuery = None, end: DateQuery = None) -> Dashboard:
    return dashboard_service.dashboard(session, actor, dashboard_service.resolve_period(period, start, end))
