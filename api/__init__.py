"""The REST API under /api/v1, installed on NiceGUI's FastAPI app (or any FastAPI app, in tests)."""

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from api import activities, admin, ai, analytics, auth, cases, clients, pipeline, sales
from api.clients import crm_seed
from api.errors import install_error_handlers
from api.request_guard import RequestGuard
from api.responses import describe_errors
from db.engine import get_engine

API_PREFIX = '/api/v1'


def _api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    # analytics before sales: /products/popularity is not /products/{product_id}
    for domain in (auth, admin, clients, cases, pipeline, activities, analytics, sales, ai):
        router.include_router(domain.router)

    @router.api_route('/{path:path}', methods=['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], include_in_schema=False)
    def unknown_endpoint(path: str) -> JSONResponse:
        return JSONResponse({'detail': f'Unknown endpoint: /{path}'}, status_code=404)

    return router


class HealthOut(BaseModel):
    status: str
    database: str


def _health_router() -> APIRouter:
    router = APIRouter(tags=['health'])

    @router.get('/healthz', summary='Liveness and database check', response_model=HealthOut,
                responses={503: {'model': HealthOut, 'description': 'The database is unreachable.'}})
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
    describe_errors(app)
    app.add_middleware(RequestGuard)  # body limits and NUL characters, before anything parses or authenticates
    app.include_router(_health_router())
    app.include_router(_api_router())
    app.include_router(crm_seed.build_router())


def install_docs(app: FastAPI) -> None:
    """OpenAPI description at /openapi.json, Swagger UI at /docs and ReDoc at /redoc. Installed here rather than by
    `ui.run(fastapi_docs=...)`, which would add them after the shell's catch-all route and so never reach them."""
    app.title, app.version = 'CRM IA API', '0.1.0'
    app.description = 'REST API of CRM IA. Get a token at `POST /api/v1/auth/token`.'
    app.openapi_url, app.docs_url, app.redoc_url = '/openapi.json', '/docs', '/redoc'
    app.setup()
