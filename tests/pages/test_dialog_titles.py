"""A button says what the dialog it opens is about: «Nouveau client» opens «Nouveau client», «Planifier un appel»
opens «Planifier un appel» (not a «Créer une tâche» button opening a dialog titled otherwise)."""

import asyncio

import pytest
from nicegui import ui
from nicegui.testing import User

from tests.factories import make_tenant
from tests.pages import data
from tests.pages.helpers import PATIENT, sign_in
from tests.pages.test_recommendation_pages import PAGE, find, shop_with_recommendations


def open_dialog_titles(user: User) -> list[str]:
    """The titles (the large first line) of the dialogs open on the screen."""
    return [label.text for dialog in user.client.layout.descendants() if isinstance(dialog, ui.dialog) and dialog.value
            for label in dialog.descendants() if isinstance(label, ui.label) and 'text-lg' in label.classes]


async def click_and_read_title(user: User, marker: str) -> tuple[str, list[str]]:
    await user.should_see(marker=marker, retries=PATIENT)
    button = user.find(marker=marker).elements.pop()
    user.find(marker=marker).click()
    for _ in range(PATIENT):
        if titles := open_dialog_titles(user):
            return button.text, titles
        await asyncio.sleep(0.1)  # the dialog may read its choices first
    raise AssertionError(f'no dialog opened from {marker}')


@pytest.mark.parametrize(('path', 'marker'), [
    ('/clients', 'clients-new'),
    ('/cases', 'cases-new'),
    ('/products', 'products-new'),
    ('/sales', 'sales-new'),
    ('/admin/users', 'users-new'),
    ('/admin/ai', 'kb-add'),
    ('{client}?tab=contacts', 'contacts-new'),
    ('{client}?tab=activities', 'interaction-new'),
])
async def test_a_button_opens_a_dialog_of_its_own_name(user: User, sqlite_db, path: str, marker: str) -> None:
    admin = make_tenant()
    client = data.client(admin, 'SARL Numidia Conseil')
    await sign_in(user, admin.email)
    await user.open(path.format(client=f'/clients/{client.id}'))
    label, titles = await click_and_read_title(user, marker)
    assert titles == [label]


async def test_the_recommendation_task_button_opens_the_call_it_plans(user: User, sqlite_db) -> None:
    shop = shop_with_recommendations()
    upsell = find(shop, 'Camille Croisée', 'upsell', 'Capsules')
    await sign_in(user, shop.actor.email)
    await user.open(PAGE)
    label, titles = await click_and_read_title(user, f'reco-task-{upsell.id}')
    assert label == 'Planifier un appel' and titles == [label]
