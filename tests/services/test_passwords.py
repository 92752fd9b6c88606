"""The password policy holds wherever a password is set: creation, own change, admin reset, first start, CLI."""

import pytest

from cli import run
from db.models import User
from db.session import session_scope
from services import users
from services.bootstrap import first_start
from services.errors import Invalid
from services.login import log_in
from services.passwords import check_password, common_passwords
from settings import Settings
from tests.factories import PASSWORD, count_rows, make_tenant, make_user


@pytest.mark.parametrize(('password', 'key'), [
    ('', 'error.password_blank'), (' ' * 8, 'error.password_blank'), ('\t \n' * 4, 'error.password_blank'),
    ('court', 'error.password_too_short'), ('x' * 201, 'error.password_too_long'),
    ('password', 'error.password_common'), ('PassWord1', 'error.password_common'),
    ('  azertyuiop  ', 'error.password_common'), ('motdepasse', 'error.password_common'),
    ('Karim.Haddad@Example.dz', 'error.password_personal'), ('karim.haddad', 'error.password_personal'),
    ('Karim  Haddad', 'error.password_personal'), ('karimhaddad', 'error.password_personal'),
])
def test_refused_passwords(password, key):
    with pytest.raises(Invalid) as raised:
        check_password(password, field='new_password', email='karim.haddad@example.dz', full_name='Karim Haddad')
    assert raised.value.key == key and raised.value.field == 'new_password'


@pytest.mark.parametrize('password', [PASSWORD, 'demo-crm-2026', 'Karim Haddad 1987!', ' le chat de Félix '])
def test_accepted_passwords(password):
    check_password(password, email='karim.haddad@example.dz', full_name='Karim Haddad')


def test_the_shipped_list_is_the_common_one():
    words = common_passwords()
    assert len(words) > 19_000
    assert {'123456', 'password', 'qwerty', 'azerty', 'iloveyou', 'soleil'} <= words
    assert all(word == word.lower() for word in words)


def test_creation_and_reset_refuse_a_common_password(db):
    admin = make_tenant()
    agent = make_user(admin)
    with session_scope() as session, pytest.raises(Invalid) as raised:
        users.create_user(session, admin, email='new@example.dz', password='iloveyou1', role='agent')
    assert raised.value.field == 'password'
    assert count_rows(User, email='new@example.dz') == 0
    with session_scope() as session, pytest.raises(Invalid) as raised:
        users.reset_password(session, admin, agent.user_id, new_password=' ' * 10)
    assert raised.value.key == 'error.password_blank'
    assert log_in(agent.email, PASSWORD, source='127.0.0.1').actor is not None


def test_own_change_refuses_the_own_email(db):
    admin = make_tenant()
    with session_scope() as session, pytest.raises(Invalid) as raised:
        users.change_own_password(session, admin, current_password=PASSWORD, new_password=admin.email.upper())
    assert (raised.value.key, raised.value.field) == ('error.password_personal', 'new_password')
    assert log_in(admin.email, PASSWORD, source='127.0.0.1').actor is not None


def test_first_start_refuses_a_common_admin_password(db):
    settings = Settings(admin_password='password123', demo_data=False)
    with session_scope() as session, pytest.raises(Invalid) as raised:
        first_start(session, settings)
    assert (raised.value.key, raised.value.field) == ('error.password_common', 'CRM_ADMIN_PASSWORD')
    assert count_rows(User) == 0


def test_cli_refuses_weak_passwords_and_resets_one(db, capsys):
    assert run(['tenant', 'create', '--name', 'Cabinet Oran', '--admin-email', 'boss@oran.dz',
                '--admin-password', 'qwertyuiop']) == 2
    assert capsys.readouterr().err.strip() == 'crm: password: ' + \
        'This password is too common (it appears in lists of leaked passwords): choose another one.'
    admin = make_tenant(admin_email='boss@oran.dz')
    assert run(['user', 'password', '--email', 'BOSS@oran.dz', '--password', 'password1']) == 2
    assert run(['user', 'password', '--email', 'boss@oran.dz', '--password', 'nouveau-secret-2026']) == 0
    assert 'Password of boss@oran.dz changed' in capsys.readouterr().out
    assert log_in(admin.email, 'nouveau-secret-2026', source='127.0.0.1').actor is not None
    assert log_in(admin.email, PASSWORD, source='127.0.0.1').actor is None
