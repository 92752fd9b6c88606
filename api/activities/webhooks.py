"""Inbound webhooks (seed 003): an external tool logs an interaction with a signed delivery, no bearer token.

The sender signs `<timestamp>.<raw body>` with the tenant's secret (see services.webhooks) and sends X-CRM-Tenant,
X-CRM-Timestamp and X-CRM-Signature. Each tenant may deliver WEBHOOK_RATE_LIMIT times per rolling
WEBHOOK_RATE_WINDOW seconds; the count is kept in this process, so each app instance counts on its own.
"""

import math
import re
import threading
import time
from collections import defaultdict, deque
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from api.deps import ActorDep, SessionDep
from api.errors import domain_error_response
from api.schemas import InteractionOut, WebhookInteractionIn, WebhookSecretOut
from services import webhooks as webhooks_service
from services.errors import DomainError
from services.interactions import create_interaction

WEBHOOK_RATE_LIMIT = 60
WEBHOOK_RATE_WINDOW = 60.0
_TENANT, _TIMESTAMP = re.compile(r'[0-9]{1,9}'), re.compile(r'[0-9]{1,12}')

router = APIRouter(tags=['webhooks'])


class RateLimited(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_key = 'error.rate_limited'


class RateLimiter:
    """Hits per key over a rolling window, thread-safe (handlers run in a thread pool)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def acquire(self, key: str, *, limit: int, window: float) -> float:
        """Count one hit: 0 when allowed, else the seconds to wait (the hit is not counted)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return hits[0] + window - now
            hits.append(now)
            return 0.0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


limiter = RateLimiter()


async def raw_body(request: Request) -> bytes:
    return await request.body()


def plain(value: str | None, pattern: re.Pattern) -> str | None:
    """A number header as ASCII digits of a sane length, or None (treated as missing): thousands of digits would
    make int() fail after the signature check."""
    return value if value is not None and pattern.fullmatch(value) else None


def payload_schema() -> dict:
    """The payload in the OpenAPI document (the handler reads the raw body: the signature covers its bytes)."""
    schema = WebhookInteractionIn.model_json_schema(ref_template='#/components/schemas/{model}')
    schema.pop('$defs', None)
    return schema


def parsed(body: bytes) -> WebhookInteractionIn:
    try:
        return WebhookInteractionIn.model_validate_json(body)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from error


@router.post('/webhooks/external-interaction', response_model=InteractionOut, status_code=status.HTTP_201_CREATED,
             summary='Log an interaction from an external tool (signed delivery; 201, and a replay of the same event '
                     'answers 201 with the same interaction)',
             openapi_extra={'requestBody': {'required': True,
                                            'content': {'application/json': {'schema': payload_schema()}}}})
def external_interaction(request: Request, session: SessionDep, body: Annotated[bytes, Depends(raw_body)],
                         tenant: Annotated[str | None, Header(alias='X-CRM-Tenant')] = None,
                         timestamp: Annotated[str | None, Header(alias='X-CRM-Timestamp')] = None,
                         signature: Annotated[str | None, Header(alias='X-CRM-Signature')] = None,
                         ) -> InteractionOut | JSONResponse:
    actor = webhooks_service.verify_delivery(session, tenant_header=plain(tenant, _TENANT), body=body,
                                             timestamp=plain(timestamp, _TIMESTAMP), signature=signature)
    wait = limiter.acquire(str(actor.tenant_id), limit=WEBHOOK_RATE_LIMIT, window=WEBHOOK_RATE_WINDOW)
    if wait:
        response = domain_error_response(request, RateLimited())
        response.headers['Retry-After'] = str(max(1, math.ceil(wait)))
        return response
    payload = parsed(body)
    key = f'webhook:{payload.event_id}' if payload.event_id else f'webhook:{signature.strip()}'
    return InteractionOut.of(create_interaction(session, actor, payload.to_input(idempotency_key=key)))


@router.get('/webhooks/secret', response_model=WebhookSecretOut, summary="The tenant's webhook secret (admins)")
def read_secret(session: SessionDep, actor: ActorDep) -> WebhookSecretOut:
    return WebhookSecretOut(tenant_id=actor.tenant_id, secret=webhooks_service.webhook_secret(session, actor))


@router.post('/webhooks/secret/rotate', response_model=WebhookSecretOut,
             summary='A new webhook secret; the old one stops working at once (admins)')
def rotate_secret(session: SessionDep, actor: ActorDep) -> WebhookSecretOut:
    return WebhookSecretOut(tenant_id=actor.tenant_id, secret=webhooks_service.rotate_secret(session, actor))
