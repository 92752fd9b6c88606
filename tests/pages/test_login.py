from nicegui.testing import User

from db.models import Role
from services.login import log_in
from tests.factories import PASSWORD, make_tenant, make_user
from tests.pages.helpers import PATIENT, sign_in


async def test_login_dashboard_logout(user: User, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    await user.open('/')
    await user.should_see('Connexion')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type(PASSWORD)
    user.find(marker='login-submit').click()
    await user.should_see('Tableau de bord', retries=PATIENT)
    await user.should_see('Cabinet Numidia')
    user.find(marker='logout').click()
    await user.should_see('Connexion')
    await user.open('/')
    await user.should_see(marker='login-email')


async def test_wrong_password_says_so_in_french(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await user.open('/login')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type('not-the-password').trigger('keydown.enter')
    await user.should_see('E-mail ou mot de passe incorrect.', retries=PATIENT)


async def test_lockout_after_ten_failures_is_shown(user: User, sqlite_db) -> None:
    admin = make_tenant()
    for _ in range(9):
        assert log_in(admin.email, 'bad-password').error_key == 'error.login_failed'
    await user.open('/login')
    user.find(marker='login-email').type(admin.email)
    user.find(marker='login-password').type('bad-password').trigger('keydown.enter')
    await user.should_see('Réessayez dans 15 min.', retries=PATIENT)
    user.find(marker='login-password').type(PASSWORD).trigger('keydown.enter')
    await user.should_see('compte verrouillé', retries=PATIENT)
    await user.should_not_see(marker='page-title')


async def test_session_survives_a_reload(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/')
    await user.should_see(marker='kpi-users', retries=PATIENT)


async def test_english_switch(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    user.find(marker='language-menu').click()
    user.find(marker='language-en').click()
    await user.should_see('Dashboard', retries=PATIENT)
    await user.should_see('Sign out')
    user.find(marker='logout').click()
    await user.should_see(marker='login-email')
    from nicegui import app

    app.storage.user.clear()  # another browser: the choice was saved on the account
    await sign_in(user, admin.email)
    await user.should_see('Dashboard', retries=PATIENT)


async def test_a_deactivated_user_is_signed_out_at_the_next_page(user: User, sqlite_db) -> None:
    admin = make_tenant()
    agent = make_user(admin, role=Role.AGENT)
    await sign_in(user, agent.email)
    from db.session import session_scope
    from services.users import update_user

    with session_scope() as session:
        update_user(session, admin, agent.user_id, is_active=False)
    await user.open('/')
    await user.should_see(marker='login-email')
