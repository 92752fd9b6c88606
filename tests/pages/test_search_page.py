"""The header's search box and the results page, as a browser drives them."""

import asyncio

from nicegui.testing import User

from tests.factories import make_tenant
from tests.pages import data
from tests.pages.conftest import screens_drawn
from tests.pages.helpers import PATIENT, list_items, sign_in


async def test_enter_searches_the_text_in_the_box_not_the_value_still_on_its_way(user: User, sqlite_db) -> None:
    """The box sends its value a moment after the last key (a debounce); Enter comes with the text in the box."""
    admin = make_tenant()
    batna = data.client(admin, 'Batna Agro')
    oran = data.client(admin, 'Oran Textile')
    await sign_in(user, admin.email)
    box = user.find(marker='global-search')
    box.type('Oran')  # a first search, whose value reached the server
    await user.should_see(marker=f'suggestion-client-{oran.id}', retries=PATIENT)
    box.trigger('keydown.enter', args='Batna')  # «Batna» typed over it, Enter pressed before its value was sent
    hits = await list_items(user, 'search-results', lambda items: items and items[0]['key'] == f'client-{batna.id}')
    assert [hit['key'] for hit in hits] == [f'client-{batna.id}']
    assert user.client.sub_pages_router.current_path == '/search?q=Batna'
    await user.should_see('Batna')

    [field] = box.elements
    field.set_value('Batna')  # the debounced value, arriving after the results page
    await asyncio.sleep(0.3)
    [menu] = user.find(marker='search-suggestions').elements
    assert not menu.value  # the suggestions stay closed over the results


async def test_enter_in_the_results_page_box_searches_its_text(user: User, sqlite_db) -> None:
    admin = make_tenant()
    batna = data.client(admin, 'Batna Agro')
    data.client(admin, 'Oran Textile')
    await sign_in(user, admin.email)
    await user.open('/search?q=oran')
    await list_items(user, 'search-results')
    user.find(marker='search-page-input').trigger('keydown.enter', args='batna')
    for _ in range(PATIENT):
        if user.client.sub_pages_router.current_path == '/search?q=batna':
            break
        await asyncio.sleep(0.1)
    await screens_drawn(user.client)
    hits = await list_items(user, 'search-results', lambda items: items and items[0]['key'] == f'client-{batna.id}')
    assert [hit['key'] for hit in hits] == [f'client-{batna.id}']
