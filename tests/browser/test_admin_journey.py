"""An admin's journey in a real chromium: add a colleague, then find the change in the audit log."""

from nicegui.testing import Screen

from tests.browser.test_login_journey import _fill_login_form, _should_see, _type_into
from tests.factories import PASSWORD, make_tenant


def test_admin_adds_a_user_and_sees_it_in_the_audit_log(screen: Screen, sqlite_db) -> None:
    admin = make_tenant('Cabinet Numidia')
    _fill_login_form(screen, admin.email, PASSWORD)
    screen.click('Se connecter')
    _should_see(screen, 'Tableau de bord')

    screen.open('/admin/users')
    _should_see(screen, admin.email)
    screen.click('Nouvel utilisateur')
    _should_see(screen, 'Mot de passe provisoire')
    _type_into(screen, 'E-mail', 'karim@example.dz')
    _type_into(screen, 'Nom complet', 'Karim Haddad')
    screen.click('Créer')
    _should_see(screen, 'Karim Haddad')  # the new colleague in the list (not the toast, which fades)

    screen.open('/admin/audit')
    _should_see(screen, "Journal d'audit")
    _should_see(screen, 'E-mail : karim@example.dz')
    _should_see(screen, 'Lignes par page')
