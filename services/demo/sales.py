"""Demo sales: the catalogue of `services.demo.catalogue` and 30 months of sales for the demo clients.

Generated with numpy, chunk by chunk of the clients `fill_tenant` has just generated, deterministic for a seed
and a day (one numpy stream per fill, drawn in the same order whatever the database). The model:

- a client's life as a buyer: never bought (prospects), new (first purchase in the last three months), lapsed
  (stopped 8 to 20 months ago), slipping (2 to 8 months ago) or active; inactive and archived clients lapse more
  often. Most clients came with their earlier purchases (imported: up to 900 days before their creation in the
  CRM), the others start buying when created;
- how often a client buys is log-normal, and so is the size of its baskets (correlated with it, larger for
  companies): a long tail of clients who bought once or twice, a few wholesalers who bought hundreds of times,
  and about a fifth of the clients making 70 % of the revenue. The fill averages `SALES_PER_CLIENT` sales a
  client. About half the regular buyers keep a personal interval (with some jitter), the others buy at random;
- busy seasons: sales are placed on a "busy time" axis (the cumulative daily intensity of the calendar: Ramadan,
  the days before the Aïd, the rentrée, December, quiet Fridays, 10 % growth a year) and mapped back to days, so
  that regular buyers too come more often during Ramadan;
- each client prefers a few families (Dirichlet weights) and has `FAVOURITES` usual products it re-buys; its other
  lines pick a family by preference × the family's season, then a product by popularity × the product's season
  (fans in summer, school bags for the rentrée). Discontinued products only appear before they were withdrawn;
- 1 to 6 lines a sale (more for big buyers), quantities by product and buyer size, unit prices lower in older
  sales (8 % inflation a year), wholesale and promotion discounts; 6 % of the sales are one amount without lines;
- channels: a usual one per client (field, phone and store for companies; store, online and marketplace for
  individuals), 75 % of its sales; online, marketplace and field sales carry a reference.

Rows come out as tuples in the column order of `SALE_COLUMNS` and `LINE_COLUMNS`, dates and times as text in the
database's own format, ready for COPY (PostgreSQL) or executemany (SQLite). A line repeats its sale's client and
day. Sale ids come from the caller (`ids`), line ids from the database.
"""

from calendar import monthrange
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from db.models import Product, Sale
from services.demo import catalogue as vocabulary
from services.products import folded

SALE_COLUMNS = ('id', 'tenant_id', 'client_id', 'sold_on', 'channel', 'currency', 'total_cents', 'reference', 'note',
                'created_by', 'created_at', 'updated_at')
LINE_COLUMNS = ('tenant_id', 'sale_id', 'product_id', 'client_id', 'sold_on', 'quantity', 'unit_price_cents',
                'total_cents')
FREQUENCY_SPREAD = 0.8  # sigma of the log of a client's purchase rate
BASKET_SPREAD = (0.25, 0.4)  # a client's basket size: sigma shared with its rate, and its own
COMPANY_BASKET = 0.4  # companies buy bigger baskets: exp(0.4) times an individual's
REGULAR_SHARE = 0.55  # buyers with a personal interval (among those with 3 purchases or more)
REGULAR_JITTER = 0.15  # of the interval, either way
FAVOURITE_SHARE = (0.3, 0.6)  # lines taken from the usual products: irregular, regular buyers
PREFERENCE_CONCENTRATION = 2.5  # Dirichlet: low = a few preferred families
NEW_MAX_SALES = 4
IMPORTED_SHARE, IMPORTED_DAYS = 0.85, 900  # clients whose earlier purchases came with them (an import)
BIG_TICKET_DZD = 20_000  # appliances and the like: bought one at a time
WHOLESALE_QUANTITY, WHOLESALE_DISCOUNT = 12, 0.95
PROMOTION_SHARE, PROMOTION_DISCOUNT = 0.04, (0.80, 0.92)
SINGLE_AMOUNT_DZD, SINGLE_AMOUNT_SPREAD = 1800, 0.6
DISCONTINUED_DAYS = (150, 540)  # inactive products were withdrawn 5 to 18 months ago
STORE_HOURS = (8, 19)
MONTH = 30.44  # days

SaleRows = tuple[list[tuple], list[tuple]]
Ids = Callable[[type, int], Sequence[int]]


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def ramadan_starts(first: date, last: date) -> list[date]:
    """First days of Ramadan (approximate, ±1 day) from a year before `first` to `last`."""
    anchor = date(*vocabulary.RAMADAN_ANCHOR)
    starts = []
    for k in range(-40, 40):
        start = anchor + timedelta(days=round(k * vocabulary.LUNAR_YEAR))
        if first - timedelta(days=400) <= start <= last:
            starts.append(start)
    return starts


@dataclass(frozen=True)
class SalesBatch:
    """Sales without ids, compact: per sale its client id, day index, UTC time (epoch seconds), channel index,
    total (cents), single-amount flag and recorder (-1: none); per line its sale (index in the batch), product
    (index in the generator's catalogue), quantity and unit price (cents)."""

    client: np.ndarray
    day: np.ndarray
    seconds: np.ndarray
    channel: np.ndarray
    total: np.ndarray
    single: np.ndarray
    recorder: np.ndarray
    line_sale: np.ndarray
    line_product: np.ndarray
    line_quantity: np.ndarray
    line_unit: np.ndarray

    @classmethod
    def empty(cls) -> 'SalesBatch':
        return cls(*(np.zeros(0, dtype=np.int64) for _ in range(11)))

    @classmethod
    def merge(cls, batches: Sequence['SalesBatch']) -> 'SalesBatch':
        """One batch of them all (line sale indexes shifted)."""
        if not batches:
            return cls.empty()
        offsets = np.cumsum([0] + [len(batch.client) for batch in batches[:-1]])
        columns = {name: np.concatenate([getattr(batch, name) for batch in batches])
                   for name in cls.__dataclass_fields__ if name != 'line_sale'}
        columns['line_sale'] = np.concatenate([batch.line_sale + offset
                                               for batch, offset in zip(batches, offsets, strict=True)])
        return cls(**columns)

    def __len__(self) -> int:
        return len(self.client)


class Calendar:
    """The days of the sales window (`months` months up to `last`), their seasons, how busy each is, and each
    family's and season-tagged product's weight on each day."""

    def __init__(self, last: date, months: int, zone: ZoneInfo) -> None:
        self.first = months_before(last, months) + timedelta(days=1)
        self.last = last
        self.days = (last - self.first).days + 1
        dates = [self.first + timedelta(days=offset) for offset in range(self.days)]
        self.iso = [day.isoformat() for day in dates]
        month = np.array([day.month for day in dates])
        day_of_month = np.array([day.day for day in dates])
        weekday = np.array([day.weekday() for day in dates])
        flags = {name: np.zeros(self.days, dtype=bool)
                 for name in ('ramadan', 'before_fitr', 'fitr', 'adha', 'adha_day')}

        def mark(name: str, start: int, end: int) -> None:
            flags[name][max(start, 0):max(end, 0)] = True

        for start in ramadan_starts(self.first, last):
            offset = (start - self.first).days
            adha = offset + vocabulary.ADHA_AFTER_RAMADAN
            mark('ramadan', offset, offset + 30)
            mark('before_fitr', offset + 20, offset + 30)
            mark('fitr', offset + 30, offset + 32)
            mark('adha', adha - 10, adha)
            mark('adha_day', adha, adha + 2)
        flags['summer'] = (month >= 6) & (month <= 8)
        flags['winter'] = (month == 12) | (month <= 2)
        flags['rentree'] = ((month == 8) & (day_of_month >= 20)) | (month == 9)
        flags['december'] = month == 12
        flags['august'] = month == 8
        flags['other'] = ~flags['rentree']
        self.flags = flags

        factor = np.ones(self.days)
        for name in ('august', 'december', 'rentree', 'ramadan', 'adha', 'before_fitr', 'adha_day', 'fitr'):
            factor[flags[name]] = vocabulary.DAY_FACTORS[name]  # the later, the stronger
        growth = (1 + vocabulary.YEARLY_GROWTH) ** (np.arange(self.days) / 365)
        intensity = factor * np.array(vocabulary.WEEKDAY_FACTORS)[weekday] * growth
        busy = np.cumsum(intensity)
        self.busy = np.concatenate(([0.0], busy * (self.days / busy[-1])))  # busy time at the start of each day

        families = [name for name, _, _ in vocabulary.FAMILIES]
        self.family_weights = np.ones((len(families), self.days))
        for index, name in enumerate(families):
            for season, weight in vocabulary.FAMILY_SEASONS[name].items():
                self.family_weights[index, flags[season]] *= weight
        tag_seasons = {'summer': flags['summer'], 'winter': flags['winter'], 'rentree': flags['rentree'],
                       'ramadan': flags['ramadan'], 'aid': flags['before_fitr'] | flags['adha']}
        codes = sum(tag_seasons[tag].astype(int) << bit for bit, tag in enumerate(vocabulary.SEASON_TAGS))
        self.combos, self.combo = np.unique(codes, return_inverse=True)  # season combination of each day
        self.deflator = (1 + vocabulary.YEARLY_INFLATION) ** (-(self.days - 1 - np.arange(self.days)) / 365)
        self.midnight = np.array([datetime.combine(day, time(), zone).timestamp() for day in dates])
        self.zone = zone

    def day_of(self, moment: datetime) -> int:
        """Index of a moment's local day (negative before the window)."""
        return (moment.astimezone(self.zone).date() - self.first).days

    def tag_weight(self, tag: str, combo: int) -> float:
        if not tag:
            return 1.0
        bit = vocabulary.SEASON_TAGS.index(tag)
        in_season = bool(int(self.combos[combo]) >> bit & 1)
        return vocabulary.TAG_IN_SEASON[tag] if in_season else vocabulary.TAG_OUT_OF_SEASON[tag]


@dataclass(frozen=True)
class CatalogueEntry:
    sku: str
    name: str
    family: str
    family_index: int
    rank: int  # popularity rank within the family, 0 first
    price_dzd: int
    tags: tuple[str, ...]


def catalogue() -> list[CatalogueEntry]:
    entries = []
    for index, (family, prefix, _) in enumerate(vocabulary.FAMILIES):
        for rank, (name, price, tags) in enumerate(vocabulary.PRODUCTS[family]):
            entries.append(CatalogueEntry(f'{prefix}-{rank + 1:03d}', name, family, index, rank, price,
                                          tuple(tags.split())))
    return entries


def price_cents(price_dzd: float, currency: str) -> int:
    if currency == 'DZD':
        return round(price_dzd) * 100
    return max(5, round(price_dzd * vocabulary.EUR_PER_DZD * 100 / 5) * 5)  # to 5 cents


def insert_catalogue(session: Session, tenant_id: int, currency: str, now: datetime) -> int:
    """The demo catalogue in the tenant (products whose SKU is already there are left as they are); how many were
    added."""
    rows = [{'tenant_id': tenant_id, 'sku': entry.sku, 'name': entry.name, 'folded': folded(entry.sku, entry.name),
             'family': entry.family,
             'price_cents': price_cents(entry.price_dzd, currency), 'is_active': 'inactive' not in entry.tags,
             'description': None, 'created_at': now - timedelta(days=3 * 365), 'updated_at': now, 'version': 1}
            for entry in catalogue()]
    dialect_insert = postgres_insert if session.get_bind().dialect.name == 'postgresql' else sqlite_insert
    before = _count_products(session, tenant_id)
    session.execute(dialect_insert(Product).values(rows).on_conflict_do_nothing(index_elements=['tenant_id', 'sku']))
    return _count_products(session, tenant_id) - before


def _count_products(session: Session, tenant_id: int) -> int:
    return session.exec(select(func.count()).select_from(Product).where(Product.tenant_id == tenant_id)).one()


class SalesGenerator:
    """Sales and lines of the demo clients, chunk by chunk, from one seeded numpy stream."""

    def __init__(self, tenant_id: int, currency: str, products: dict[str, tuple[int, int, bool]],
                 users: Sequence[int], seed: int, now: datetime, zone: ZoneInfo, *, postgres: bool,
                 sales_per_client: float = vocabulary.SALES_PER_CLIENT) -> None:
        """`products`: the tenant's products of the demo catalogue, SKU → (id, price in cents, active). Sales run
        up to `now`'s day in `zone` (none later than `now`)."""
        self.tenant_id, self.currency, self.users = tenant_id, currency, list(users)
        self.now = now.timestamp()
        today = now.astimezone(zone).date()
        self.sales_per_client, self.postgres = sales_per_client, postgres
        self.rng = np.random.default_rng([seed, 6])
        self.calendar = Calendar(today, vocabulary.SALES_MONTHS, zone)
        self._products([entry for entry in catalogue() if entry.sku in products], products)

    @classmethod
    def for_tenant(cls, session: Session, tenant_id: int, currency: str, users: Sequence[int], seed: int,
                   now: datetime, zone: ZoneInfo, **options) -> 'SalesGenerator':
        """With the tenant's products of the demo catalogue (by SKU): insert them first (`insert_catalogue`)."""
        products = {sku: (product_id, cents, active) for product_id, sku, cents, active in session.exec(
            select(Product.id, Product.sku, Product.price_cents, Product.is_active)
            .where(Product.tenant_id == tenant_id, col(Product.sku).in_([e.sku for e in catalogue()])))}
        return cls(tenant_id, currency, products, users, seed, now, zone,
                   postgres=session.get_bind().dialect.name == 'postgresql', **options)

    # -- the catalogue as arrays -----------------------------------------------------------------------------------

    def _products(self, entries: list[CatalogueEntry], found: dict[str, tuple[int, int, bool]]) -> None:
        calendar, rng = self.calendar, self.rng
        count = len(entries)
        self.product_ids = np.array([found[e.sku][0] for e in entries], dtype=np.int64)
        self.product_family = np.array([e.family_index for e in entries], dtype=np.int64)
        self.price = np.array([found[e.sku][1] for e in entries], dtype=np.float64)
        self.step = 100 if self.currency == 'DZD' else 5
        dzd = np.array([e.price_dzd for e in entries], dtype=np.float64)
        self.big_ticket = dzd >= BIG_TICKET_DZD
        self.consumable = dzd < 5000
        self.typical = np.select([dzd < 150, dzd < 500, dzd < 2000, dzd < 8000], [4.0, 2.5, 1.6, 1.15], 1.0)
        active = np.array([found[e.sku][2] for e in entries], dtype=bool)
        low, high = DISCONTINUED_DAYS
        withdrawn = calendar.days - rng.integers(low, high, count)
        self.withdrawn = np.where(active, calendar.days + 1, withdrawn)  # day from which it is no longer sold
        popularity = 1 / (np.array([e.rank for e in entries]) + 1.5) ** 0.9
        seasons = [next((tag for tag in e.tags if tag in vocabulary.SEASON_TAGS), '') for e in entries]
        self.substitute = np.arange(count)
        families = len(vocabulary.FAMILIES)
        self.family_products: list[np.ndarray] = []
        self.family_cumulative: list[list[np.ndarray]] = []  # [family][combo] → cumulative weights
        for family in range(families):
            members = np.flatnonzero(self.product_family == family)
            self.family_products.append(members)
            live = [m for m in members if active[m]]
            for member in members:
                if not active[member] and live:
                    self.substitute[member] = live[0]
            self.family_cumulative.append([
                np.cumsum([popularity[m] * calendar.tag_weight(seasons[m], combo) for m in members])
                for combo in range(len(calendar.combos))])
        self.base_popularity = popularity
        self.family_share = np.array([share for _, _, share in vocabulary.FAMILIES], dtype=np.float64)
        self.family_share /= self.family_share.sum()
        self.has_family = np.array([len(members) > 0 for members in self.family_products])

    # -- sales: generated chunk by chunk, written in chronological order -------------------------------------------

    def chunk(self, clients: Sequence[dict], ids: Ids) -> SaleRows:
        """Sales (and their lines) of `clients` (client rows as the demo generator makes them), as rows."""
        sales, lines = [], []
        batch = self.generate(clients)
        for block_sales, block_lines in self.rows(batch, ids, block=max(len(batch), 1)):
            sales += block_sales
            lines += block_lines
        return sales, lines

    def generate(self, clients: Sequence[dict]) -> 'SalesBatch':
        """The sales of `clients` (client rows as the demo generator makes them), compact, without ids."""
        if not clients or not len(self.product_ids):
            return SalesBatch.empty()
        rng, calendar = self.rng, self.calendar
        days = calendar.days
        n = len(clients)
        client_ids = np.array([c['id'] for c in clients], dtype=np.int64)
        created = np.array([max(calendar.day_of(c['created_at']), 0) for c in clients], dtype=np.int64)
        company = np.array([c['kind'] == 'company' for c in clients], dtype=bool)
        owner = np.array([c['owner_id'] if c['owner_id'] is not None else -1 for c in clients], dtype=np.int64)
        status = [c['status'] if c['status'] in vocabulary.LIFECYCLE_SHARES else 'active' for c in clients]

        # Life as a buyer, and the span of days it bought in.
        life = np.empty(n, dtype=np.int64)
        draws = rng.random(n)
        for name, shares in vocabulary.LIFECYCLE_SHARES.items():
            cumulative = np.cumsum(shares) / sum(shares)
            mask = np.array([s == name for s in status])
            life[mask] = np.minimum(np.searchsorted(cumulative, draws[mask], side='right'), len(shares) - 1)
        never, new, lapsed, slipping, _ = range(len(vocabulary.LIFECYCLES))
        imported = np.where(rng.random(n) < IMPORTED_SHARE, rng.integers(0, IMPORTED_DAYS, n), 0)
        start, end = np.maximum(created - imported, 0), np.full(n, days)
        lapse = rng.uniform(*vocabulary.LAPSED_MONTHS, n) * MONTH
        slip = rng.uniform(*vocabulary.SLIPPING_MONTHS, n) * MONTH
        recent = rng.integers(1, vocabulary.NEW_DAYS + 1, n)
        end = np.where(life == lapsed, days - lapse.astype(np.int64), end)
        end = np.where(life == slipping, days - slip.astype(np.int64), end)
        too_young = ((life == lapsed) | (life == slipping)) & (end - start < 30)
        end[too_young] = days  # created too recently to have lapsed: an active buyer
        life[too_young] = vocabulary.LIFECYCLES.index('active')
        start = np.where(life == new, np.maximum(start, days - recent), start)
        start = np.minimum(start, days - 1)
        buyer = (life != never) & (end > start)
        span = np.where(buyer, calendar.busy[end] - calendar.busy[start], 0.0)

        # How often (a long tail) and how much (correlated with how often; companies buy more).
        often = rng.standard_normal(n)
        basket_own = rng.standard_normal(n)
        rate = np.exp(FREQUENCY_SPREAD * often)
        basket = np.exp(BASKET_SPREAD[0] * often + BASKET_SPREAD[1] * basket_own + COMPANY_BASKET * company)
        weight = np.where(buyer, rate * span, 0.0)
        expected = weight * self._scale(weight, buyer.sum())
        regular = buyer & (expected >= 3) & (rng.random(n) < REGULAR_SHARE)
        counts = np.where(regular, np.maximum(1, np.rint(expected * np.exp(rng.normal(0, 0.1, n)))),
                          1 + rng.poisson(np.maximum(expected - 1, 0)))
        counts = np.where(life == new, np.minimum(counts, NEW_MAX_SALES), counts)
        counts = np.where(buyer, counts, 0).astype(np.int64)
        total = int(counts.sum())
        if not total:
            return SalesBatch.empty()

        # When: positions on the busy-time axis, mapped back to days.
        owner_of = np.repeat(np.arange(n), counts)
        rank = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        phase = rng.uniform(REGULAR_JITTER, 1 - REGULAR_JITTER, n)  # with the jitter, within its interval
        spread = np.where(regular[owner_of],
                          (rank + phase[owner_of] + rng.uniform(-REGULAR_JITTER, REGULAR_JITTER, total))
                          / counts[owner_of],
                          rng.random(total))
        stopped = ((life == lapsed) | (life == slipping))[owner_of] & (rank == counts[owner_of] - 1)
        spread = np.where(stopped, 1.0, spread)  # their last purchase is the day they stopped
        spread = np.clip(spread, 0.0, 1.0 - 1e-9)
        moment = calendar.busy[start[owner_of]] + spread * span[owner_of]
        day = np.searchsorted(calendar.busy, moment, side='right') - 1
        day = np.clip(day, start[owner_of], end[owner_of] - 1)

        # Channel, lines or a single amount.
        usual = self._channels(company, rng.random(n))
        channel = np.where(rng.random(total) < vocabulary.USUAL_CHANNEL, usual[owner_of],
                           self._channels(company[owner_of], rng.random(total)))
        single = rng.random(total) < vocabulary.SINGLE_AMOUNT_SHARE
        large = basket >= np.quantile(basket, 0.75) if n >= 4 else np.zeros(n, dtype=bool)
        lines_small = np.searchsorted(np.cumsum(vocabulary.LINES_SMALL) / sum(vocabulary.LINES_SMALL),
                                      rng.random(total), side='right') + 1
        lines_large = np.searchsorted(np.cumsum(vocabulary.LINES_LARGE) / sum(vocabulary.LINES_LARGE),
                                      rng.random(total), side='right') + 1
        line_count = np.where(single, 0, np.where(large[owner_of], lines_large, lines_small))
        line_count = np.minimum(line_count, 6)

        sale_of, product, quantity, unit = self._lines(n, regular, basket, company, owner_of, day, line_count)
        sale_total = np.bincount(sale_of, weights=quantity * unit, minlength=total).astype(np.int64)
        amount = np.rint(SINGLE_AMOUNT_DZD * basket[owner_of]
                         * np.exp(rng.normal(0, SINGLE_AMOUNT_SPREAD, total)) / 10) * 10
        amount_cents = np.array([price_cents(a, self.currency) for a in amount.tolist()], dtype=np.int64) \
            if self.currency != 'DZD' else amount.astype(np.int64) * 100
        sale_total = np.where(single, np.maximum(amount_cents, self.step), sale_total)

        # Who recorded it, and when.
        online = np.isin(channel, (vocabulary.CHANNELS.index('online'), vocabulary.CHANNELS.index('marketplace')))
        hours = np.where(online, rng.uniform(0, 24, total), rng.uniform(*STORE_HOURS, total))
        seconds = np.minimum(calendar.midnight[day] + np.floor(hours * 3600), np.floor(self.now)).astype(np.int64)
        pick = rng.integers(0, max(len(self.users), 1), total)
        by_owner = rng.random(total) < 0.7
        recorder = np.where(by_owner & (owner[owner_of] >= 0), owner[owner_of],
                            np.array(self.users, dtype=np.int64)[pick] if self.users else -1)
        recorder = np.where(online, -1, recorder)
        return SalesBatch(client=client_ids[owner_of], day=day, seconds=seconds, channel=channel,
                          total=sale_total, single=single, recorder=recorder, line_sale=sale_of,
                          line_product=product, line_quantity=quantity, line_unit=unit)

    def rows(self, batch: 'SalesBatch', ids: Ids, *, block: int = 50_000) -> Iterator[SaleRows]:
        """The batch's sales in chronological order (ids drawn in that order) with their lines, as rows, `block`
        sales at a time."""
        calendar = self.calendar
        order = np.lexsort((batch.client, batch.seconds))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        line_sale = position[batch.line_sale]
        line_order = np.argsort(line_sale, kind='stable')
        line_sale = line_sale[line_order]
        for first in range(0, len(order), block):
            chosen = order[first:first + block]
            count = len(chosen)
            sale_ids = list(ids(Sale, count))
            client_ids = batch.client[chosen].tolist()
            days_text = [calendar.iso[d] for d in batch.day[chosen].tolist()]
            channels = [vocabulary.CHANNELS[c] for c in batch.channel[chosen].tolist()]
            references = [f'{prefix}-{sale_id:07d}' if (prefix := vocabulary.REFERENCE_PREFIXES.get(name)) else None
                          for name, sale_id in zip(channels, sale_ids, strict=True)]
            notes = [vocabulary.SINGLE_AMOUNT_NOTE if flag else None for flag in batch.single[chosen].tolist()]
            recorders = [None if r < 0 else r for r in batch.recorder[chosen].tolist()]
            stamps = self._stamps(batch.seconds[chosen])
            sales = list(zip(sale_ids, [self.tenant_id] * count, client_ids, days_text, channels,
                             [self.currency] * count, batch.total[chosen].tolist(), references, notes, recorders,
                             stamps, stamps, strict=True))
            low, high = np.searchsorted(line_sale, (first, first + count))
            picked = line_order[low:high]
            local = (line_sale[low:high] - first).tolist()
            quantity, unit = batch.line_quantity[picked], batch.line_unit[picked]
            sale_id_of = [sale_ids[i] for i in local]
            lines = list(zip([self.tenant_id] * len(local), sale_id_of, self.product_ids[batch.line_product[picked]]
                             .tolist(), [client_ids[i] for i in local], [days_text[i] for i in local],
                             quantity.tolist(), unit.tolist(), (quantity * unit).tolist(), strict=True))
            yield sales, lines

    def _scale(self, weight: np.ndarray, buyers: int) -> float:
        """The factor turning weights into expected purchase counts, so that the chunk averages
        `sales_per_client` sales a client (every buyer buys at least once)."""
        target = self.sales_per_client * len(weight)
        if not buyers or target <= buyers:
            return 0.0
        low, high = 0.0, target / max(weight.sum(), 1e-9) * 4
        for _ in range(40):
            middle = (low + high) / 2
            if np.maximum(weight[weight > 0] * middle, 1).sum() < target:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    def _channels(self, company: np.ndarray, draws: np.ndarray) -> np.ndarray:
        out = np.empty(len(draws), dtype=np.int64)
        for kind, mask in (('company', company), ('individual', ~company)):
            shares = vocabulary.CHANNEL_SHARES[kind]
            cumulative = np.cumsum(shares) / sum(shares)
            out[mask] = np.minimum(np.searchsorted(cumulative, draws[mask], side='right'), len(shares) - 1)
        return out

    def _lines(self, n: int, regular: np.ndarray, basket: np.ndarray, company: np.ndarray, owner_of: np.ndarray,
               day: np.ndarray, line_count: np.ndarray) -> tuple[np.ndarray, ...]:
        rng, calendar = self.rng, self.calendar
        families = len(vocabulary.FAMILIES)
        # Each client's preferred families and usual products.
        preference = rng.gamma(self.family_share * PREFERENCE_CONCENTRATION, 1.0, (n, families)) + 1e-6
        preference *= self.has_family
        preference /= preference.sum(axis=1, keepdims=True)
        favourites = self._pick_products(np.repeat(np.arange(n), vocabulary.FAVOURITES),
                                         np.full(n * vocabulary.FAVOURITES, -1), preference,
                                         np.ones(families)).reshape(n, vocabulary.FAVOURITES)

        sale_of = np.repeat(np.arange(len(day)), line_count)
        client_of = owner_of[sale_of]
        line_day = day[sale_of]
        count = len(sale_of)
        usual = rng.random(count) < np.where(regular, FAVOURITE_SHARE[1], FAVOURITE_SHARE[0])[client_of]
        product = self._pick_products(client_of, line_day, preference, None)
        # Usual products too sell more in their family's season (the client's drinks in summer).
        seasonal = calendar.family_weights[self.product_family[favourites[client_of]], line_day[:, None]]
        cumulative = np.cumsum(seasonal, axis=1)
        slot = (cumulative < (rng.random(count) * cumulative[:, -1])[:, None]).sum(axis=1)
        slot = np.minimum(slot, vocabulary.FAVOURITES - 1)
        product = np.where(usual, favourites[client_of, slot], product)
        gone = line_day >= self.withdrawn[product]
        product = np.where(gone, self.substitute[product], product)
        # One line per product in a sale.
        _, first = np.unique(sale_of * len(self.product_ids) + product, return_index=True)
        keep = np.sort(first)
        sale_of, client_of, line_day, product = sale_of[keep], client_of[keep], line_day[keep], product[keep]
        count = len(sale_of)

        size = np.where(self.consumable[product], basket[client_of] ** 0.9, 1.0)
        quantity = np.maximum(1, np.rint(self.typical[product] * size * np.exp(rng.normal(0, 0.45, count))))
        wholesale_big = self.big_ticket[product] & company[client_of] & (basket[client_of] > 4)
        quantity = np.where(self.big_ticket[product], 1 + wholesale_big * rng.poisson(0.6, count), quantity)
        quantity = np.minimum(quantity, 500).astype(np.int64)
        price = self.price[product] * calendar.deflator[line_day]
        price = np.where(quantity >= WHOLESALE_QUANTITY, price * WHOLESALE_DISCOUNT, price)
        promotion = rng.random(count) < PROMOTION_SHARE
        price = np.where(promotion, price * rng.uniform(*PROMOTION_DISCOUNT, count), price)
        unit = np.maximum(np.rint(price / self.step), 1).astype(np.int64) * self.step
        unit = np.where(self.price[product] == 0, 0, unit)
        return sale_of, product, quantity, unit

    def _pick_products(self, client_of: np.ndarray, line_day: np.ndarray, preference: np.ndarray,
                       family_weights: np.ndarray | None) -> np.ndarray:
        """A product for each line: a family by the client's preference (× the family's weight on that day), then
        a product by popularity (× its season on that day). `line_day` -1: no day (no season)."""
        rng, calendar = self.rng, self.calendar
        count = len(client_of)
        weights = preference[client_of]
        if family_weights is None:
            weights = weights * calendar.family_weights[:, line_day].T
        cumulative = np.cumsum(weights, axis=1)
        draw = rng.random(count) * cumulative[:, -1]
        family = np.minimum((cumulative < draw[:, None]).sum(axis=1), len(vocabulary.FAMILIES) - 1)
        combo = np.where(line_day >= 0, calendar.combo[np.maximum(line_day, 0)], -1)
        draws = rng.random(count)
        product = np.zeros(count, dtype=np.int64)
        keys = family * (len(calendar.combos) + 1) + (combo + 1)
        for key in np.unique(keys).tolist():
            fam, slot = divmod(key, len(calendar.combos) + 1)
            members = self.family_products[fam]
            if not len(members):
                continue
            mask = keys == key
            weights_of = (np.cumsum(self.base_popularity[members]) if slot == 0
                          else self.family_cumulative[fam][slot - 1])
            index = np.searchsorted(weights_of, draws[mask] * weights_of[-1], side='right')
            product[mask] = members[np.minimum(index, len(members) - 1)]
        return product

    def _stamps(self, seconds: np.ndarray) -> list[str]:
        """UTC timestamps as the database stores them."""
        text = np.datetime_as_string(seconds.astype('datetime64[s]'), unit='s').tolist()
        if self.postgres:
            return [f'{stamp}+00' for stamp in text]
        return [f'{stamp[:10]} {stamp[11:]}.000000' for stamp in text]
