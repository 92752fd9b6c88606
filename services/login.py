"""One login attempt as a unit of work: the outcome (failures included) is committed before it is used."""

from datetime import timedelta

from sqlmodel import Session

from db.session import session_scope
from services.auth import LoginOutcome, LoginPolicy, attempt_login
from services.throttle import DatabaseThrottle, SignInThrottle, ThrottlePolicy
from settings import get_settings


def login_policy() -> LoginPolicy:
    settings = get_settings()
    return LoginPolicy(max_failures=settings.login_max_failures,
                       lockout=timedelta(minutes=settings.login_lockout_minutes))


def sign_in_throttle(session: Session) -> SignInThrottle:
    """The per-address limit of the settings, counted in the database."""
    settings = get_settings()
    return DatabaseThrottle(session, ThrottlePolicy(max_failures=settings.login_address_max_failures,
                                                    window=timedelta(minutes=settings.login_address_window_minutes)))


def log_in(email: str, password: str, *, source: str | None) -> LoginOutcome:
    """Sign-in from the address `source` (the request's client address; None counts as one unknown address)."""
    with session_scope() as session:
        return attempt_login(session, email=email, password=password, source=source or '', policy=login_policy(),
                             throttle=sign_in_throttle(session))
