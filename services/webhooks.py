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
from services.encryption import UnreadableSecret, reveal, seal
from services.errors import Unauthorized
from services.validation import MAX_ID

REPLAY_WINDOW_SECONDS = 300
SIGNATURE_PREFIX = 'sha256='


def webhook_secret(session: Session, actor: Actor) -> str | None:
    """The signing secret, for the admin who configures the sender (stored sealed: services.encryption)."""
    require_admin(actor)
    stored = session.get(Tenant, actor.tenant_id).webhook_secret
    return _readable(stored) if stored else None


def _readable(stored: str) -> str | None:
    try:
        return reveal(stored)
    except UnreadableSecret:
        return None  # sealed with a key no longer configured: the admin rotates it


def rotate_secret(session: Session, actor: Actor) -> str:
    """A new secret: the old one stops working at once."""
    require_admin(actor)
    tenant = session.get(Tenant, actor.tenant_id)
    secret = secrets.token_hex(32)
    tenant.webhook_secret = seal(secret)
    session.add(tenant)
    audit.record(session, actor, tenant_id=tenant.id, action=AuditAction.UPDATE, entity='tenant',
                 entity_id=tenant.id, changes={'webhook_secret': ['***', '***']})
    return secret


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify_delivery(session: Session, *, tenant_header: str | None, timestamp: str | None, signature: str | None,
                    body: bytes, now: float | None = None) -> Actor:
    """The actor a valid delivery acts as (the tenant's integration); Unauthorized otherwise, with one message
    for every failure so that a prober learns nothing."""
    # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses.
    if not (tenant_header and timestamp and signature) or not _ascii_digits(tenant_header) \
            or not _ascii_digits(timestamp):
        raise Unauthorized('error.webhook_unsigned')
    # An id past the integer column's range is no tenant (looking it up would fail in the database driver).
    tenant = session.get(Tenant, int(tenant_header)) if int(tenant_header) <= MAX_ID else None
    secret = _readable(tenant.webhook_secret) if tenant is not None and tenant.webhook_secret else None
    if tenant is None or not tenant.is_active or not secret:
        raise Unauthorized('error.webhook_signature')
    # The signature first: only a sender holding the secret may learn that its delivery came too late (checked
    # the other way round, an old timestamp told a prober which tenant ids have a secret).
    # Bytes: compare_digest refuses str with non-ASCII characters, which a header may carry.
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(),
                               signature.strip().encode('utf-8', 'replace')):
        raise Unauthorized('error.webhook_signature')
    if abs((time.time() if now is None else now) - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        raise Unauthorized('error.webhook_expired')
    return Actor(user_id=0, tenant_id=tenant.id, email='webhook', role=Role.AGENT, full_name='Webhook',
                 tenant_name=tenant.name)


def _ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()
