from nicegui.testing import User

from db.session import session_scope
from services.client_types import client_type_usage
from tests.factories import make_tenant
from tests.pages.helpers import PATIENT, sign_in


async def test_admin_adds_and_removes_a_client_type(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/admin/client-types')
    await user.should_see(marker='client-type-CGPI', retries=PATIENT)
    user.find(marker='client-type-new').type('Family office')
    user.find(marker='client-type-add').click()
    await user.should_see(marker='client-type-Family office', retries=PATIENT)
    user.find(marker='remove-type-CGPI').click()
    await user.should_see(marker='confirm-ok', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await user.should_not_see(marker='client-type-CGPI', retries=PATIENT)  # gone from the list
    with session_scope() as session:
        names = [name for name, _ in client_type_usage(session, admin)]
    assert 'Family office' in names and 'CGPI' not in names
