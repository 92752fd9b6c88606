"""The composition root: settings, database, pages, API, middleware, then `ui.run`."""

import gc

from nicegui import app, ui

import api
from pages import (
    account,
    activities,
    admin_ai,
    admin_audit,
    admin_client_types,
    admin_pipeline,
    admin_users,
    analytics,
    case_board,
    case_detail,
    cases,
    client_detail,
    clients,
    dashboard,
    data_quality,
    documents_panel,
    kpi_views,
    login,
    pipeline,
    products,
    recommendations,
    sales,
    search,
    segment_clients,
)
from services import process_memory
from settings import get_settings
from ui.middleware import AuthMiddleware

settings = get_settings()

# /cases/board before /cases/{case_id}: the first route that matches wins.
for module in (login, dashboard, clients, client_detail, cases, case_board, case_detail, pipeline, activities,
               kpi_views, analytics, segment_clients, products, sales, recommendations, data_quality, search,
               admin_users, admin_client_types, admin_pipeline, admin_ai, admin_audit, account):
    module.register()
documents_panel.register_download_route()
api.install(app)
app.add_middleware(AuthMiddleware)


def _settle_memory() -> None:
    """Put the objects of start-up out of the collector's reach: full collections then pause the event loop for
    about 10 ms instead of about 100 ms, which a background job (the AI «analyse all») would otherwise trigger."""
    gc.collect()
    gc.freeze()
    process_memory.trim()
    # What a page's build or a background job freed would otherwise stay with the C allocator for good.
    app.timer(process_memory.TRIM_SECONDS, process_memory.trim)


app.on_startup(_settle_memory)

if __name__ in {'__main__', '__mp_main__'}:
    ui.run(
        host=settings.host,
        port=settings.port,
        title='CRM IA',
        favicon='🗂️',
        language='fr' if settings.language == 'fr' else 'en-US',
        storage_secret=settings.secret_key,
        fastapi_docs={'title': 'CRM IA API', 'version': '0.1.0',
                      'description': 'REST API of CRM IA. Get a token at `POST /api/v1/auth/token`.'},
        reload=False,
        show=False,
        show_welcome_message=False,
    )
