"""Seed 002's recommendations: one hand-built case per scenario (tests/recommendation_data.py), what happens to them
from one generation to the next, and acting on them (task, logged exchange, done, dismissed) — on SQLite and
PostgreSQL."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlmodel import func, select

from db.models import ClientStatus, Interaction, Product, Recommendation, Role, utcnow
from db.session import session_scope
from services import interactions
from services.analytics import recommendation_actions as actions
from services.analytics.recommendation_actions import RecommendationFilter, RecommendationRead
from services.analytics.recommendations import BLOCK_DAYS, PER_CLIENT
from services.clients import ClientInput, update_client
from services.clock import today
from services.errors import Conflict, Forbidden, Invalid, NotFound
from services.paging import PageRequest
from settings import get_settings
from tests.factories import make_tenant, make_user
from tests.recommendation_data import Shop, analyse, build_shop, regenerate
from tests.sales_factories import Line, make_sale
from ui.messages import message_text, reason_text


@pytest.fixture
def shop(db) -> Shop:
    shop = build_shop(make_tenant())
    analyse(shop.actor)
    return shop


def listed(actor, **filters) -> list[RecommendationRead]:
    with session_scope() as session:
        return actions.list_recommendations(session, actor, RecommendationFilter(**filters),
                                            PageRequest(limit=200)).items


def offers(shop: Shop, client: str, scenario: str) -> list[str]:
    """The products offered to a client in a scenario, best first."""
    return [r.product_name for r in listed(shop.actor, client_id=shop.clients[client], scenario=scenario)]


def one(shop: Shop, client: str, scenario: str, product: str) -> RecommendationRead:
    [found] = [r for r in listed(shop.actor, client_id=shop.clients[client], scenario=scenario)
               if r.product_name == product]
    return found


def reason(reco: RecommendationRead, language: str) -> str:
    return message_text(reco.reason_message, language)


def act(function, actor, *args, **kwargs):
    with session_scope() as session:
        return function(session, actor, *args, **kwargs)


def interaction_count(actor) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(Interaction)
                            .where(Interaction.tenant_id == actor.tenant_id)).one()


# --- the rules -----------------------------------------------------------------------------------------------------

def test_a_new_client_is_offered_introductory_products_of_its_family_it_has_not_bought(shop):
    # Café's active prices are 5, 8, 18 and 200 (median 8); Nadia's only basket was a Café 1kg (18): the cheaper
    # ones are introductory, the Café 1kg is already hers, the machine is not introductory, the vintage is inactive.
    assert sorted(offers(shop, 'Nadia Nouvelle', 'nurture')) == ['Café 250g', 'Capsules']
    reco = one(shop, 'Nadia Nouvelle', 'nurture', 'Capsules')
    assert reco.segment == 'new' and reco.reason_key == 'reco.reason.nurture'
    assert reco.reason_params == {'family': 'Café', 'product': 'Capsules', 'price_cents': 800}
    assert 'Capsules (8,00 DZD)' in reason(reco, 'fr') and 'Café' in reason(reco, 'fr')
    assert offers(shop, 'Camille Croisée', 'nurture') == []  # a champion, not a newcomer


def test_a_lapsed_client_is_won_back_with_the_best_sellers_of_its_favourite_family(shop):
    # Léa bought tea five times, the last 440 days ago; Thé noir sells now (the similar clients buy it) and comes
    # before Thé vert, which sold nothing lately; the teapot is inactive.
    assert offers(shop, 'Léa Lointaine', 'winback') == ['Thé noir']
    reco = one(shop, 'Léa Lointaine', 'winback', 'Thé noir')
    assert reco.segment == 'cannot_lose'
    assert reco.reason_params == {'family': 'Thé', 'product': 'Thé noir', 'days': 440}
    assert '440 jours' in reason(reco, 'fr') and '440 days' in reason(reco, 'en')
    assert offers(shop, 'Camille Croisée', 'winback') == []


def test_a_regular_buyer_past_its_usual_interval_is_offered_what_it_buys_again(shop):
    # Rachid buys capsules every 30 days and last did 90 days ago; the honey he bought once is not a habit.
    assert offers(shop, 'Rachid Régulier', 'rebuy') == ['Capsules']
    reco = one(shop, 'Rachid Régulier', 'rebuy', 'Capsules')
    assert reco.reason_params == {'product': 'Capsules', 'times': 3, 'interval': 30, 'days': 90}
    # 30 + 8 × 3 + 30 × min(1, (90/30 − 1.2) / 1.8)
    assert reco.score == 84
    # Camille buys every 15 days and last did 5 days ago: not due yet.
    assert offers(shop, 'Camille Croisée', 'rebuy') == []


def test_a_client_is_offered_a_family_its_similar_clients_buy_and_it_never_did(shop):
    # Among the six clients whose first family is Café, the three «Semblable» also buy tea; Camille never did.
    assert offers(shop, 'Camille Croisée', 'cross_sell') == ['Thé noir']
    reco = one(shop, 'Camille Croisée', 'cross_sell', 'Thé noir')
    assert reco.reason_params == {'family': 'Thé', 'product': 'Thé noir', 'share': 50, 'group_family': 'Café'}
    assert offers(shop, 'Sami Semblable', 'cross_sell') == []  # already buys tea
    # Only Rachid bought honey among them: one buyer is not a trend.
    assert 'Miel' not in {r.product_name for r in listed(shop.actor, scenario='cross_sell')}


def test_upsell_offers_a_step_up_within_the_budget_and_nothing_above_it(shop):
    # Camille pays 5 for her coffee and spends 10 a basket: capsules (8) fit, the 1 kg bag (18) does not.
    assert offers(shop, 'Camille Croisée', 'upsell') == ['Capsules']
    reco = one(shop, 'Camille Croisée', 'upsell', 'Capsules')
    assert reco.reason_params == {'family': 'Café', 'product': 'Capsules', 'price_cents': 800, 'usual_cents': 500,
                                  'budget_cents': 1000}
    for upsell in listed(shop.actor, scenario='upsell'):
        assert upsell.reason_params['usual_cents'] < upsell.product_price_cents <= upsell.reason_params['budget_cents']


def test_scores_stay_between_0_and_100_and_each_client_gets_a_few_per_scenario(shop):
    everything = listed(shop.actor)
    assert everything and all(0 <= r.score <= 100 for r in everything)
    assert [r.score for r in everything] == sorted((r.score for r in everything), reverse=True)
    per_client: dict[tuple[int, str], int] = {}
    for r in everything:
        per_client[r.client_id, r.scenario] = per_client.get((r.client_id, r.scenario), 0) + 1
    assert all(count <= PER_CLIENT[scenario] for (_, scenario), count in per_client.items())
    with session_scope() as session:
        counts = actions.counts_by_scenario(session, shop.actor)
    assert counts == {s: len(listed(shop.actor, scenario=s)) for s in counts} and counts['winback'] > 0


def test_archived_clients_and_inactive_products_get_nothing(shop):
    with session_scope() as session:
        session.execute(update(Product).where(Product.id == shop.products['Capsules']).values(is_active=False))
        update_client(session, shop.actor, shop.clients['Léa Lointaine'],
                      ClientInput(name='Léa Lointaine', status=ClientStatus.ARCHIVED))
    regenerate(shop.actor)
    remaining = listed(shop.actor)
    assert shop.clients['Léa Lointaine'] not in {r.client_id for r in remaining}
    assert 'Capsules' not in {r.product_name for r in remaining}
    assert offers(shop, 'Nadia Nouvelle', 'nurture') == ['Café 250g']


def test_the_reason_reads_in_each_language_with_amounts_in_the_currency():
    params = {'family': 'Café', 'product': 'Capsules', 'price_cents': 800, 'usual_cents': 500, 'budget_cents': 1000}
    assert reason_text('reco.reason.upsell', params, 'fr', 'EUR') == \
        'Paie d’habitude 5,00 EUR en Café\u00a0: Capsules, à 8,00 EUR, est un cran au-dessus et reste ' \
        'dans son budget (10,00 EUR).'
    assert reason_text('reco.reason.upsell', params, 'en', 'DZD').startswith('Usually pays 5.00 DZD in Café')


# --- from one generation to the next -------------------------------------------------------------------------------

def test_open_ones_are_replaced_and_handled_ones_kept(shop):
    done = one(shop, 'Rachid Régulier', 'rebuy', 'Capsules')
    act(actions.mark_done, shop.actor, done.id)
    before = one(shop, 'Camille Croisée', 'upsell', 'Capsules')
    make_sale(shop.actor, shop.clients['Camille Croisée'], today(), [Line(shop.products['Capsules'])])
    counts = analyse(shop.actor)
    assert offers(shop, 'Camille Croisée', 'upsell') == []  # she bought them meanwhile
    assert offers(shop, 'Rachid Régulier', 'rebuy') == []  # done: not offered again
    assert [r.id for r in listed(shop.actor, status='done')] == [done.id]
    assert not [r for r in listed(shop.actor, status=None, client_id=before.client_id, scenario='upsell')
                if r.product_id == before.product_id]  # gone, not kept aside
    assert counts == {s: len(listed(shop.actor, scenario=s)) for s in counts}


def test_a_dismissed_one_is_not_offered_again_for_90_days_then_comes_back(shop):
    dismissed = one(shop, 'Léa Lointaine', 'winback', 'Thé noir')
    act(actions.dismiss, shop.actor, dismissed.id)
    regenerate(shop.actor)
    assert offers(shop, 'Léa Lointaine', 'winback') == ['Thé vert']  # the next best takes its place
    assert [r.status for r in listed(shop.actor, status=None, client_id=shop.clients['Léa Lointaine'],
                                     scenario='winback') if r.id == dismissed.id] == ['dismissed']
    with session_scope() as session:
        session.execute(update(Recommendation).where(Recommendation.id == dismissed.id)
                        .values(acted_at=utcnow() - timedelta(days=BLOCK_DAYS + 1)))
    regenerate(shop.actor)
    back = one(shop, 'Léa Lointaine', 'winback', 'Thé noir')
    assert (back.id, back.status, back.acted_at, back.interaction_id) == (dismissed.id, 'open', None, None)


def test_generation_touches_only_its_tenant(shop):
    other = build_shop(make_tenant())
    before = {r.id for r in listed(shop.actor)}
    analyse(other.actor)
    assert {r.id for r in listed(shop.actor)} == before
    assert not set(before) & {r.id for r in listed(other.actor)}


# --- acting on one -------------------------------------------------------------------------------------------------

def test_a_task_is_a_planned_call_and_the_recommendation_is_done_in_the_same_transaction(shop):
    reco = one(shop, 'Camille Croisée', 'cross_sell', 'Thé noir')
    due = today() + timedelta(days=3)
    done = act(actions.to_task, shop.actor, reco.id, due=due, wording=message_text, note='Lui faire goûter')
    assert done.status == 'done' and done.interaction_id is not None and done.acted_at is not None
    with session_scope() as session:
        [planned] = interactions.upcoming(session, shop.actor, client_id=shop.clients['Camille Croisée'])
    assert planned.id == done.interaction_id and planned.is_planned and planned.type == 'call'
    assert planned.title == 'Proposer Thé noir'
    assert planned.description.startswith('Lui faire goûter\n\n50\u00a0% des clients')
    local = planned.occurred_at.astimezone(ZoneInfo(get_settings().timezone))
    assert (local.date(), local.hour, local.minute) == (due, 10, 0)
    assert planned.metadata['recommendation_id'] == reco.id
    assert reco.id not in {r.id for r in listed(shop.actor)}
    # Once done, nothing more can be done with it, and nothing is written.
    logged = interaction_count(shop.actor)
    for refused in (lambda s: actions.to_task(s, shop.actor, reco.id, due=due, wording=message_text),
                    lambda s: actions.log_interaction(s, shop.actor, reco.id, type='call', wording=message_text),
                    lambda s: actions.dismiss(s, shop.actor, reco.id)):
        with pytest.raises(Conflict), session_scope() as session:
            refused(session)
    assert interaction_count(shop.actor) == logged


def test_a_task_in_the_past_or_too_far_is_refused_and_nothing_is_written(shop):
    reco = one(shop, 'Camille Croisée', 'upsell', 'Capsules')
    for due in (today() - timedelta(days=1), today() + timedelta(days=400)):
        with pytest.raises(Invalid) as refused, session_scope() as session:
            actions.to_task(session, shop.actor, reco.id, due=due, wording=message_text)
        assert refused.value.field == 'due'
    assert interaction_count(shop.actor) == 0
    assert one(shop, 'Camille Croisée', 'upsell', 'Capsules').status == 'open'


def test_a_task_for_today_after_10_is_still_ahead():
    assert actions.task_moment(today()) > utcnow()


def test_logging_an_exchange_records_it_now_and_marks_done(shop):
    reco = one(shop, 'Rachid Régulier', 'rebuy', 'Capsules')
    done = act(actions.log_interaction, shop.actor, reco.id, type='email', wording=message_text, note='Envoyé le tarif')
    with session_scope() as session:
        [logged] = interactions.recent(session, shop.actor, client_id=shop.clients['Rachid Régulier'])
    assert (logged.id, logged.type, logged.title) == (done.interaction_id, 'email', 'Proposition\u00a0: Capsules')
    assert not logged.is_planned and 'Envoyé le tarif' in logged.description
    with pytest.raises(Invalid), session_scope() as session:
        actions.log_interaction(session, shop.actor, one(shop, 'Léa Lointaine', 'winback', 'Thé noir').id,
                                type='pigeon', wording=message_text)


def test_dismissed_or_done_can_be_reopened_unless_it_became_an_interaction(shop):
    reco = one(shop, 'Nadia Nouvelle', 'nurture', 'Capsules')
    act(actions.dismiss, shop.actor, reco.id)
    assert act(actions.reopen, shop.actor, reco.id).status == 'open'
    with pytest.raises(Conflict):
        act(actions.reopen, shop.actor, reco.id)
    act(actions.to_task, shop.actor, reco.id, due=today() + timedelta(days=1), wording=message_text)
    with pytest.raises(Conflict):
        act(actions.reopen, shop.actor, reco.id)


def test_viewers_read_but_cannot_act_and_other_tenants_see_nothing(shop):
    viewer = make_user(shop.actor, role=Role.VIEWER)
    agent = make_user(shop.actor, role=Role.AGENT)
    assert listed(viewer) and listed(viewer) == listed(shop.actor)
    reco = listed(viewer)[0]
    for function in (actions.dismiss, actions.mark_done):
        with pytest.raises(Forbidden):
            act(function, viewer, reco.id)
    with pytest.raises(Forbidden):
        act(actions.to_task, viewer, reco.id, due=today(), wording=message_text)
    with pytest.raises(Forbidden):
        act(actions.regenerate, agent)
    stranger = make_tenant()
    assert listed(stranger) == []
    for function in (actions.dismiss, actions.mark_done, actions.get_recommendation):
        with pytest.raises(NotFound):
            act(function, stranger, reco.id)
    with pytest.raises(NotFound):
        listed(stranger, client_id=shop.clients['Camille Croisée'])
    assert act(actions.get_recommendation, shop.actor, reco.id).status == 'open'


def test_filters_by_segment_and_client_name_and_refuses_unknown_values(shop):
    assert {r.client_name for r in listed(shop.actor, segment='new')} == {'Nadia Nouvelle'}
    assert {r.client_name for r in listed(shop.actor, search='camille')} == {'Camille Croisée'}
    with pytest.raises(Invalid):
        listed(shop.actor, scenario='spam')
    with pytest.raises(Invalid):
        listed(shop.actor, status='maybe')


def test_managers_regenerate_from_the_latest_profiles(shop):
    manager = make_user(shop.actor, role=Role.MANAGER)
    counts = act(actions.regenerate, manager)
    assert counts == act(actions.counts_by_scenario, manager)
