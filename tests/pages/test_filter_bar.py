"""Every list with filters folds them behind a «Filtres» button on phones, which counts the filters in use.

What phones see is a CSS class (`max-md:hidden`, hidden below Tailwind's md): the simulated user reads it from the
element; tests/browser/test_case_journey.py looks at it in a real browser at a phone's width."""

import pytest
from nicegui.testing import User

from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import sign_in, table_rows

FOLDED = 'max-md:hidden'
LISTS = {  # path: (a filter folded on phones, what stays in sight)
    '/clients': ('filter-status', 'clients-search'),
    '/cases': ('filter-status', 'cases-search'),
    '/cases/board': ('board-type', 'view-list'),
    '/pipeline': ('pipeline-type', None),
    '/activities': ('filter-types', None),
    '/sales': ('sales-channel', 'sales-period'),
    '/products': ('products-family', 'products-search'),
    '/admin/audit': ('audit-action', None),
}


def _one(user: User, marker: str):
    return next(iter(user.find(marker=marker).elements))


def _inside(element, container) -> bool:
    return element in container.descendants()


@pytest.mark.parametrize('path', LISTS)
async def test_every_list_folds_its_filters_on_phones(user: User, sqlite_db, path: str) -> None:
    await sign_in(user, make_tenant().email)
    await user.open(path)
    folded_filter, in_sight = LISTS[path]
    folded = _one(user, 'filters-folded')
    assert FOLDED in folded.classes
    assert _inside(_one(user, folded_filter), folded)
    if in_sight:
        assert not _inside(_one(user, in_sight), folded)
    await user.should_see(marker='filters-toggle')


async def test_the_button_opens_the_filters_and_counts_those_in_use(user: User, sqlite_db) -> None:
    admin = make_tenant()
    data.client(admin, 'Client actif', client_type='CGPI')
    data.client(admin, 'Client inactif', status='inactive', client_type='CGPI')
    await sign_in(user, admin.email)
    await user.open('/clients')
    count = _one(user, 'filter-bar').count  # hidden while 0: `find` skips it
    assert not count.visible
    user.find(marker='clients-search').type('client')  # the search is in sight: not counted
    _one(user, 'filter-status').set_value('inactive')
    _one(user, 'filter-type').set_value('CGPI')
    await table_rows(user, 'clients-table', lambda rows: [r['name'] for r in rows] == ['Client inactif'])
    assert count.visible and count.text == '2'

    user.find(marker='filters-toggle').click()
    assert FOLDED not in _one(user, 'filters-folded').classes
    assert _one(user, 'filters-toggle').props['aria-expanded'] == 'true'
    user.find(marker='filters-toggle').click()
    assert FOLDED in _one(user, 'filters-folded').classes

    await user.open('/')
    await user.open('/clients')  # the filters kept from the last visit are counted at once
    count = _one(user, 'filter-bar').count  # hidden while 0: `find` skips it
    assert count.visible and count.text == '2'
    _one(user, 'filter-type').set_value(None)
    assert count.text == '1'


async def test_a_filter_at_its_default_is_not_counted(user: User, sqlite_db) -> None:
    """The catalogue shows active products unless told otherwise: that default is no filter in use."""
    await sign_in(user, make_tenant().email)
    await user.open('/products')
    count = _one(user, 'filter-bar').count  # hidden while 0: `find` skips it
    assert not count.visible
    _one(user, 'products-status').set_value('archived')
    assert count.visible and count.text == '1'
