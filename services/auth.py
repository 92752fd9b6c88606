"""Signing in: password check, limits on repeated failures, and the Actor a session or token names.

Every refusal of a password says the same thing (unknown e-mail, wrong password, locked or disabled account) and
costs the same (one password hash check, one failure written), so nobody can tell which addresses have an account.
Only the per-address pause says something else: it says nothing about any account.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from db.models import Role, Tenant, User, utcnow
from services.actor import Actor
from services.errors import TooManyAttempts, Unauthorized
from services.security import hash_password, read_token, verify_password
from services.throttle import SignInThrottle

# Verifying against a real hash when the e-mail is unknown keeps both answers equally slow.
_DUMMY_HASH = hash_password('not-a-real-password')
LOGIN_FAILED = 'error.login_failed'
TOO_MANY_ATTEMPTS = 'error.too_many_attempts'


@dataclass(frozen=True)
class LoginPolicy:
    """The per-account lock: after `max_failures` wrong passwords in a row, the account refuses every password
    for `lockout` (without saying so)."""

    max_failures: int = 10
    lockout: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginOutcome:
    """The result of a login attempt. The caller commits it whatever it says, so failures are counted."""

    actor: Actor | None = None
    error_key: str | None = None
    retry_after_seconds: int | None = None
    session_version: int | None = None

    @property
    def retry_after_minutes(self) -> int | None:
        return None if self.retry_after_seconds is None else -(-self.retry_after_seconds // 60)

    def actor_or_raise(self) -> Actor:
        if self.actor is not None:
            return self.actor
        if self.error_key == TOO_MANY_ATTEMPTS:
            raise TooManyAttempts(retry_after_seconds=self.retry_after_seconds, minutes=self.retry_after_minutes)
        raise Unauthorized(self.error_key)


def attempt_login(session: Session, *, email: str, password: str, source: str, policy: LoginPolicy,
                  throttle: SignInThrottle, now: datetime | None = None) -> LoginOutcome:
    now = now or utcnow()
    wait = throttle.retry_after(source, now)
    if wait is not None:
        return LoginOutcome(error_key=TOO_MANY_ATTEMPTS, retry_after_seconds=wait)
    user = session.exec(select(User).where(func.lower(User.email) == (email or '').strip().lower())).first()
    password_ok = verify_password(password or '', user.password_hash if user is not None else _DUMMY_HASH)
    tenant = session.get(Tenant, user.tenant_id) if user is not None else None
    if user is None or tenant is None or not password_ok or not _may_sign_in(user, tenant, now):
        throttle.record_failure(source, now)
        if user is not None and not password_ok and not _is_locked(user, now):
            _count_failure(session, user, policy, now)
        return LoginOutcome(error_key=LOGIN_FAILED)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    session.add(user)
    return LoginOutcome(actor=_actor(user, tenant), session_version=user.session_version)


def actor_for(session: Session, *, user_id: int, tenant_id: int, session_version: int | None) -> Actor | None:
    """The Actor of an active user, or None when the user is gone, disabled or moved, or when the session or token
    was opened before its sign-ins were ended (password, role or activation changed)."""
    user = session.get(User, user_id)
    if user is None or user.tenant_id != tenant_id or not user.is_active or session_version != user.session_version:
        return None
    tenant = session.get(Tenant, tenant_id)
    if tenant is None or not tenant.is_active:
        return None
    return _actor(user, tenant)


def trusted_actor(session: Session, *, user_id: int, tenant_id: int) -> Actor | None:
    """The Actor of an active user, for code that already knows who acts and has no session or token to check
    (command line, benches, tests); None when the user is gone, disabled or moved."""
    user = session.get(User, user_id)
    if user is None:
        return None
    return actor_for(session, user_id=user_id, tenant_id=tenant_id, session_version=user.session_version)


def actor_for_token(session: Session, token: str, *, secret_key: str) -> Actor:
    """The Actor an API token names; Unauthorized for a bad, expired or revoked one."""
    claims = read_token(token, secret_key=secret_key)
    actor = actor_for(session, user_id=claims.user_id, tenant_id=claims.tenant_id,
                      session_version=claims.session_version)
    if actor is None:
        raise Unauthorized('error.token_invalid')
    return actor


def end_sign_ins(user: User) -> None:
    """End every API token and browser session of `user` (the caller saves the user)."""
    user.session_version += 1


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _may_sign_in(user: User, tenant: Tenant, now: datetime) -> bool:
    return user.is_active and tenant.is_active and not _is_locked(user, now)


def _count_failure(session: Session, user: User, policy: LoginPolicy, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= policy.max_failures:
        user.failed_logins, user.locked_until = 0, now + policy.lockout
    session.add(user)


def _actor(user: User, tenant: Tenant) -> Actor:
    return Actor(user_id=user.id, tenant_id=user.tenant_id, email=user.email, role=Role(user.role),
                 full_name=user.full_name, tenant_name=tenant.name, language=user.language)
