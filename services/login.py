"""One login attempt as a unit of work: the outcome (failures included) is committed before it is used."""

from datetime import timedelta

from db.session import session_scope
from services.auth import LoginOutcome, LoginPolicy, attempt_login
from settings import get_settings


def login_policy() -> LoginPolicy:
    settings = get_settings()
    return LoginPolicy(max_failures=settings.login_max_failures,
                       lockout=timedelta(minutes=settings.login_lockout_minutes))


def log_in(email: str, password: str) -> LoginOutcome:
    with session_scope() as session:
        return attempt_login(session, email=email, password=password, policy=login_policy())
