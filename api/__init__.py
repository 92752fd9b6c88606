"""The REST API under /api/v1, installed on NiceGUI's FastAPI app (or any FastAPI app, in tests)."""

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api import (
    ai,
    analytics,
    audit,
    auth,
    cases,
    clients,
    crm_seed,
    interactions,
    kpis,
    pipeline,
    products,
    recommendations,
    rfm,
    sales,
    users,
    webhooks,
)
from api.errors import install_error_handlers
from db.engine import get_engine

API_PREFIX = '/api/v1'


def _api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    router.include_router(auth.router)
    router.include_router(users.router)
    router.include_router(clients.router)
    router.include_router(cases.router)
    router.include_router(pipeline.router)
    router.include_router(interactions.router)
    router.include_router(kpis.router)
    router.include_router(rfm.router)  # before products: /products/popularity is not /products/{product_id}
    router.include_router(products.router)
    router.include_router(sales.router)
    router.include_router(webhooks.router)
    router.include_router(ai.router)
    router.include_router(analytics.router)
    router.include_router(recommendations.router)
    router.include_router(audit.router)

    @router.api_route('/{path:path}', methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], include_in_schema=False)
    def unknown_endpoint(path: str) -> JSONResponse:
        return JSONResponse({'detail': f'Unknown endpoint: /{path}'}, status_code=404)

    return router


def _health_router() -> APIRouter:
    router = APIRouter(tags=['health'])

    @router.get('/healthz', summary='Liveness and database check')
    def healthz() -> JSONResponse:
        try:
            with get_engine().connect() as connection:
                connection.execute(text('SELECT 1'))
        except Exception:  # a health check reports, it never raises
            return JSONResponse({'status': 'error', 'database': 'unreachable'}, status_code=503)
        return JSONResponse({'status': 'ok', 'database': 'ok'})

    return router


def install(app: FastAPI) -> None:
    install_error_handlers(app)
    app.include_router(_health_router())
    app.include_router(_api_router())
    app.include_router(crm_seed.build_router())
