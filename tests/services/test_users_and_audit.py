from datetime import timedelta

import pytest

from db.models import Role, utcnow
from db.session import session_scope
from services import audit, users
from services.audit import AuditFilter
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import PageRequest
from tests.factories import PASSWORD, make_tenant, make_user


def test_viewers_and_agents_cannot_manage_users(db):
    admin = make_tenant()
    for role in (Role.VIEWER, Role.AGENT, Role.MANAGER):
        member = make_user(admin, role=role)
        with session_scope() as session, pytest.raises(Forbidden):
            users.create_user(session, member, email=f'x-{role}@example.dz', password=PASSWORD, role=Role.AGENT)


def test_user_changes_are_audited_with_the_changed_fields(db):
    admin = make_tenant()
    agent = make_user(admin)
    with session_scope() as session:
        users.update_user(session, admin, agent.user_id, role=Role.MANAGER)
    with session_scope() as session:
        page = audit.list_entries(session, admin, AuditFilter(action='update'), PageRequest())
    assert page.total == 1
    entry = page.items[0]
    assert (entry.entity, entry.entity_id, entry.user_email) == ('user', agent.user_id, admin.email)
    assert entry.changes == {'role': ['agent', 'manager']}


def test_created_users_are_audited_without_their_password(db):
    admin = make_tenant()
    make_user(admin, email='new@example.dz')
    with session_scope() as session:
        page = audit.list_entries(session, admin, AuditFilter(entity='user', action='create'), PageRequest())
    created = next(item for item in page.items if item.changes['email'] == 'new@example.dz')
    assert 'password' not in created.changes and 'password_hash' not in created.changes


def test_audit_filters_by_user_and_dates_and_stays_in_the_tenant(db):
    admin_a = make_tenant('A')
    admin_b = make_tenant('B')
    make_user(admin_b)
    with session_scope() as session:
        all_a = audit.list_entries(session, admin_a, AuditFilter(), PageRequest())
        by_user = audit.list_entries(session, admin_a, AuditFilter(user_email='system'), PageRequest())
        tomorrow = (utcnow() + timedelta(days=1)).date()
        future = audit.list_entries(session, admin_a, AuditFilter(date_from=tomorrow), PageRequest())
    assert all_a.total == 2  # the tenant and its admin
    assert by_user.total == 2
    assert future.total == 0
    with session_scope() as session, pytest.raises(Forbidden):
        audit.list_entries(session, make_user(admin_a), AuditFilter(), PageRequest())


def test_own_password_change(db):
    admin = make_tenant()
    with session_scope() as session, pytest.raises(Invalid):
        users.change_own_password(session, admin, current_password='wrong-password', new_password='brand-new-pass')
    with session_scope() as session, pytest.raises(Invalid):
        users.change_own_password(session, admin, current_password=PASSWORD, new_password='short')
    with session_scope() as session:
        users.change_own_password(session, admin, current_password=PASSWORD, new_password='brand-new-pass')
    from services.login import log_in

    assert log_in(admin.email, 'brand-new-pass', source='127.0.0.1').actor is not None
    assert log_in(admin.email, PASSWORD, source='127.0.0.1').actor is None


def test_stale_version_and_foreign_tenant(db):
    admin = make_tenant('A')
    other = make_tenant('B')
    agent = make_user(admin)
    with session_scope() as session:
        current = users.get_user(session, admin, agent.user_id)
    with session_scope() as session:
        users.update_user(session, admin, agent.user_id, expected_version=current.version, full_name='Yacine')
    with session_scope() as session, pytest.raises(Conflict):
        users.update_user(session, admin, agent.user_id, expected_version=current.version, full_name='Other')
    with session_scope() as session, pytest.raises(NotFound):
        users.update_user(session, other, agent.user_id, is_active=False)


def test_a_failed_write_leaves_nothing_half_written(db):
    admin = make_tenant()
    with session_scope() as session, pytest.raises(Conflict):
        users.create_user(session, admin, email=admin.email, password=PASSWORD, role=Role.AGENT)
    with session_scope() as session:
        assert users.list_users(session, admin, PageRequest()).total == 1
        assert audit.list_entries(session, admin, AuditFilter(entity='user'), PageRequest()).total == 1
