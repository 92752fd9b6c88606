"""Inbound webhooks: the tenant's secret and signed, timestamped deliveries — on SQLite and PostgreSQL."""

import hashlib
import hmac
import time

import pytest
from sqlmodel import col, select

from db.models import AuditLog, Role, Tenant
from db.session import session_scope
from services import webhooks
from services.errors import Forbidden, Unauthorized
from tests.factories import make_tenant, make_user

BODY = b'{"event": "call.ended", "client_id": 12}'
NOW = 1_767_225_600  # 2026-01-01 00:00 UTC


def _rotate(actor) -> str:
    with session_scope() as session:
        return webhooks.rotate_secret(session, actor)


def _verify(tenant_id: int | str | None, timestamp: int | str | None, signature: str | None, body: bytes = BODY,
            now: float | None = NOW):
    with session_scope() as session:
        return webhooks.verify_delivery(session, tenant_header=None if tenant_id is None else str(tenant_id),
                                        timestamp=None if timestamp is None else str(timestamp),
                                        signature=signature, body=body, now=now)


def _refused(*args, **options) -> str:
    with pytest.raises(Unauthorized) as error:
        _verify(*args, **options)
    return error.value.key


def test_sign_is_hmac_sha256_over_timestamp_and_body():
    expected = hmac.new(b'secret', b'1700000000.' + BODY, hashlib.sha256).hexdigest()
    assert webhooks.sign('secret', 1_700_000_000, BODY) == f'sha256={expected}'
    assert webhooks.sign('secret', '1700000000', BODY) == webhooks.sign('secret', 1_700_000_000, BODY)


def test_only_admins_see_and_rotate_the_secret(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    for role in (Role.MANAGER, Role.AGENT, Role.VIEWER):
        user = make_user(admin, role=role)
        with session_scope() as session, pytest.raises(Forbidden):
            webhooks.rotate_secret(session, user)
        with session_scope() as session, pytest.raises(Forbidden):
            webhooks.webhook_secret(session, user)
    with session_scope() as session:
        assert webhooks.webhook_secret(session, admin) is None
    first = _rotate(admin)
    assert len(first) == 64 and int(first, 16) >= 0
    second = _rotate(admin)
    assert second != first
    with session_scope() as session:
        assert webhooks.webhook_secret(session, admin) == second
        assert webhooks.webhook_secret(session, other) is None
        audits = session.exec(select(AuditLog).where(AuditLog.tenant_id == admin.tenant_id,
                                                     AuditLog.entity == 'tenant', AuditLog.action == 'update')
                              .order_by(col(AuditLog.id))).all()
    assert [(a.user_id, a.entity_id, a.changes) for a in audits] == [
        (admin.user_id, admin.tenant_id, {'webhook_secret': ['***', '***']})] * 2
    assert all(first not in str(a.changes) and second not in str(a.changes) for a in audits)


def test_a_delivery_signed_with_the_current_secret_is_accepted(db):
    admin = make_tenant('Cabinet Signé')
    secret = _rotate(admin)
    actor = _verify(admin.tenant_id, NOW, webhooks.sign(secret, NOW, BODY))
    assert (actor.tenant_id, actor.user_id, actor.role, actor.email, actor.tenant_name) == (
        admin.tenant_id, 0, Role.AGENT, 'webhook', 'Cabinet Signé')
    assert actor.can_write and not actor.is_admin
    assert _verify(admin.tenant_id, NOW, ' ' + webhooks.sign(secret, NOW, BODY) + ' ').tenant_id == admin.tenant_id
    assert _verify(admin.tenant_id, NOW, webhooks.sign(secret, NOW, b''), body=b'').tenant_id == admin.tenant_id
    current = int(time.time())  # without `now`, the clock decides
    assert _verify(admin.tenant_id, current, webhooks.sign(secret, current, BODY), now=None).tenant_id == \
        admin.tenant_id


def test_a_wrong_signature_is_refused(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    secret = _rotate(admin)
    other_secret = _rotate(other)
    good = webhooks.sign(secret, NOW, BODY)
    wrong = [
        webhooks.sign(other_secret, NOW, BODY),  # another tenant's secret
        webhooks.sign(secret, NOW, BODY + b' '),  # another body
        webhooks.sign(secret, NOW - 1, BODY),  # another timestamp
        good.removeprefix('sha256='),  # no prefix
        good.upper(),
        good[:-1],
        'sha256=' + 'é' * 64,  # a header may carry any latin-1 character
    ]
    for signature in wrong:
        assert _refused(admin.tenant_id, NOW, signature) == 'error.webhook_signature', signature
    assert _refused(other.tenant_id, NOW, good) == 'error.webhook_signature'  # A's signature, B's id
    _rotate(admin)
    assert _refused(admin.tenant_id, NOW, good) == 'error.webhook_signature'  # the old secret stopped at once


def test_missing_or_malformed_headers_are_refused(db):
    admin = make_tenant()
    secret = _rotate(admin)
    good = webhooks.sign(secret, NOW, BODY)
    for tenant_id, timestamp, signature in ((None, NOW, good), (admin.tenant_id, None, good),
                                            (admin.tenant_id, NOW, None), ('', NOW, good), (admin.tenant_id, '', good),
                                            (admin.tenant_id, NOW, ''), ('abc', NOW, good), ('-1', NOW, good),
                                            (admin.tenant_id, '-5', good), (admin.tenant_id, f'{NOW}.5', good),
                                            ('²', NOW, good), (admin.tenant_id, '١٢٣', good)):
        assert _refused(tenant_id, timestamp, signature) == 'error.webhook_unsigned'


def test_a_delivery_outside_the_five_minute_window_is_refused(db):
    admin = make_tenant()
    secret = _rotate(admin)
    signed = webhooks.sign(secret, NOW, BODY)
    for now in (NOW + 300, NOW - 300, NOW + 0.5):
        assert _verify(admin.tenant_id, NOW, signed, now=now).tenant_id == admin.tenant_id
    for now in (NOW + 301, NOW - 301, NOW + 86_400):
        assert _refused(admin.tenant_id, NOW, signed, now=now) == 'error.webhook_expired'
    assert _refused(admin.tenant_id, 0, webhooks.sign(secret, 0, BODY), now=None) == 'error.webhook_expired'


def test_unknown_inactive_or_secretless_tenants_are_refused_alike(db):
    admin = make_tenant('A')
    secretless = make_tenant('B')
    secret = _rotate(admin)
    signed = webhooks.sign(secret, NOW, BODY)
    for tenant_id in (999_999, 2**31, 10**30, secretless.tenant_id):
        assert _refused(tenant_id, NOW, signed) == 'error.webhook_signature'
        # an old timestamp tells a prober nothing more: only the secret's holder learns it is late
        assert _refused(tenant_id, NOW - 3600, signed) == 'error.webhook_signature'
    assert _refused(admin.tenant_id, NOW - 3600, signed) == 'error.webhook_signature'
    with session_scope() as session:
        tenant = session.get(Tenant, admin.tenant_id)
        tenant.is_active = False
        session.add(tenant)
    assert _refused(admin.tenant_id, NOW, signed) == 'error.webhook_signature'


def test_the_signing_secret_is_stored_sealed_and_still_verifies(db):
    admin = make_tenant()
    secret = _rotate(admin)
    with session_scope() as session:
        stored = session.get(Tenant, admin.tenant_id).webhook_secret
    assert stored.startswith('enc:') and secret not in stored
    body = b'{"type": "email"}'
    timestamp = str(int(time.time()))
    with session_scope() as session:
        actor = webhooks.verify_delivery(session, tenant_header=str(admin.tenant_id), timestamp=timestamp,
                                         signature=webhooks.sign(secret, timestamp, body), body=body)
    assert actor.tenant_id == admin.tenant_id
