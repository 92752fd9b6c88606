"""One look on every screen: buttons in sentence case, initials in the page's font."""

from nicegui import ui
from nicegui.testing import User

from db.session import session_scope
from services.contacts import ContactInput, create_contact
from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import sign_in

CAPITALISED_BY_QUASAR = (ui.button, ui.toggle, ui.dropdown_button, ui.tabs)


async def test_buttons_toggles_and_tabs_are_in_sentence_case(user: User, sqlite_db) -> None:
    """Quasar writes these in capitals unless told `no-caps`: the theme tells every one of them, so that no screen
    mixes «NOUVEAU CLIENT» with «Nouveau dossier»."""
    admin = make_tenant()
    client = data.client(admin, 'SARL Numidia Conseil')
    await sign_in(user, admin.email)
    for path in ('/clients', f'/clients/{client.id}', '/products', '/cases/board', '/pipeline'):
        await user.open(path)
        elements = [e for e in user.client.layout.descendants() if isinstance(e, CAPITALISED_BY_QUASAR)]
        assert elements, path
        assert [e for e in elements if not e.props.get('no-caps')] == [], path


async def test_initials_are_text_not_an_icon_name(user: User, sqlite_db) -> None:
    """`ui.avatar('AB')` asks the Material Icons font for an icon named «AB»: letters fall back to a serif font.
    Initials are the avatar's text, drawn in the page's font."""
    admin = make_tenant()
    client = data.client(admin, 'SARL Numidia Conseil')
    with session_scope() as session:
        create_contact(session, admin, client.id, ContactInput(first_name='Karim', last_name='Benali'))
    await sign_in(user, admin.email)
    for path, initials in ((f'/clients/{client.id}?tab=contacts', 'KB'), ('/admin/users', 'A')):
        await user.open(path)
        await user.should_see(marker='avatar-initials')
        avatars = [e for e in user.client.layout.descendants() if isinstance(e, ui.avatar)]
        assert avatars and all('icon' not in avatar.props for avatar in avatars), path
        assert initials in [label.text for label in user.find(marker='avatar-initials').elements], path
