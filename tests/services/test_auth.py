from datetime import timedelta

import pytest

from db.models import Role, utcnow
from db.session import session_scope
from services.auth import LoginPolicy, attempt_login
from services.errors import Unauthorized
from tests.factories import PASSWORD, make_tenant, make_user

POLICY = LoginPolicy(max_failures=10, lockout=timedelta(minutes=15))


def _login(email: str, password: str, **kwargs):
    with session_scope() as session:
        return attempt_login(session, email=email, password=password, policy=POLICY, **kwargs)


def test_login_with_right_password_names_the_user_and_tenant(db):
    admin = make_tenant('Cabinet Alger')
    outcome = _login(admin.email.upper(), PASSWORD)
    assert outcome.actor is not None
    assert outcome.actor.tenant_name == 'Cabinet Alger'
    assert outcome.actor.role == Role.ADMIN


def test_wrong_password_and_unknown_user_get_the_same_answer(db):
    admin = make_tenant()
    assert _login(admin.email, 'wrong-password').error_key == 'error.login_failed'
    assert _login('nobody@example.dz', PASSWORD).error_key == 'error.login_failed'
    with pytest.raises(Unauthorized):
        _login('nobody@example.dz', PASSWORD).actor_or_raise()


def test_ten_failures_lock_the_account_for_fifteen_minutes(db):
    admin = make_tenant()
    for _ in range(9):
        assert _login(admin.email, 'bad').error_key == 'error.login_failed'
    tenth = _login(admin.email, 'bad')
    assert tenth.error_key == 'error.account_locked'
    assert tenth.retry_after_minutes == 15
    locked = _login(admin.email, PASSWORD)
    assert locked.actor is None and locked.error_key == 'error.account_locked'
    later = _login(admin.email, PASSWORD, now=utcnow() + timedelta(minutes=16))
    assert later.actor is not None


def test_a_success_resets_the_failure_count(db):
    admin = make_tenant()
    for _ in range(9):
        _login(admin.email, 'bad')
    assert _login(admin.email, PASSWORD).actor is not None
    assert _login(admin.email, 'bad').error_key == 'error.login_failed'


def test_a_deactivated_user_cannot_log_in(db):
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    from services.users import update_user

    with session_scope() as session:
        update_user(session, admin, agent.user_id, is_active=False)
    assert _login(agent.email, PASSWORD).error_key == 'error.account_disabled'
