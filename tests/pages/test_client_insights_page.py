"""A client's «Ventes» tab: the RFM profile above the sales, and the recommendations to act on."""

from nicegui.testing import User

from tests.factories import make_client, make_tenant
from tests.pages.helpers import PATIENT, sign_in
from tests.recommendation_data import analyse, build_shop


async def test_the_sales_tab_shows_the_profile_and_the_recommendations(user: User, sqlite_db) -> None:
    shop = build_shop(make_tenant())
    analyse(shop.actor)
    camille = shop.clients['Camille Croisée']
    await sign_in(user, shop.actor.email)
    await user.open(f'/clients/{camille}?tab=sales')
    await user.should_see(marker='client-profile', retries=PATIENT)
    await user.should_see(marker='segment-champions', retries=PATIENT)
    await user.should_see('Champions')
    await user.should_see('R 5 · F 4', retries=PATIENT)  # four purchases, the latest 5 days ago
    await user.should_see('il y a 5 j')
    await user.should_see('Café')  # the favourite family
    await user.should_see('tous les 15 j')  # 50, 35, 15 and 5 days ago: every 15 days
    await user.should_see('Entré dans «\u00a0Champions\u00a0»')
    await user.should_see(marker='client-recommendations')
    await user.should_see('Thé noir', retries=PATIENT)  # cross-sell: what the similar clients buy
    await user.should_see('Capsules')  # upsell in the favourite family


async def test_a_client_without_purchases_says_so(user: User, sqlite_db) -> None:
    admin = make_tenant()
    client = make_client(admin, 'Sans Achat')
    await sign_in(user, admin.email)
    await user.open(f'/clients/{client.id}?tab=sales')
    await user.should_see(marker='insights-none', retries=PATIENT)
    await user.should_see(marker='client-sales-empty', retries=PATIENT)
