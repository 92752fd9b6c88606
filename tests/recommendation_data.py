"""A small shop whose clients each call for one of seed 002's recommendation scenarios, for service, API and page
tests. Sales are dated from today backwards; the RFM scores of its eleven clients come out as:

    client            sales (days ago)         R F  segment         top family  offered
    Nadia Nouvelle    3                        5 1  new             Café        nurture: Café 250g, Capsules
    Camille Croisée   50, 35, 15, 5            5 4  champions       Café        cross_sell Thé noir, upsell Capsules
    Sami/Sara/Sonia   60, 40, 20, 10 (each)    4 4  loyal           Café        (the similar clients: Café and Thé)
    Rachid Régulier   150, 120, 90             3 3  need_attention  Café        rebuy: Capsules (every 30 days)
    Léa Lointaine     600, 560, 520, 480, 440  1 5  cannot_lose     Thé         winback: Thé noir (then Thé vert)
    Filler 1–4        400, 380, 360, 340       1–3 1 lost…          Épicerie
"""

from dataclasses import dataclass
from datetime import date, timedelta

from db.session import session_scope
from services.actor import Actor
from services.analytics.popularity import compute_popularity
from services.analytics.recommendations import generate_recommendations
from services.analytics.rfm import compute_profiles
from services.clock import today
from tests.factories import make_client
from tests.sales_factories import Line, make_product, make_sales


@dataclass(frozen=True)
class Shop:
    actor: Actor
    today: date
    products: dict[str, int]
    clients: dict[str, int]

    def product_name(self, product_id: int) -> str:
        return next(name for name, pid in self.products.items() if pid == product_id)


CATALOGUE = (  # name, family, price (whole units), active
    ('Café 250g', 'Café', 5, True), ('Capsules', 'Café', 8, True), ('Café 1kg', 'Café', 18, True),
    ('Machine', 'Café', 200, True), ('Café vintage', 'Café', 3, False),
    ('Thé vert', 'Thé', 4, True), ('Thé noir', 'Thé', 6, True), ('Théière', 'Thé', 40, False),
    ('Miel', 'Épicerie', 12, True),
)


def build_shop(actor: Actor) -> Shop:
    day = today()
    products = {name: make_product(actor, name, family=family, price=price, is_active=active)
                for name, family, price, active in CATALOGUE}
    names = ['Nadia Nouvelle', 'Camille Croisée', 'Sami Semblable', 'Sara Semblable', 'Sonia Semblable',
             'Rachid Régulier', 'Léa Lointaine', 'Filler 1', 'Filler 2', 'Filler 3', 'Filler 4']
    clients = {name: make_client(actor, name).id for name in names}
    p = products

    def ago(days: int) -> date:
        return day - timedelta(days=days)

    sales = [(clients['Nadia Nouvelle'], ago(3), [Line(p['Café 1kg'])], None)]
    sales += [(clients['Camille Croisée'], ago(n), [Line(p['Café 250g'], 2)], None) for n in (50, 35, 15, 5)]
    sales += [(clients[name], ago(n), [Line(p['Café 1kg'], 2), Line(p['Thé noir'])], None)
              for name in ('Sami Semblable', 'Sara Semblable', 'Sonia Semblable') for n in (60, 40, 20, 10)]
    sales += [(clients['Rachid Régulier'], ago(n), [Line(p['Capsules'], 2)], None) for n in (150, 90)]
    sales += [(clients['Rachid Régulier'], ago(120), [Line(p['Capsules'], 2), Line(p['Miel'])], None)]
    sales += [(clients['Léa Lointaine'], ago(n), [Line(p['Thé vert'], 3)], None) for n in (600, 560, 520, 480)]
    sales += [(clients['Léa Lointaine'], ago(440), [Line(p['Thé vert'], 3), Line(p['Café 250g'])], None)]
    sales += [(clients[f'Filler {i}'], ago(n), [Line(p['Miel'])], None)
              for i, n in enumerate((400, 380, 360, 340), start=1)]
    make_sales(actor, sales)
    return Shop(actor=actor, today=day, products=products, clients=clients)


def analyse(actor: Actor, day: date | None = None) -> dict[str, int]:
    """What the nightly run does: profiles, popularity, then recommendations."""
    with session_scope() as session:
        compute_profiles(session, actor.tenant_id, today=day)
        compute_popularity(session, actor.tenant_id, today=day)
        return generate_recommendations(session, actor.tenant_id, today=day)


def regenerate(actor: Actor) -> dict[str, int]:
    with session_scope() as session:
        return generate_recommendations(session, actor.tenant_id)
