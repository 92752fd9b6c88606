"""Inbound webhooks: a per-tenant secret, and signed, timestamped deliveries.

A sender signs each delivery with HMAC-SHA256 over `<timestamp>.<raw body>` using the tenant's secret and sends
`X-CRM-Tenant` (the tenant id), `X-CRM-Timestamp` (Unix seconds) and `X-CRM-Signature: sha256=<hex>`. A delivery
older than five minutes (or more than five minutes in the future) is refused, so a captured request cannot be
replayed later; within that window the signature is the event's idempotency key, so a replay changes nothing.
"""

import hashlib
import hmac
import secrets
import time

from sqlmodel import Session

from db.models import AuditAction, Role, Tenant
from services import audit
from services.actor import Actor, require_admin
from services.errors import Unauthorized

REPLAY_WINDOW_SECONDS = 300
SIGNATURE_PREFIX = 'sha256='


def webhook_secret(session: Session, actor: Actor) -> str | None:
    require_admin(actor)
    return session.get(Tenant, actor.tenant_id).webhook_secret


def rotate_secret(session: Session, actor: Actor) -> str:
    """A new secret: the old one stops working at once."""
    require_admin(actor)
    tenant = session.get(Tenant, actor.tenant_id)
    tenant.webhook_secret = secrets.token_hex(32)
    session.add(tenant)
    audit.record(session, actor, tenant_id=tenant.id, action=AuditAction.UPDATE, entity='tenant',
                 entity_id=tenant.id, changes={'webhook_secret': ['***', '***']})
    return tenant.webhook_secret


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_delivery(session: Session, *, tenant_header: str | None, timestamp: str | None, signature: str | None,
                    body: bytes, now: float | None = None) -> Actor:
    """The actor a valid delivery acts as (the tenant's integration); Unauthorized otherwise, with one message
    for every failure so that a prober learns nothing."""
    if not (tenant_header and timestamp and signature) or not tenant_header.isdigit() or not timestamp.isdigit():
        raise Unauthorized('error.webhook_unsigned')
    tenant = session.get(Tenant, int(tenant_header))
    if tenant is None or not tenant.is_active or not tenant.webhook_secret:
        raise Unauthorized('error.webhook_signature')
    if abs((now or time.time()) - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise Unauthorized('error.webhook_expired')
    if not hmac.compare_digest(sign(tenant.webhook_secret, timestamp, body), signature.strip()):
        raise Unauthorized('error.webhook_signature')
    return Actor(user_id=0, tenant_id=tenant.id, email='webhook', role=Role.AGENT, full_name='Webhook',
                 tenant_name=tenant.name)
