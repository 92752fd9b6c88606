"""Recommendations on screen: the /analytics/recommendations page (tabs per scenario with their counts, search by
client, status filter) and the list a client's page shows — acting on them as a seller does."""

from datetime import timedelta

from nicegui.testing import User

from db.models import Role
from db.session import session_scope
from services.analytics import recommendation_actions as actions
from services.analytics.recommendation_actions import RecommendationFilter, RecommendationRead
from services.clock import today
from services.interactions import upcoming
from services.paging import PageRequest
from tests.factories import make_tenant, make_user
from tests.pages.helpers import PATIENT, sign_in, until
from tests.pages.test_kpi_pages import in_open_dialog
from tests.recommendation_data import Shop, analyse, build_shop

PAGE = '/analytics/recommendations'


def shop_with_recommendations() -> Shop:
    shop = build_shop(make_tenant())
    analyse(shop.actor)
    return shop


def listed(shop: Shop, **filters) -> list[RecommendationRead]:
    with session_scope() as session:
        return actions.list_recommendations(session, shop.actor, RecommendationFilter(**filters),
                                            PageRequest(limit=200)).items


def find(shop: Shop, client: str, scenario: str, product: str, status: str | None = 'open') -> RecommendationRead:
    [found] = [r for r in listed(shop, client_id=shop.clients[client], scenario=scenario, status=status)
               if r.product_name == product]
    return found


def text_of(user: User, marker: str) -> str:
    return user.find(marker=marker).elements.pop().text


async def test_the_page_lists_by_scenario_and_a_task_takes_one_off_the_open_list(user: User, sqlite_db) -> None:
    shop = shop_with_recommendations()
    with session_scope() as session:
        counts = actions.counts_by_scenario(session, shop.actor)
    await sign_in(user, shop.actor.email)
    await user.open(PAGE)
    await user.should_see(marker='reco-tabs', retries=PATIENT)
    await until(lambda: text_of(user, 'reco-tab-count-all') == str(sum(counts.values())))
    assert text_of(user, 'reco-tab-count-upsell') == str(counts['upsell'])
    assert text_of(user, 'reco-tab-count-winback') == str(counts['winback'])
    winback = find(shop, 'Léa Lointaine', 'winback', 'Thé noir')
    upsell = find(shop, 'Camille Croisée', 'upsell', 'Capsules')

    user.find(marker='reco-tab-upsell').click()
    await user.should_see(marker=f'reco-{upsell.id}', retries=PATIENT)
    await user.should_not_see(marker=f'reco-{winback.id}', retries=PATIENT)
    await user.should_see('Montée en gamme')
    with user.scope(marker=f'reco-{upsell.id}'):
        await user.should_see('Camille Croisée')
        await user.should_see('Paie d’habitude 5,00 DZD en Café')
        await user.should_see('Score ')

    user.find(marker=f'reco-task-{upsell.id}').click()
    await user.should_see(marker='reco-task-due', retries=PATIENT)
    assert in_open_dialog(user, 'reco-task-due').value == (today() + timedelta(days=3)).isoformat()
    in_open_dialog(user, 'reco-task-note').set_value('Proposer la dégustation')
    in_open_dialog(user, 'reco-task-save')
    user.find(marker='reco-task-save').click()
    await user.should_not_see(marker=f'reco-{upsell.id}', retries=PATIENT)  # planned: off the open list
    assert find(shop, 'Camille Croisée', 'upsell', 'Capsules', status='done').interaction_id is not None
    with session_scope() as session:
        [planned] = upcoming(session, shop.actor, client_id=shop.clients['Camille Croisée'])
    assert planned.title == 'Proposer Capsules' and planned.description.startswith('Proposer la dégustation')
    await until(lambda: text_of(user, 'reco-tab-count-upsell') == str(counts['upsell'] - 1))

    user.find(marker='reco-tab-all').click()  # every scenario again, the winback among them
    await user.should_see(marker=f'reco-{winback.id}', retries=PATIENT)


async def test_search_by_client_and_the_handled_ones(user: User, sqlite_db) -> None:
    shop = shop_with_recommendations()
    rebuy = find(shop, 'Rachid Régulier', 'rebuy', 'Capsules')
    with session_scope() as session:
        actions.mark_done(session, shop.actor, rebuy.id)
    await sign_in(user, shop.actor.email)
    await user.open(PAGE)
    await user.should_see(marker='reco-count', retries=PATIENT)
    user.find(marker='reco-search').type('Léa')
    nadia = find(shop, 'Nadia Nouvelle', 'nurture', 'Capsules')
    await user.should_not_see(marker=f'reco-{nadia.id}', retries=PATIENT)
    await user.should_see('Léa Lointaine', retries=PATIENT)

    user.find(marker='reco-search').clear()
    user.find(marker='reco-status').elements.pop().set_value('done')
    await user.should_see(marker=f'reco-{rebuy.id}', retries=PATIENT)
    await until(lambda: text_of(user, 'reco-tab-count-all') == '1')
    user.find(marker=f'reco-reopen-{rebuy.id}').click()
    await user.should_not_see(marker=f'reco-{rebuy.id}', retries=PATIENT)
    assert find(shop, 'Rachid Régulier', 'rebuy', 'Capsules').status == 'open'


async def test_a_clients_list_logs_an_exchange_marks_done_and_undoes_a_dismissal(user: User, sqlite_db) -> None:
    from pages.analytics.recommendation_widgets import client_recommendations
    from ui.guard import member_page

    shop = shop_with_recommendations()
    camille = shop.clients['Camille Croisée']

    @member_page('/test/client-recommendations/{client_id}')
    async def client_page(actor, client_id: int) -> None:
        await client_recommendations(actor, client_id)

    await sign_in(user, shop.actor.email)
    await user.open(f'/test/client-recommendations/{camille}')
    cross_sell = find(shop, 'Camille Croisée', 'cross_sell', 'Thé noir')
    upsell = find(shop, 'Camille Croisée', 'upsell', 'Capsules')
    await user.should_see(marker=f'reco-{cross_sell.id}', retries=PATIENT)
    await user.should_not_see(marker='reco-client')  # the client's own page: no link to itself

    user.find(marker=f'reco-dismiss-{cross_sell.id}').click()
    await user.should_see(marker=f'reco-undo-{cross_sell.id}', retries=PATIENT)
    assert find(shop, 'Camille Croisée', 'cross_sell', 'Thé noir', status='dismissed')
    user.find(marker=f'reco-undo-{cross_sell.id}').click()
    await user.should_see(marker=f'reco-dismiss-{cross_sell.id}', retries=PATIENT)
    assert find(shop, 'Camille Croisée', 'cross_sell', 'Thé noir').status == 'open'

    user.find(marker=f'reco-log-{upsell.id}').click()
    await user.should_see(marker='reco-log-type', retries=PATIENT)
    in_open_dialog(user, 'reco-log-type').set_value('email')
    in_open_dialog(user, 'reco-log-note').set_value('Tarif envoyé')
    user.find(marker='reco-log-save').click()
    await user.should_not_see(marker=f'reco-{upsell.id}', retries=PATIENT)
    done = find(shop, 'Camille Croisée', 'upsell', 'Capsules', status='done')
    assert done.interaction_id is not None

    user.find(marker=f'reco-done-{cross_sell.id}').click()
    await user.should_see(marker=f'reco-undo-{cross_sell.id}', retries=PATIENT)
    assert find(shop, 'Camille Croisée', 'cross_sell', 'Thé noir', status='done')


async def test_viewers_see_the_recommendations_without_actions(user: User, sqlite_db) -> None:
    shop = shop_with_recommendations()
    viewer = make_user(shop.actor, role=Role.VIEWER)
    upsell = find(shop, 'Camille Croisée', 'upsell', 'Capsules')
    await sign_in(user, viewer.email)
    await user.open(f'{PAGE}?scenario=upsell')
    await user.should_see(marker=f'reco-{upsell.id}', retries=PATIENT)
    await user.should_see('Un cran au-dessus dans la famille')  # the scenario's hint
    await user.should_not_see(marker=f'reco-task-{upsell.id}')
    await user.should_not_see(marker='reco-generate')


async def test_an_empty_tenant_shows_the_empty_state_and_managers_regenerate(user: User, sqlite_db) -> None:
    admin = make_tenant()
    await sign_in(user, admin.email)
    await user.open(PAGE)
    await user.should_see(marker='reco-empty', retries=PATIENT)
    button = user.find(marker='reco-generate').elements.pop()
    user.find(marker='reco-generate').click()
    await until(lambda: 'loading' not in button.props)  # generated: nothing to propose yet
    await user.should_see(marker='reco-empty')
    assert text_of(user, 'reco-tab-count-all') == '0'
