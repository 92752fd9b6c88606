"""Logging in: password check, lockout after repeated failures, and the Actor a session or token names."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Role, Tenant, User, utcnow
from services.actor import Actor
from services.errors import Unauthorized
from services.security import hash_password, verify_password

# Verifying against a real hash when the e-mail is unknown keeps both answers equally slow.
_DUMMY_HASH = hash_password('not-a-real-password')


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 10
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginOutcome:
    """The result of a login attempt. The caller commits it whatever it says, so failures are counted."""

    actor: Actor | None = None
    error_key: str | None = None
    retry_after_minutes: int | None = None

    def actor_or_raise(self) -> Actor:
        if self.actor is None:
            raise Unauthorized(self.error_key, minutes=self.retry_after_minutes)
        return self.actor


def attempt_login(session: Session, *, email: str, password: str, policy: LoginPolicy,
                  now: datetime | None = None) -> LoginOutcome:
    now = now or utcnow()
    user = session.exec(select(User).where(func.lower(User.email) == (email or '').strip().lower())).first()
    if user is None:
        verify_password(password or '', _DUMMY_HASH)
        return LoginOutcome(error_key='error.login_failed')
    if user.locked_until is not None and user.locked_until > now:
        return LoginOutcome(error_key='error.account_locked',
                            retry_after_minutes=_minutes_until(user.locked_until, now))
    if not verify_password(password or '', user.password_hash):
        return _count_failure(session, user, policy, now)
    tenant = session.get(Tenant, user.tenant_id)
    if not user.is_active or tenant is None or not tenant.is_active:
        return LoginOutcome(error_key='error.account_disabled')
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.add(user)
    return LoginOutcome(actor=_actor(user, tenant))


def actor_for(session: Session, *, user_id: int, tenant_id: int) -> Actor | None:
    """The Actor of an active user, or None when the user is gone, disabled or moved."""
    user = session.get(User, user_id)
    if user is None or user.tenant_id != tenant_id or not user.is_active:
        return None
    tenant = session.get(Tenant, tenant_id)
    if tenant is None or not tenant.is_active:
        return None
    return _actor(user, tenant)


def _count_failure(session: Session, user: User, policy: LoginPolicy, now: datetime) -> LoginOutcome:
    user.failed_logins += 1
    if user.failed_logins >= policy.max_failures:
        user.failed_logins, user.locked_until = 0, now + policy.lockout
        session.add(user)
        return LoginOutcome(error_key='error.account_locked',
                            retry_after_minutes=_minutes_until(user.locked_until, now))
    session.add(user)
    return LoginOutcome(error_key='error.login_failed')


def _minutes_until(moment: datetime, now: datetime) -> int:
    return max(1, -(-int((moment - now).total_seconds()) // 60))


def _actor(user: User, tenant: Tenant) -> Actor:
    return Actor(user_id=user.id, tenant_id=user.tenant_id, email=user.email, role=Role(user.role),
                 full_name=user.full_name, tenant_name=tenant.name, language=user.language)
