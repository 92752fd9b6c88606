"""API tokens and browser sessions end when they must: password changed or reset, role changed, account
deactivated, user deleted (and its id never comes back to a new user)."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from db.models import Role, User
from db.session import session_scope
from services import users
from services.auth import actor_for, actor_for_token
from services.errors import Unauthorized
from services.login import log_in
from services.security import TOKEN_ALGORITHM, issue_token
from settings import get_settings
from tests.factories import PASSWORD, make_tenant, make_user

NEW_PASSWORD = 'un-autre-mot-de-passe-7'


def _token(email: str, password: str = PASSWORD) -> str:
    outcome = log_in(email, password, source='192.0.2.1')
    actor = outcome.actor_or_raise()
    return issue_token(user_id=actor.user_id, tenant_id=actor.tenant_id, session_version=outcome.session_version,
                       secret_key=get_settings().secret_key, expiry_hours=1)


def _works(token: str) -> bool:
    with session_scope() as session:
        try:
            actor_for_token(session, token, secret_key=get_settings().secret_key)
        except Unauthorized as error:
            assert error.key == 'error.token_invalid'
            return False
    return True


def test_changing_the_own_password_ends_the_earlier_tokens(db):
    admin = make_tenant()
    old = _token(admin.email)
    with session_scope() as session:
        version = users.change_own_password(session, admin, current_password=PASSWORD, new_password=NEW_PASSWORD)
    assert version == 2
    assert not _works(old)
    assert _works(_token(admin.email, NEW_PASSWORD))


@pytest.mark.parametrize('change', [
    pytest.param(lambda session, admin, agent: users.reset_password(session, admin, agent.user_id,
                                                                    new_password=NEW_PASSWORD), id='reset'),
    pytest.param(lambda session, admin, agent: users.update_user(session, admin, agent.user_id, role=Role.VIEWER),
                 id='role'),
    pytest.param(lambda session, admin, agent: users.update_user(session, admin, agent.user_id, is_active=False),
                 id='deactivation'),
])
def test_an_admin_change_ends_the_user_tokens(db, change):
    admin = make_tenant()
    agent = make_user(admin)
    token = _token(agent.email)
    admin_token = _token(admin.email)
    with session_scope() as session:
        change(session, admin, agent)
    assert not _works(token)
    assert _works(admin_token)


def test_a_new_name_keeps_the_tokens(db):
    admin = make_tenant()
    agent = make_user(admin)
    token = _token(agent.email)
    with session_scope() as session:
        users.update_user(session, admin, agent.user_id, full_name='Nouveau Nom')
    assert _works(token)


def test_a_reset_lifts_the_lock_and_the_new_password_works(db):
    admin = make_tenant()
    agent = make_user(admin)
    for _ in range(10):
        log_in(agent.email, 'bad-password', source=f'192.0.2.{_ + 10}')
    assert log_in(agent.email, PASSWORD, source='192.0.2.99').actor is None
    with session_scope() as session:
        read = users.reset_password(session, admin, agent.user_id, new_password=NEW_PASSWORD)
    assert read.is_locked is False
    assert log_in(agent.email, NEW_PASSWORD, source='192.0.2.99').actor is not None


def test_browser_sessions_check_the_version_too(db):
    admin = make_tenant()
    with session_scope() as session:
        assert actor_for(session, user_id=admin.user_id, tenant_id=admin.tenant_id, session_version=1) is not None
        assert actor_for(session, user_id=admin.user_id, tenant_id=admin.tenant_id, session_version=None) is None
        users.change_own_password(session, admin, current_password=PASSWORD, new_password=NEW_PASSWORD)
    with session_scope() as session:
        assert actor_for(session, user_id=admin.user_id, tenant_id=admin.tenant_id, session_version=1) is None
        assert actor_for(session, user_id=admin.user_id, tenant_id=admin.tenant_id, session_version=2) is not None


def test_a_token_without_a_session_version_is_refused(db):
    admin = make_tenant()
    now = datetime.now(UTC)
    unversioned = jwt.encode({'sub': str(admin.user_id), 'tid': admin.tenant_id, 'iat': now,
                              'exp': now + timedelta(hours=1)}, get_settings().secret_key, algorithm=TOKEN_ALGORITHM)
    assert not _works(unversioned)


def test_a_deleted_user_id_never_comes_back_to_life(db):
    """On SQLite, without AUTOINCREMENT, the next user would get the deleted (highest) id, and the old token, whose
    session version is also 1, would name the new user."""
    admin = make_tenant()
    leaving = make_user(admin, email='leaving@example.dz')
    token = _token(leaving.email)
    with session_scope() as session:
        session.delete(session.get(User, leaving.user_id))
    newcomer = make_user(admin, email='newcomer@example.dz')
    assert newcomer.user_id > leaving.user_id
    assert not _works(token)
    assert _works(_token(newcomer.email))
