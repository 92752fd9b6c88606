"""One mapping from errors to JSON: `{"detail": ...}` with 401/403/404/409/422/503, never a stack trace.

An unexpected error answers 500 with a reference the administrator finds in the log (services.incidents); a busy
database answers 503 with Retry-After.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from db.engine import DatabaseBusy, NulCharacter, is_busy_error
from services.errors import Busy, DomainError, Invalid, Unauthorized
from services.incidents import incident_reference
from settings import get_settings
from ui.i18n import language_from_header, translate

log = logging.getLogger('crm.api')


def request_language(request: Request) -> str:
    return language_from_header(request.headers.get('accept-language'), get_settings().language)


def domain_error_response(request: Request, error: DomainError) -> JSONResponse:
    body: dict = {'detail': translate(error.key, request_language(request), **error.params), 'code': error.key}
    if isinstance(error, Invalid) and error.field:
        body['field'] = error.field
    headers = {'WWW-Authenticate': 'Bearer'} if isinstance(error, Unauthorized) else None
    if isinstance(error, Busy):
        headers = {'Retry-After': str(error.retry_after)}
    return JSONResponse(body, status_code=error.status_code, headers=headers)


async def _on_domain_error(request: Request, error: DomainError) -> JSONResponse:
    return domain_error_response(request, error)


async def validation_error_response(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [{'field': '.'.join(str(part) for part in problem.get('loc', ()) if part != 'body'),
                 'message': problem.get('msg', '')} for problem in error.errors()]
    detail = translate('error.request_invalid', request_language(request))
    return JSONResponse({'detail': detail, 'errors': problems, 'code': 'error.request_invalid'}, status_code=422)


_HTTP_ERROR_KEYS = {400: 'error.body_unreadable', 413: 'error.body_too_large'}  # raised by parsers, not services


async def http_error_response(request: Request, error: StarletteHTTPException) -> JSONResponse:
    """Errors of the framework itself: a body that cannot be read (400), one that grew past its limit while
    streaming (413, see api.request_guard), an unknown route or method."""
    key = _HTTP_ERROR_KEYS.get(error.status_code)
    if key is None:
        return JSONResponse({'detail': error.detail}, status_code=error.status_code, headers=error.headers)
    detail = error.detail if error.status_code == 413 else translate(key, request_language(request))
    return JSONResponse({'detail': detail, 'code': key, 'field': 'body'}, status_code=error.status_code,
                        headers=error.headers)


def busy_response(request: Request) -> JSONResponse:
    return JSONResponse({'detail': translate('error.busy', request_language(request)), 'code': 'error.busy'},
                        status_code=503, headers={'Retry-After': str(DatabaseBusy.retry_after_seconds)})


def unexpected_error_response(request: Request, error: Exception) -> JSONResponse:
    """503 when the database was only busy; otherwise 500 naming a reference, and nothing of the error itself."""
    if is_busy_error(error):
        return busy_response(request)
    reference = incident_reference(error)
    detail = translate('error.unexpected', request_language(request), reference=reference)
    return JSONResponse({'detail': detail, 'code': 'error.unexpected', 'reference': reference}, status_code=500)


async def _on_nul_character(request: Request, error: NulCharacter) -> JSONResponse:
    return domain_error_response(request, Invalid('error.nul_character', field=error.field))


async def _on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    return unexpected_error_response(request, error)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.add_exception_handler(StarletteHTTPException, http_error_response)
    app.add_exception_handler(NulCharacter, _on_nul_character)
    app.add_exception_handler(Exception, _on_unexpected_error)
