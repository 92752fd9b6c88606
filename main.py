"""The composition root: settings, database, pages, API, middleware, then `ui.run`."""

import gc

from nicegui import app, ui

import api
from pages import activities, admin, ai, analytics, auth, cases, clients, documents, home, kpis, pipeline, sales
from services import process_memory
from settings import get_settings
from ui.errors import install as install_error_pages
from ui.middleware import AuthMiddleware
from ui.security_headers import SecurityHeaders
from ui.session import session_cookie_options
from ui.shell import register as register_shell
from ui.theme import serve_tailwind, set_element_defaults
from ui.trusted_proxies import install as install_trusted_proxies

settings = get_settings()

for domain in (auth, home, clients, cases, pipeline, activities, kpis, analytics, sales, ai, admin, documents):
    domain.register()
api.install(app)
api.install_docs(app)
install_error_pages()  # after the API's handlers: pages get an HTML page, the API its JSON
serve_tailwind()
set_element_defaults()
register_shell()  # last: it answers every path that nothing above claims
app.add_middleware(AuthMiddleware)
app.add_middleware(SecurityHeaders)
install_trusted_proxies(app)  # outermost: nothing reads a forwarded header it should not believe


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
        session_middleware_kwargs=session_cookie_options(settings),
        reload=False,
        show=False,
        show_welcome_message=False,
        proxy_headers=False,  # ui.trusted_proxies decides which forwarded headers to believe
        server_header=False,  # no «Server: uvicorn» banner
        tailwind=False,  # the precompiled ui/tailwind/tailwind.css instead of compiling in every browser
    )
