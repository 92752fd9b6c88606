"""The error answers of each operation, described in the OpenAPI document as api/errors.py sends them.

FastAPI describes the successes; `describe_errors(app)` completes the document it generates: each operation gets the
4xx/5xx it can answer, inferred from the operation itself (parameters, body, method) and from the permission table
(403, and a «Who may call it» line). Working on the document rather than on the routes keeps it one pass, whatever
the routers' nesting.
"""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from api.permissions import Access, access_of

WRITE_METHODS = {'post', 'put', 'patch', 'delete'}
RATE_LIMITED = {'/api/v1/auth/token', '/api/v1/webhooks/external-interaction'}
NO_DATABASE = {'/healthz'}  # answers its own 503
CONFLICTING_READS = {'/api/v1/cases/{case_id}/ai-preview'}  # 409 without an external LLM to preview


class ErrorOut(BaseModel):
    """An error: its message in the caller's language (Accept-Language, French by default) and a stable code."""

    detail: str = Field(description='What went wrong, for a person to read.')
    code: str | None = Field(default=None, description='A stable key such as `error.not_found`, for a program to '
                                                       'test (left out only by routing errors).')
    field: str | None = Field(default=None, description='The field or parameter at fault, when there is one.')


class FieldProblem(BaseModel):
    field: str = Field(description='Where: `name`, `query.owner_id`, `path.client_id`, `lines.0.product_id`…')
    message: str


class ValidationErrorOut(ErrorOut):
    """Invalid input: a request refused before it reached the service lists each field at fault in `errors`; a
    value refused by a rule of the service names it in `field`."""

    errors: list[FieldProblem] | None = Field(default=None, description='Each field at fault, with why.')


DESCRIPTIONS = {
    400: 'Malformed body: not valid JSON in UTF-8, or a multipart body that cannot be read.',
    401: 'No token, an invalid or expired one, wrong credentials, or an unsigned webhook.',
    403: 'Your role may not do this (see «Who may call it»).',
    404: "No such row in your tenant (another tenant's rows are not found either).",
    409: 'Conflict: a stale `version`, a name already taken, or a row still in use.',
    413: 'Request body too large.',
    422: 'Invalid input: `errors` (or `field`) names what to fix.',
    429: 'Too many attempts: wait the seconds given in `Retry-After`.',
    503: 'The database is busy or unreachable: try again after the seconds given in `Retry-After`.',
}


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """What an operation may answer besides success."""
    statuses = {401, 422}
    access = access_of(method, path)
    if access not in (None, Access.PUBLIC, Access.MEMBERS):
        statuses.add(403)
    body = operation.get('requestBody', {}).get('content', {})
    parameters = operation.get('parameters', [])
    if body or any(parameter['in'] == 'path' or parameter['name'].endswith('_id') for parameter in parameters):
        statuses.add(404)  # a row named by the path, a filter or an id in the body
    if method in WRITE_METHODS or path in CONFLICTING_READS:
        statuses.add(409)
    if body:
        statuses |= {400, 413}  # a body that is not what its content type says (not UTF-8, broken multipart)
    if path in RATE_LIMITED:
        statuses.add(429)
    if path not in NO_DATABASE:
        statuses.add(503)
    return statuses


def _reference(model: type[BaseModel]) -> dict[str, Any]:
    return {'application/json': {'schema': {'$ref': f'#/components/schemas/{model.__name__}'}}}


def _describe_operation(method: str, path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault('responses', {})
    responses.pop('422', None)  # FastAPI's own `{"detail": [...]}`, which api/errors.py never sends
    for status in sorted(error_statuses(method, path, operation)):
        model = ValidationErrorOut if status == 422 else ErrorOut
        responses.setdefault(str(status), {'description': DESCRIPTIONS[status], 'content': _reference(model)})
    access = access_of(method, path)
    if access is not None:
        operation['description'] = f"{operation.get('description', '')}\n\n**Who may call it:** " \
                                   f'{access.description}'.strip()


def describe(document: dict[str, Any]) -> dict[str, Any]:
    """Complete an OpenAPI document in place with the error answers and roles of every operation."""
    for path, item in document.get('paths', {}).items():
        if path in NO_DATABASE:
            continue
        for method, operation in item.items():
            if method in WRITE_METHODS | {'get'}:
                _describe_operation(method, path, operation)
    schemas = document.setdefault('components', {}).setdefault('schemas', {})
    for name in ('HTTPValidationError', 'ValidationError'):
        schemas.pop(name, None)
    _, definitions = models_json_schema([(model, 'validation') for model in (ErrorOut, ValidationErrorOut)],
                                        ref_template='#/components/schemas/{model}')
    schemas.update(definitions['$defs'])
    return document


def describe_errors(app: FastAPI) -> None:
    """Make `app.openapi()` return the completed document (generated once, then cached by FastAPI)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if not app.openapi_schema:
            describe(generate())
        return app.openapi_schema

    app.openapi = openapi
