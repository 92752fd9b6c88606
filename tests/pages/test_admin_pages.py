from nicegui.testing import User

from db.models import Role
from db.models import User as UserRow
from db.session import session_scope
from services.users import get_user
from tests.factories import PASSWORD, count_rows, make_tenant, make_user
from tests.pages.helpers import PATIENT, field_value, sign_in


async def test_admin_creates_a_user_who_can_then_sign_in(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/users')
    await user.should_see(marker=f'user-row-{admin.email}', retries=PATIENT)
    user.find(marker='users-new').click()
    user.find(marker='new-user-email').type('karim@example.dz')
    user.find(marker='new-user-name').type('Karim Haddad')
    user.find(marker='new-user-password').clear().type('temporary-pass-1')
    user.find(marker='new-user-save').click()
    await user.should_see(marker='user-row-karim@example.dz', retries=PATIENT)
    from services.login import log_in

    assert log_in('karim@example.dz', 'temporary-pass-1', source='127.0.0.1').actor.role == Role.AGENT


async def test_bad_input_in_the_create_dialog_is_explained(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/users')
    user.find(marker='users-new').click()
    user.find(marker='new-user-email').type('not-an-email')
    user.find(marker='new-user-save').click()
    await user.should_see('Adresse e-mail invalide.', retries=PATIENT)
    user.find(marker='new-user-email').clear().type(admin.email)
    user.find(marker='new-user-save').click()
    await user.should_see('Cette adresse e-mail est déjà utilisée.', retries=PATIENT)


async def test_deactivation_asks_for_confirmation(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, email='agent@example.dz')
    await sign_in(user, admin.email)
    await user.open('/admin/users')
    user.find(marker='edit-agent@example.dz').click()
    user.find(marker='edit-user-active').click()
    user.find(marker='edit-user-save').click()
    await user.should_see('Désactiver ce compte ?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await user.should_see('Désactivé', retries=PATIENT)
    with session_scope() as session:
        assert get_user(session, admin, agent.user_id).is_active is False


async def test_tenant_a_admin_sees_only_its_own_users(user: User, sqlite_db) -> None:
    admin_a = make_tenant('Cabinet A')
    admin_b = make_tenant('Cabinet B')
    make_user(admin_b, email='b-agent@example.dz')
    await sign_in(user, admin_a.email)
    await user.open('/admin/users')
    await user.should_see(marker=f'user-row-{admin_a.email}', retries=PATIENT)
    await user.should_not_see(marker='user-row-b-agent@example.dz')
    await user.should_not_see(marker=f'user-row-{admin_b.email}')
    await user.should_not_see('Cabinet B')


async def test_non_admins_get_a_clear_refusal(user: User, sqlite_db) -> None:
    admin = make_tenant()
    viewer = make_user(admin, role=Role.VIEWER)
    await sign_in(user, viewer.email)
    await user.open('/admin/users')
    await user.should_see('Réservé aux administrateurs.', retries=PATIENT)
    await user.should_not_see(marker='users-new')
    await user.open('/admin/audit')
    await user.should_see('Réservé aux administrateurs.', retries=PATIENT)


async def test_audit_log_lists_the_changes(user: User, sqlite_db) -> None:
    admin = make_tenant()
    make_user(admin, email='logged@example.dz')
    await sign_in(user, admin.email)
    await user.open('/admin/audit')
    await user.should_see(marker='audit-table', retries=PATIENT)
    table = user.find(marker='audit-table').elements.pop()
    for _ in range(PATIENT):
        if table.rows:
            break
        await user.should_see(marker='audit-table')
    changes = ' '.join(row['changes'] for row in table.rows)
    assert 'logged@example.dz' in changes
    assert table.pagination['rowsNumber'] == 3


async def test_change_own_password(user: User, sqlite_db) -> None:
    """The new password works, this browser stays signed in, and what was signed in before elsewhere is not."""
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/account')
    user.find(marker='current-password').type(PASSWORD)
    user.find(marker='new-password').type('password1')
    user.find(marker='repeat-password').type('password1')
    user.find(marker='change-password').click()
    await user.should_see('Ce mot de passe est trop courant', retries=PATIENT)
    assert user.find(marker='new-password').elements.pop().error.startswith('Ce mot de passe est trop courant')
    user.find(marker='new-password').clear().type('a-new-password')
    user.find(marker='repeat-password').clear().type('a-new-password')
    user.find(marker='change-password').click()
    await field_value(user, 'current-password', lambda value: value == '')  # changed: the form is emptied
    from services.login import log_in

    assert log_in(admin.email, 'a-new-password', source='127.0.0.1').actor is not None
    with session_scope() as session:
        assert session.get(UserRow, admin.user_id).session_version == 2
    await user.open('/account')
    await user.should_see(marker='change-password', retries=PATIENT)


async def test_a_common_password_is_refused_next_to_the_field(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/users')
    user.find(marker='users-new').click()
    user.find(marker='new-user-email').type('karim@example.dz')
    user.find(marker='new-user-password').clear().type('azerty123')
    user.find(marker='new-user-save').click()
    await user.should_see('Ce mot de passe est trop courant', retries=PATIENT)
    assert user.find(marker='new-user-password').elements.pop().error == (
        'Ce mot de passe est trop courant (il figure dans les listes de mots de passe divulgués) : '
        'choisissez-en un autre.')
    assert count_rows(UserRow, email='karim@example.dz') == 0


async def test_an_admin_resets_a_password_and_the_user_sessions_end(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, email='agent@example.dz')
    with session_scope() as session:
        before = session.get(UserRow, agent.user_id).session_version
    await sign_in(user, admin.email)
    await user.open('/admin/users')
    user.find(marker='edit-agent@example.dz').click()
    user.find(marker='reset-password-value').clear().type('        ')
    user.find(marker='reset-password-save').click()
    await user.should_see("Le mot de passe ne peut pas être fait que d'espaces.", retries=PATIENT)
    user.find(marker='reset-password-value').clear().type('provisoire-2026-agent')
    user.find(marker='reset-password-save').click()
    await user.should_see('Mot de passe de agent@example.dz réinitialisé', retries=PATIENT)
    with session_scope() as session:
        assert session.get(UserRow, agent.user_id).session_version == before + 1
    from services.login import log_in

    assert log_in('agent@example.dz', 'provisoire-2026-agent', source='127.0.0.1').actor is not None
