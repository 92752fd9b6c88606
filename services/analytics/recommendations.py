"""Seed 002's recommendations: which product to offer which client, and why — generated for a whole tenant from the
RFM profiles (`client_profile`) and the product popularity (`product_popularity`) left by the latest computation.

The inputs are staged first in temporary tables (the clients' profiles, the families each client bought, the active
catalogue with its popularity, the families similar clients buy, what may not be offered yet); then each scenario is
one INSERT … SELECT: the candidates (client × product) are built by joins in the database, ranked per client with a
window function (row_number) and the best ones kept (`PER_CLIENT`: 2 for nurture and rebuy, 1 for the others — a
seller works through a short list, and each row written costs at a hundred thousand clients). Only clients that are
not archived, and active products of a named family, are considered (rebuy takes any active product).

`pop` below is a product's popularity percentile among the tenant's active products (percent_rank of its popularity
score: 0 for the least popular, 1 for the most popular). Scores are rounded to whole numbers between 0 and 100.

- **nurture** — segments new and promising. Products of the client's preferred family (its first top family, or
  the tenant's best-selling family when it has none) that are *introductory*: priced at most the family's median
  price or at most the client's average basket, and never bought by the client. Best: most popular, then cheapest.
  score = 40 + 45·pop + 15·[price ≤ family median].
- **winback** — segments at risk, cannot lose them, hibernating and about to sleep. The best-selling active product
  of the family they bought most (first top family), with a reactivation offer; the reason gives the days since the
  last purchase. score = 20 + 10·(M score − 1) + 5·(F score − 1) + 20·pop: the biggest past spenders first.
- **rebuy** — clients with at least two purchases whose usual interval has passed: days since the last purchase
  > 1.2 × their average interval between purchases, but at most 4 × (past that, the habit is broken: a case for
  winback, not a reminder). The products they bought in at least two different sales over the window, most often
  bought first. score = 30 + 8·min(times bought, 5) + 30·clamp((overdue ratio − 1.2) / 1.8), the overdue ratio
  being days since the last purchase / average interval.
- **cross_sell** — engaged clients (champions, loyal, potential loyalists, need attention). Similar clients are
  those sharing the same first top family; a family bought by at least `CROSS_SELL_MIN_BUYERS` of them and by at
  least `CROSS_SELL_MIN_SHARE` of the group, but never by this client, is offered through its most popular active
  product. share = buyers of the family in the group / clients of the group; lift = share / the family's share among
  all profiled clients. score = 30 + 50·share + 20·clamp((lift − 1) / 2).
- **upsell** — engaged clients. Active products of their first top family priced above what they usually pay in it
  (their average unit price in that family over the window) and at most their estimated budget, never bought by
  them. Best: most popular, then cheapest. score = 30 + 40·pop + 30·(1 − (price − usual) / (budget − usual)): the
  smaller step up scores higher.

Each generation replaces the tenant's open recommendations. Dismissed and done ones are kept, and the same
(client, product, scenario) is not offered again for `BLOCK_DAYS` days after it was acted on; after that, the old
row is reopened with the new score and reason (the unique key holds one row per client, product and scenario).

The reason is a translation key (`reco.reason.<scenario>`) and its parameters (names, counts, amounts in cents as
`<name>_cents`), put into words in the reader's language by the faces (`ui.messages.reason_text`).
"""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from db.models import Client, ClientProfile, ClientStatus, Product, ProductPopularity, Recommendation, SaleLine, utcnow
from db.models.types import UTCDateTime
from services.analytics.rfm import DEFAULT_WINDOW, window_start
from services.clock import today as clock_today

SCENARIOS = ('nurture', 'winback', 'rebuy', 'cross_sell', 'upsell')
PER_CLIENT = {'nurture': 2, 'winback': 1, 'rebuy': 2, 'cross_sell': 1, 'upsell': 1}
BLOCK_DAYS = 90
NURTURE_SEGMENTS = ('new', 'promising')
WINBACK_SEGMENTS = ('at_risk', 'cannot_lose', 'hibernating', 'about_to_sleep')
ENGAGED_SEGMENTS = ('champions', 'loyal', 'potential_loyalists', 'need_attention')
REBUY_OVERDUE = 1.2
REBUY_LAPSED = 4.0
CROSS_SELL_MIN_BUYERS = 2
CROSS_SELL_MIN_SHARE = 0.1
REASON_KEY = 'reco.reason.{}'
WORK_MEM = '64MB'

# The inputs every scenario reads, staged once per generation in temporary tables (and analysed on PostgreSQL, so
# that the planner knows their sizes): joins on them are hash joins, where the same joins on JSON fields and
# aggregates would be estimated at a few rows and run as nested loops over a million sale lines.
_staging = MetaData()
_CLIENTS = Table(  # profiled clients that are not archived
    'reco_client', _staging, Column('client_id', Integer, primary_key=True), Column('segment', String(24)),
    Column('family', String(80)),  # the first of their top families, NULL when none
    Column('frequency', Integer), Column('f_score', Integer), Column('m_score', Integer),
    Column('days', Integer),  # since the last purchase
    Column('interval', Float), Column('avg_basket', BigInteger), Column('budget', BigInteger),
    Column('first_on', Date), prefixes=['TEMPORARY'])
_FAMILIES = Table(  # the families each client ever bought, with its spend and quantity there over the RFM window
    'reco_family', _staging, Column('client_id', Integer), Column('family', String(80)),
    Column('quantity', BigInteger), Column('spend', BigInteger), prefixes=['TEMPORARY'])
_CROSS = Table(  # for clients whose first family is `group_family`: a family their group buys, and its best product
    'reco_cross', _staging, Column('group_family', String(80)), Column('family', String(80)),
    Column('share', Float), Column('lift', Float), Column('product_id', Integer), Column('name', String(200)),
    prefixes=['TEMPORARY'])
_CATALOG = Table(  # active products, with their popularity percentile
    'reco_catalog', _staging, Column('product_id', Integer, primary_key=True), Column('name', String(200)),
    Column('family', String(80)), Column('price_cents', BigInteger), Column('pop', Float),
    Column('revenue', BigInteger), prefixes=['TEMPORARY'])
_BLOCKED = Table(  # dismissed or done lately: not offered again yet
    'reco_blocked', _staging, Column('client_id', Integer, primary_key=True),
    Column('product_id', Integer, primary_key=True), Column('scenario', String(12), primary_key=True),
    prefixes=['TEMPORARY'])
_STAGED = (_CLIENTS, _FAMILIES, _CATALOG, _BLOCKED, _CROSS)


class _Sql:
    """What differs between SQLite and PostgreSQL, and the staged inputs of the tenant's scenarios."""

    def __init__(self, session: Session, tenant_id: int, today: date) -> None:
        self.session, self.tenant_id, self.today = session, tenant_id, today
        self.postgres = session.get_bind().dialect.name == 'postgresql'

    def first_family(self, column: Any) -> Any:
        """The first element of a JSON list of family names (NULL when empty)."""
        return column.op('->>')(0) if self.postgres else func.json_extract(column, '$[0]')

    def days_since(self, column: Any) -> Any:
        if self.postgres:
            return literal(self.today, Date) - column
        return cast(func.julianday(literal(self.today.isoformat())) - func.julianday(column), Integer)

    def json_object(self, pairs: dict[str, Any]) -> Any:
        arguments = [item for name, value in pairs.items() for item in (literal(name), value)]
        return func.jsonb_build_object(*arguments) if self.postgres else func.json_object(*arguments)

    def insert(self, table: Table, rows: Any) -> None:
        self.session.execute(insert(table).from_select([column.name for column in table.columns], rows))

    def stage(self) -> None:
        self.drop()
        if self.postgres:  # this transaction sorts and hashes a few hundred thousand candidates: in memory
            self.session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
        connection = self.session.connection()
        for table in _STAGED:
            table.create(connection)
        tenant = self.tenant_id
        self.insert(_CLIENTS, select(
            ClientProfile.client_id, ClientProfile.segment, self.first_family(ClientProfile.top_families),
            ClientProfile.frequency, ClientProfile.f_score, ClientProfile.m_score,
            self.days_since(ClientProfile.last_purchase_on), ClientProfile.avg_interval_days,
            ClientProfile.avg_basket_cents, ClientProfile.budget_cents, ClientProfile.first_purchase_on)
            .join(Client, Client.id == ClientProfile.client_id)
            .where(ClientProfile.tenant_id == tenant, Client.status != ClientStatus.ARCHIVED))
        months = self.session.execute(select(func.max(ClientProfile.window_months))
                                      .where(ClientProfile.tenant_id == tenant)).scalar() or DEFAULT_WINDOW
        recent = SaleLine.sold_on > window_start(self.today, months)
        self.insert(_FAMILIES, select(
            SaleLine.client_id, Product.family, func.coalesce(func.sum(case((recent, SaleLine.quantity))), 0),
            func.coalesce(func.sum(case((recent, SaleLine.total_cents))), 0))
            .join(Product, Product.id == SaleLine.product_id)
            .where(SaleLine.tenant_id == tenant, Product.family != '')
            .group_by(SaleLine.client_id, Product.family))
        score = func.coalesce(ProductPopularity.score, 0)
        self.insert(_CATALOG, select(
            Product.id, Product.name, Product.family, Product.price_cents,
            func.percent_rank().over(order_by=score), func.coalesce(ProductPopularity.revenue_recent_cents, 0))
            .outerjoin(ProductPopularity, ProductPopularity.product_id == Product.id)
            .where(Product.tenant_id == tenant, Product.is_active.is_(True)))
        since = utcnow() - timedelta(days=BLOCK_DAYS)
        self.insert(_BLOCKED, select(Recommendation.client_id, Recommendation.product_id, Recommendation.scenario)
                    .where(Recommendation.tenant_id == tenant, Recommendation.status != 'open',
                           func.coalesce(Recommendation.acted_at, Recommendation.created_at) >= since))
        self.insert(_CROSS, _family_pairs())
        if self.postgres:
            self.session.execute(text('ANALYZE ' + ', '.join(table.name for table in _STAGED)))

    def drop(self) -> None:
        for table in reversed(_STAGED):
            self.session.execute(text(f'DROP TABLE IF EXISTS {table.name}'))


def _not_blocked(query: Any, scenario: str, client_id: Any, product_id: Any) -> Any:
    blocked = _BLOCKED.alias('blocked')
    return query.outerjoin(blocked, and_(blocked.c.client_id == client_id, blocked.c.product_id == product_id,
                                         blocked.c.scenario == scenario)).where(blocked.c.client_id.is_(None))


def _never_bought(sql: _Sql, query: Any, client_id: Any, product_id: Any) -> Any:
    """Candidates the client never bought. On PostgreSQL, a LATERAL probe: one lookup of the (tenant, client,
    product) index per candidate, where the planner would otherwise read each client's every line per candidate."""
    lines = select(literal(1).label('found')).where(SaleLine.tenant_id == sql.tenant_id,
                                                   SaleLine.client_id == client_id, SaleLine.product_id == product_id)
    if not sql.postgres:
        return query.where(~lines.exists())
    owned = lines.limit(1).lateral('owned')
    return query.outerjoin(owned, true()).where(owned.c.found.is_(None))


def _clamp(value: Any) -> Any:
    return case((value < 0, 0.0), (value > 1, 1.0), else_=value)


def _ranked(columns: list, client_id: Any, order_by: list) -> list:
    return [*columns, func.row_number().over(partition_by=client_id, order_by=order_by).label('rank')]


# --- the scenarios: each returns candidates (client_id, product_id, score, rank, reason columns) -------------------

def _nurture(sql: _Sql) -> tuple[Any, dict[str, str]]:
    catalog, clients = _CATALOG, _CLIENTS
    named = catalog.c.family != ''
    positions = select(catalog.c.family, catalog.c.price_cents,
                       func.row_number().over(partition_by=catalog.c.family,
                                              order_by=(catalog.c.price_cents, catalog.c.product_id)).label('n'),
                       func.count().over(partition_by=catalog.c.family).label('size')).where(named).subquery()
    medians = select(positions.c.family, positions.c.price_cents.label('median')) \
        .where(positions.c.n == (positions.c.size + 1) // 2).subquery()
    best_family = (select(catalog.c.family).where(named).group_by(catalog.c.family)
                   .order_by(func.sum(catalog.c.revenue).desc(), catalog.c.family).limit(1).scalar_subquery())
    family = func.coalesce(clients.c.family, best_family)
    introductory = case((catalog.c.price_cents <= medians.c.median, 1.0), else_=0.0)
    score = 40 + 45 * catalog.c.pop + 15 * introductory
    query = (select(*_ranked([clients.c.client_id, catalog.c.product_id, score.label('score'),
                              catalog.c.family.label('r_family'), catalog.c.name.label('r_product'),
                              catalog.c.price_cents.label('r_price')],
                             clients.c.client_id, [catalog.c.pop.desc(), catalog.c.price_cents, catalog.c.product_id]))
             .select_from(clients)
             .join(catalog, catalog.c.family == family)
             .join(medians, medians.c.family == catalog.c.family)
             .where(clients.c.segment.in_(NURTURE_SEGMENTS),
                    or_(catalog.c.price_cents <= medians.c.median, catalog.c.price_cents <= clients.c.avg_basket)))
    query = _not_blocked(_never_bought(sql, query, clients.c.client_id, catalog.c.product_id), 'nurture',
                         clients.c.client_id, catalog.c.product_id)
    return query.subquery(), {'family': 'r_family', 'product': 'r_product', 'price_cents': 'r_price'}


def _winback(sql: _Sql) -> tuple[Any, dict[str, str]]:
    catalog, clients = _CATALOG, _CLIENTS
    score = 20 + 10 * (clients.c.m_score - 1) + 5 * (clients.c.f_score - 1) + 20 * catalog.c.pop
    query = (select(*_ranked([clients.c.client_id, catalog.c.product_id, score.label('score'),
                              catalog.c.family.label('r_family'), catalog.c.name.label('r_product'),
                              clients.c.days.label('r_days')],
                             clients.c.client_id, [catalog.c.pop.desc(), catalog.c.product_id]))
             .select_from(clients)
             .join(catalog, catalog.c.family == clients.c.family)
             .where(clients.c.segment.in_(WINBACK_SEGMENTS)))
    query = _not_blocked(query, 'winback', clients.c.client_id, catalog.c.product_id)
    return query.subquery(), {'family': 'r_family', 'product': 'r_product', 'days': 'r_days'}


def _rebuy(sql: _Sql) -> tuple[Any, dict[str, str]]:
    catalog, clients = _CATALOG, _CLIENTS
    due = (select(clients).where(clients.c.frequency >= 2, clients.c.interval > 0,
                                 clients.c.days > REBUY_OVERDUE * clients.c.interval,
                                 clients.c.days <= REBUY_LAPSED * clients.c.interval).subquery())
    times = func.count(SaleLine.sale_id.distinct())
    bought = (select(SaleLine.client_id, SaleLine.product_id, times.label('times'),
                     func.max(SaleLine.sold_on).label('last_on'))
              .join(due, due.c.client_id == SaleLine.client_id)
              .where(SaleLine.tenant_id == sql.tenant_id, SaleLine.sold_on >= due.c.first_on)
              .group_by(SaleLine.client_id, SaleLine.product_id).having(times >= 2).subquery())
    ratio = cast(due.c.days, Float) / due.c.interval
    capped_times = case((bought.c.times > 5, 5), else_=bought.c.times)
    score = 30 + 8 * capped_times + 30 * _clamp((ratio - REBUY_OVERDUE) / 1.8)
    query = (select(*_ranked([due.c.client_id, bought.c.product_id, score.label('score'),
                              catalog.c.name.label('r_product'), bought.c.times.label('r_times'),
                              cast(func.round(due.c.interval), Integer).label('r_interval'),
                              due.c.days.label('r_days')],
                             due.c.client_id, [bought.c.times.desc(), bought.c.last_on.desc(), bought.c.product_id]))
             .select_from(due)
             .join(bought, bought.c.client_id == due.c.client_id)
             .join(catalog, catalog.c.product_id == bought.c.product_id))
    query = _not_blocked(query, 'rebuy', due.c.client_id, bought.c.product_id)
    return query.subquery(), {'product': 'r_product', 'times': 'r_times', 'interval': 'r_interval', 'days': 'r_days'}


def _family_pairs() -> Any:
    """For each group of similar clients (same first family): the other families its members bought, with their
    share in the group and their lift, kept when bought by enough of them, and each family's most popular product."""
    clients, bought, catalog = _CLIENTS, _FAMILIES, _CATALOG
    groups = select(clients.c.client_id, clients.c.family.label('group_family')) \
        .where(clients.c.family.is_not(None)).cte('similar_groups')
    sizes = select(groups.c.group_family, func.count().label('size')).group_by(groups.c.group_family).subquery()
    buyers = (select(groups.c.group_family, bought.c.family, func.count().label('buyers'))
              .join(bought, bought.c.client_id == groups.c.client_id)
              .where(bought.c.family != groups.c.group_family)
              .group_by(groups.c.group_family, bought.c.family).subquery())
    total = select(func.count()).select_from(groups).scalar_subquery()
    overall = (select(bought.c.family, func.count().label('buyers'))
               .join(groups, groups.c.client_id == bought.c.client_id)
               .group_by(bought.c.family).subquery())
    best = select(catalog.c.family, catalog.c.product_id, catalog.c.name,
                  func.row_number().over(partition_by=catalog.c.family,
                                         order_by=(catalog.c.pop.desc(), catalog.c.product_id)).label('n')) \
        .where(catalog.c.family != '').subquery()
    share = cast(buyers.c.buyers, Float) / sizes.c.size
    return (select(buyers.c.group_family, buyers.c.family, share, share / (cast(overall.c.buyers, Float) / total),
                   best.c.product_id, best.c.name)
            .join(sizes, sizes.c.group_family == buyers.c.group_family)
            .join(overall, overall.c.family == buyers.c.family)
            .join(best, and_(best.c.family == buyers.c.family, best.c.n == 1))
            .where(buyers.c.buyers >= CROSS_SELL_MIN_BUYERS, share >= CROSS_SELL_MIN_SHARE))


def _cross_sell(sql: _Sql) -> tuple[Any, dict[str, str]]:
    clients, pairs, mine = _CLIENTS, _CROSS, _FAMILIES
    score = 30 + 50 * pairs.c.share + 20 * _clamp((pairs.c.lift - 1) / 2)
    query = (select(*_ranked([clients.c.client_id, pairs.c.product_id, score.label('score'),
                              pairs.c.family.label('r_family'), pairs.c.name.label('r_product'),
                              cast(func.round(100 * pairs.c.share), Integer).label('r_share'),
                              pairs.c.group_family.label('r_group')],
                             clients.c.client_id, [score.desc(), pairs.c.family]))
             .select_from(clients)
             .join(pairs, pairs.c.group_family == clients.c.family)
             .outerjoin(mine, and_(mine.c.client_id == clients.c.client_id, mine.c.family == pairs.c.family))
             .where(clients.c.segment.in_(ENGAGED_SEGMENTS), mine.c.client_id.is_(None)))
    query = _not_blocked(query, 'cross_sell', clients.c.client_id, pairs.c.product_id)
    return query.subquery(), {'family': 'r_family', 'product': 'r_product', 'share': 'r_share',
                              'group_family': 'r_group'}


def _upsell(sql: _Sql) -> tuple[Any, dict[str, str]]:
    catalog, clients, spent = _CATALOG, _CLIENTS, _FAMILIES
    usual = (select(spent.c.client_id, cast(spent.c.spend // spent.c.quantity, BigInteger).label('usual'))
             .join(clients, and_(clients.c.client_id == spent.c.client_id, clients.c.family == spent.c.family))
             .where(clients.c.segment.in_(ENGAGED_SEGMENTS), spent.c.quantity > 0).subquery())
    step = cast(catalog.c.price_cents - usual.c.usual, Float) / (clients.c.budget - usual.c.usual)
    score = 30 + 40 * catalog.c.pop + 30 * (1 - step)
    query = (select(*_ranked([clients.c.client_id, catalog.c.product_id, score.label('score'),
                              catalog.c.family.label('r_family'), catalog.c.name.label('r_product'),
                              catalog.c.price_cents.label('r_price'), usual.c.usual.label('r_usual'),
                              clients.c.budget.label('r_budget')],
                             clients.c.client_id, [catalog.c.pop.desc(), catalog.c.price_cents, catalog.c.product_id]))
             .select_from(clients)
             .join(usual, usual.c.client_id == clients.c.client_id)
             .join(catalog, catalog.c.family == clients.c.family)
             .where(catalog.c.price_cents > usual.c.usual, catalog.c.price_cents <= clients.c.budget))
    query = _not_blocked(_never_bought(sql, query, clients.c.client_id, catalog.c.product_id), 'upsell',
                         clients.c.client_id, catalog.c.product_id)
    return query.subquery(), {'family': 'r_family', 'product': 'r_product', 'price_cents': 'r_price',
                              'usual_cents': 'r_usual', 'budget_cents': 'r_budget'}


BUILDERS = {'nurture': _nurture, 'winback': _winback, 'rebuy': _rebuy, 'cross_sell': _cross_sell, 'upsell': _upsell}


def _insert(sql: _Sql, scenario: str, candidates: Any, reason: dict[str, str], run_id: int | None) -> None:
    """Keep each client's best candidates; an old dismissed or done row of the same triple is reopened."""
    score = cast(func.round(_clamp(candidates.c.score / 100.0) * 100), Integer)
    params = sql.json_object({name: candidates.c[column] for name, column in reason.items()})
    rows = (select(literal(sql.tenant_id), candidates.c.client_id, candidates.c.product_id, literal(scenario), score,
                   literal(REASON_KEY.format(scenario)), params, literal('open'),
                   literal(utcnow(), UTCDateTime), literal(run_id, Integer))
            .where(candidates.c.rank <= PER_CLIENT[scenario]))
    columns = ['tenant_id', 'client_id', 'product_id', 'scenario', 'score', 'reason_key', 'reason_params', 'status',
               'created_at', 'run_id']
    statement = (postgres_insert if sql.postgres else sqlite_insert)(Recommendation).from_select(columns, rows)
    fresh = statement.excluded
    table = Recommendation.__table__.c
    statement = statement.on_conflict_do_update(
        index_elements=['tenant_id', 'client_id', 'product_id', 'scenario'],
        set_={'status': 'open', 'score': fresh.score, 'reason_key': fresh.reason_key,
              'reason_params': fresh.reason_params, 'created_at': fresh.created_at, 'run_id': fresh.run_id,
              'acted_at': None, 'acted_by': None, 'interaction_id': None},
        where=table.status != 'open')
    sql.session.execute(statement)


def generate_recommendations(session: Session, tenant_id: int, *, today: date | None = None,
                             run_id: int | None = None) -> dict[str, int]:
    """Replace the tenant's open recommendations; returns how many are open per scenario."""
    sql = _Sql(session, tenant_id, today or clock_today())
    session.flush()
    sql.stage()  # on an error, the rollback takes the staging tables away with the rest
    session.execute(delete(Recommendation).where(Recommendation.tenant_id == tenant_id,
                                                 Recommendation.status == 'open'))
    for scenario, build in BUILDERS.items():
        candidates, reason = build(sql)
        _insert(sql, scenario, candidates, reason, run_id)
    sql.drop()
    # Fresh statistics (a fraction of a second): SQLite, which has none otherwise, would read a client's list through
    # the tenant's index — all its open recommendations — instead of the client's.
    session.execute(text('ANALYZE recommendation'))
    counts = dict(session.execute(select(Recommendation.scenario, func.count())
                                  .where(Recommendation.tenant_id == tenant_id, Recommendation.status == 'open')
                                  .group_by(Recommendation.scenario)).all())
    return {scenario: counts.get(scenario, 0) for scenario in SCENARIOS}

