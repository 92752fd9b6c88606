from datetime import timedelta

import pytest

from db.models import Role, SignInFailure, utcnow
from db.session import session_scope
from services.auth import LoginPolicy, attempt_login
from services.errors import TooManyAttempts, Unauthorized
from services.throttle import DatabaseThrottle, ThrottlePolicy
from services.users import update_user
from tests.factories import PASSWORD, count_rows, make_tenant, make_user

POLICY = LoginPolicy(max_failures=10, lockout=timedelta(minutes=15))
ADDRESS_POLICY = ThrottlePolicy(max_failures=10, window=timedelta(minutes=5))
LOOSE_ADDRESS_POLICY = ThrottlePolicy(max_failures=1000, window=timedelta(minutes=5))


def _login(email: str, password: str, *, source: str = '198.51.100.1', address_policy=LOOSE_ADDRESS_POLICY,
           **kwargs):
    with session_scope() as session:
        return attempt_login(session, email=email, password=password, source=source, policy=POLICY,
                             throttle=DatabaseThrottle(session, address_policy), **kwargs)


def test_login_with_right_password_names_the_user_and_tenant(db):
    admin = make_tenant('Cabinet Alger')
    outcome = _login(admin.email.upper(), PASSWORD)
    assert outcome.actor is not None
    assert outcome.actor.tenant_name == 'Cabinet Alger'
    assert outcome.actor.role == Role.ADMIN
    assert outcome.session_version == 1


def test_unknown_wrong_locked_and_disabled_accounts_get_the_same_answer(db):
    admin = make_tenant()
    disabled = make_user(admin)
    with session_scope() as session:
        update_user(session, admin, disabled.user_id, is_active=False)
    locked = make_user(admin)
    for _ in range(10):
        _login(locked.email, 'bad-password')
    answers = [_login('nobody@example.dz', PASSWORD), _login(admin.email, 'wrong-password'),
               _login(locked.email, PASSWORD), _login(disabled.email, PASSWORD)]
    assert {(outcome.actor, outcome.error_key, outcome.retry_after_seconds) for outcome in answers} == \
        {(None, 'error.login_failed', None)}
    for outcome in answers:
        with pytest.raises(Unauthorized) as raised:
            outcome.actor_or_raise()
        assert raised.value.key == 'error.login_failed' and raised.value.params == {}


def test_ten_failures_lock_the_account_for_fifteen_minutes(db):
    admin = make_tenant()
    for _ in range(10):
        assert _login(admin.email, 'bad').error_key == 'error.login_failed'
    locked = _login(admin.email, PASSWORD)
    assert locked.actor is None and locked.error_key == 'error.login_failed'
    assert _login(admin.email, PASSWORD, now=utcnow() + timedelta(minutes=14)).actor is None
    assert _login(admin.email, PASSWORD, now=utcnow() + timedelta(minutes=16)).actor is not None


def test_a_success_resets_the_failure_count(db):
    admin = make_tenant()
    for _ in range(9):
        _login(admin.email, 'bad')
    assert _login(admin.email, PASSWORD).actor is not None
    for _ in range(9):
        _login(admin.email, 'bad')
    assert _login(admin.email, PASSWORD).actor is not None


def test_ten_failures_from_one_address_pause_it_for_five_minutes(db):
    admin = make_tenant()
    now = utcnow()
    for number in range(10):
        outcome = _login(f'guess{number}@example.dz', 'password1', source='203.0.113.7',
                         address_policy=ADDRESS_POLICY, now=now + timedelta(seconds=number))
        assert outcome.error_key == 'error.login_failed'
    paused = _login(admin.email, PASSWORD, source='203.0.113.7', address_policy=ADDRESS_POLICY,
                    now=now + timedelta(seconds=30))
    assert paused.actor is None and paused.error_key == 'error.too_many_attempts'
    assert paused.retry_after_seconds == 5 * 60 - 30 and paused.retry_after_minutes == 5
    with pytest.raises(TooManyAttempts) as raised:
        paused.actor_or_raise()
    assert raised.value.status_code == 429 and raised.value.retry_after_seconds == 270
    other = _login(admin.email, PASSWORD, source='203.0.113.8', address_policy=ADDRESS_POLICY,
                   now=now + timedelta(seconds=30))
    assert other.actor is not None
    later = _login(admin.email, PASSWORD, source='203.0.113.7', address_policy=ADDRESS_POLICY,
                   now=now + timedelta(minutes=5, seconds=1))
    assert later.actor is not None


def test_paused_attempts_are_not_counted_and_old_failures_are_pruned(db):
    now = utcnow()
    for number in range(10):
        _login('ghost@example.dz', 'bad', source='203.0.113.9', address_policy=ADDRESS_POLICY,
               now=now + timedelta(seconds=number))
    for _ in range(5):
        assert _login('ghost@example.dz', 'bad', source='203.0.113.9', address_policy=ADDRESS_POLICY,
                      now=now + timedelta(seconds=20)).error_key == 'error.too_many_attempts'
    assert count_rows(SignInFailure, source='203.0.113.9') == 10
    _login('ghost@example.dz', 'bad', source='203.0.113.10', address_policy=ADDRESS_POLICY,
           now=now + timedelta(minutes=6))
    assert count_rows(SignInFailure) == 1
