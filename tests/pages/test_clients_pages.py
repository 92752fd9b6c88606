from nicegui import ui
from nicegui.testing import User

from db.models import Role
from db.session import session_scope
from services.clients import ClientFilter, ClientInput, list_clients, update_client
from services.contacts import ContactInput, create_contact, list_contacts
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.pages import data
from tests.pages.helpers import PATIENT, list_items, sign_in, table_rows


async def test_client_list_pages_searches_and_filters(user: User, sqlite_db) -> None:
    admin = make_tenant()
    data.client(admin, 'Société Générale Algérie', city='Alger', client_type='Institutionnel')
    data.client(admin, 'SARL Numidia Conseil', city='Oran', client_type='CGPI', tags=['VIP'])
    await sign_in(user, admin.email)
    await user.open('/clients')
    rows = await table_rows(user, 'clients-table', lambda rows: len(rows) == 2)
    assert [row['name'] for row in rows] == ['SARL Numidia Conseil', 'Société Générale Algérie']
    user.find(marker='clients-search').type('societe')
    rows = await table_rows(user, 'clients-table', lambda rows: len(rows) == 1)
    assert [row['name'] for row in rows] == ['Société Générale Algérie']


async def test_filters_are_remembered(user: User, sqlite_db) -> None:
    admin = make_tenant()
    data.client(admin, 'Client actif')
    data.client(admin, 'Client inactif', status='inactive')
    await sign_in(user, admin.email)
    await user.open('/clients')
    user.find(marker='filter-status').elements.pop().set_value('inactive')
    await table_rows(user, 'clients-table', lambda rows: len(rows) == 1)
    await user.open('/')
    await user.open('/clients')
    assert [r['name'] for r in await table_rows(user, 'clients-table')] == ['Client inactif']



async def test_a_remembered_filter_that_no_longer_exists_is_dropped(user: User, sqlite_db) -> None:
    """A tag filter kept from an earlier visit, the tag removed since: the list shows every client, the filter
    empty, instead of an empty list (or a failed screen) behind a filter the user cannot see."""
    admin = make_tenant()
    vip = data.client(admin, 'SARL Numidia Conseil', tags=['VIP'])
    data.client(admin, 'Société Générale Algérie')
    await sign_in(user, admin.email)
    await user.open('/clients')
    user.find(marker='filter-tag').elements.pop().set_value('VIP')
    await table_rows(user, 'clients-table', lambda rows: len(rows) == 1)
    with session_scope() as session:
        update_client(session, admin, vip.id, ClientInput(name=vip.name, tags=[]), vip.version)
    await user.open('/')
    await user.open('/clients')
    rows = await table_rows(user, 'clients-table', lambda rows: len(rows) == 2)
    assert sorted(r['name'] for r in rows) == ['SARL Numidia Conseil', 'Société Générale Algérie']
    assert user.find(marker='filter-tag').elements.pop().value is None


async def test_create_client_warns_about_duplicates_first(user: User, sqlite_db) -> None:
    admin = make_tenant()
    existing = data.client(admin, 'SARL Algérie Tech', email='contact@algerietech.dz')
    await sign_in(user, admin.email)
    await user.open('/clients')
    user.find(marker='clients-new').click()
    user.find(marker='client-name').type('Sarl Algerie Tech')
    user.find(marker='client-phone').type('0555 12 34 56')
    user.find(marker='client-save').click()
    await user.should_see(marker='duplicates', retries=PATIENT)
    await user.should_see('SARL Algérie Tech')
    user.find(marker='client-save').click()
    await user.should_see(marker='client-overview', retries=PATIENT)  # the new client's page
    await user.should_see('Sarl Algerie Tech')
    with session_scope() as session:
        clients = list_clients(session, admin, ClientFilter(), PageRequest()).items
    created = next(c for c in clients if c.id != existing.id)
    assert created.phone == '+213555123456'


async def test_a_new_client_form_starts_with_its_creator_as_owner(user: User, sqlite_db) -> None:
    admin = make_tenant()
    make_user(admin)  # someone else the owner could be
    await sign_in(user, admin.email)
    await user.open('/clients')
    user.find(marker='clients-new').click()
    assert user.find(marker='client-owner').elements.pop().value == admin.user_id
    user.find(marker='client-name').type('Cabinet Kaci')
    user.find(marker='client-save').click()
    await user.should_see(marker='client-overview', retries=PATIENT)
    overview = user.find(marker='client-overview').elements.pop()
    assert admin.full_name in [e.text for e in overview.descendants() if isinstance(e, ui.label)]
    with session_scope() as session:
        assert [c.owner_id for c in list_clients(session, admin, ClientFilter(), PageRequest()).items] \
            == [admin.user_id]


async def test_invalid_phone_is_explained_and_nothing_is_saved(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open('/clients')
    user.find(marker='clients-new').click()
    user.find(marker='client-name').type('Cabinet Test')
    user.find(marker='client-phone').type('12')
    user.find(marker='client-save').click()
    await user.should_see('Numéro de téléphone invalide', retries=PATIENT)
    with session_scope() as session:
        assert list_clients(session, admin, ClientFilter(), PageRequest()).total == 0


async def test_client_page_tabs_and_new_contact(user: User, sqlite_db) -> None:
    admin = make_tenant()
    created = data.client(admin, 'EURL Atlas', email='atlas@example.dz', city='Blida')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{created.id}')
    await user.should_see('EURL Atlas', retries=PATIENT)
    await user.should_see('atlas@example.dz')
    user.find(marker='contacts-new').click()
    user.find(marker='contact-first-name').type('Karim')
    user.find(marker='contact-last-name').type('Haddad')
    user.find(marker='contact-phone').type('+213 661 22 33 44')
    user.find(marker='contact-save').click()
    await user.should_see(marker='contact-Karim Haddad', retries=PATIENT)
    with session_scope() as session:
        assert [c.phone for c in list_contacts(session, admin, created.id)] == ['+213661223344']


def _links(user: User) -> dict[str, tuple[str, str, str | None]]:
    """{text: (href, target, rel)} of the links on the screen."""
    return {link.text: (link.props['href'], link.props['target'], link.props.get('rel'))
            for link in user.client.layout.descendants() if isinstance(link, ui.link)}


async def test_emails_phones_and_websites_are_links(user: User, sqlite_db) -> None:
    admin = make_tenant()
    atlas = data.client(admin, 'EURL Atlas', email='contact@atlas.dz', phone='0555 12 34 56', website='www.atlas.dz')
    suspicious = data.client(admin, 'Site douteux', website='javascript:alert(1)')
    with session_scope() as session:
        karim = create_contact(session, admin, atlas.id, ContactInput(first_name='Karim', last_name='Haddad',
                                                                      email='karim@atlas.dz', phone='0661 22 33 44'))
    await sign_in(user, admin.email)
    await user.open(f'/clients/{atlas.id}')
    await user.should_see(marker='website-link')
    links = _links(user)
    assert links['contact@atlas.dz'][0] == 'mailto:contact@atlas.dz'
    assert links['+213 555 12 34 56'][0] == 'tel:+213555123456'
    assert links['www.atlas.dz'] == ('https://www.atlas.dz', '_blank', 'noopener noreferrer')

    await user.open(f'/clients/{atlas.id}?tab=contacts')
    await user.should_see(marker='contact-Karim Haddad')
    assert _links(user)['karim@atlas.dz'][0] == 'mailto:karim@atlas.dz'
    assert _links(user)['+213 661 22 33 44'][0] == 'tel:+213661223344'
    await user.open(f'/contacts/{karim.id}')
    await user.should_see(marker='contact-details')
    assert _links(user)['karim@atlas.dz'][0] == 'mailto:karim@atlas.dz'

    await user.open('/clients')
    rows = await table_rows(user, 'clients-table', lambda rows: len(rows) == 2)
    atlas_row = next(row for row in rows if row['name'] == 'EURL Atlas')
    assert (atlas_row['email_href'], atlas_row['phone_href']) == ('mailto:contact@atlas.dz', 'tel:+213555123456')
    table = user.find(marker='clients-table').elements.pop()
    assert {'body-cell-email', 'body-cell-phone'} <= set(table.slots)

    await user.open(f'/clients/{suspicious.id}')
    await user.should_see('javascript:alert(1)')  # shown as it was typed, never as a link
    assert 'javascript:alert(1)' not in _links(user)


async def test_search_results_carry_ways_to_reach_clients_and_contacts(user: User, sqlite_db) -> None:
    admin = make_tenant()
    atlas = data.client(admin, 'EURL Atlas', email='contact@atlas.dz', phone='0555 12 34 56', website='atlas.dz')
    with session_scope() as session:
        create_contact(session, admin, atlas.id, ContactInput(first_name='Karim', last_name='Atlas',
                                                              phone='0661 22 33 44'))
    await sign_in(user, admin.email)
    await user.open('/search?q=atlas')
    items = await list_items(user, 'search-results', lambda items: len(items) == 2)
    links = {item['title']: [(link['href'], link['external']) for link in item['links']] for item in items}
    assert links['EURL Atlas'] == [('mailto:contact@atlas.dz', False), ('tel:+213555123456', False),
                                   ('https://atlas.dz', True)]
    assert links['Karim Atlas'] == [('tel:+213661223344', False)]


async def test_archive_needs_confirmation_and_hides_the_client(user: User, sqlite_db) -> None:
    admin = make_tenant()
    created = data.client(admin, 'SPA Ancienne')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{created.id}')
    user.find(marker='client-more').click()
    user.find(marker='client-archive').click()
    await user.should_see('Archiver ce client ?', retries=PATIENT)
    user.find(marker='confirm-ok').click()
    await user.should_see('Client « SPA Ancienne » archivé', retries=PATIENT)
    with session_scope() as session:
        assert list_clients(session, admin, ClientFilter(), PageRequest()).total == 0


async def test_another_tenant_client_is_not_found(user: User, sqlite_db) -> None:
    admin_a = make_tenant('Cabinet A')
    admin_b = make_tenant('Cabinet B')
    secret = data.client(admin_b, 'Client secret de B')
    await sign_in(user, admin_a.email)
    await user.open(f'/clients/{secret.id}')
    await user.should_see('Client introuvable.', retries=PATIENT)
    await user.should_not_see('Client secret de B')
    await user.open('/clients')
    assert await table_rows(user, 'clients-table') == []


async def test_viewers_get_no_write_buttons(user: User, sqlite_db) -> None:
    admin = make_tenant()
    created = data.client(admin, 'SNC Lecture')
    viewer = make_user(admin, role=Role.VIEWER)
    await sign_in(user, viewer.email)
    await user.open('/clients')
    await user.should_see(marker='clients-table', retries=PATIENT)
    await user.should_not_see(marker='clients-new')
    await user.open(f'/clients/{created.id}')
    await user.should_see('SNC Lecture', retries=PATIENT)
    await user.should_not_see(marker='client-edit')
