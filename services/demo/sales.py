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

This module draws who buys, when, through which channel, and who recorded it; `sales_calendar` holds the seasons,
`sale_lines` what goes into a sale, `products` the catalogue's entries and `sale_rows` the rows written (tuples in
the column order of `SALE_COLUMNS` and `LINE_COLUMNS`, ready for COPY or executemany).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
from sqlmodel import Session, col, select

from db.models import Product
from services.demo import catalogue as vocabulary
from services.demo.products import catalogue, price_cents
from services.demo.sale_lines import Baskets
from services.demo.sale_rows import Ids, SaleRowFormat, SaleRows, SalesBatch
from services.demo.sales_calendar import Calendar

FREQUENCY_SPREAD = 0.8  # sigma of the log of a client's purchase rate
BASKET_SPREAD = (0.25, 0.4)  # a client's basket size: sigma shared with its rate, and its own
COMPANY_BASKET = 0.4  # companies buy bigger baskets: exp(0.4) times an individual's
REGULAR_SHARE = 0.55  # buyers with a personal interval (among those with 3 purchases or more)
REGULAR_JITTER = 0.15  # of the interval, either way
NEW_MAX_SALES = 4
IMPORTED_SHARE, IMPORTED_DAYS = 0.85, 900  # clients whose earlier purchases came with them (an import)
SINGLE_AMOUNT_DZD, SINGLE_AMOUNT_SPREAD = 1800, 0.6
STORE_HOURS = (8, 19)
MONTH = 30.44  # days
NEVER, NEW, LAPSED, SLIPPING, _ = range(len(vocabulary.LIFECYCLES))


@dataclass(frozen=True)
class _Buyers:
    """A chunk's clients as buyers, one array element per client: their life as buyers, the span of days they
    bought in (`start` to `end`, and its busy time), their basket size, regularity and number of sales."""

    ids: np.ndarray
    company: np.ndarray
    owner: np.ndarray  # -1: none
    life: np.ndarray
    start: np.ndarray
    end: np.ndarray
    span: np.ndarray
    basket: np.ndarray
    regular: np.ndarray
    counts: np.ndarray


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
        self.baskets = Baskets([entry for entry in catalogue() if entry.sku in products], products, currency,
                               self.calendar, self.rng)
        self.format = SaleRowFormat(tenant_id, currency, self.baskets.product_ids, self.calendar.iso, postgres)

    @classmethod
    def for_tenant(cls, session: Session, tenant_id: int, currency: str, users: Sequence[int], seed: int,
                   now: datetime, zone: ZoneInfo, **options) -> 'SalesGenerator':
        """With the tenant's products of the demo catalogue (by SKU): insert them first (`insert_catalogue`)."""
        products = {sku: (product_id, cents, active) for product_id, sku, cents, active in session.exec(
            select(Product.id, Product.sku, Product.price_cents, Product.is_active)
            .where(Product.tenant_id == tenant_id, col(Product.sku).in_([e.sku for e in catalogue()])))}
        return cls(tenant_id, currency, products, users, seed, now, zone,
                   postgres=session.get_bind().dialect.name == 'postgresql', **options)

    # -- sales: generated chunk by chunk, written in chronological order -------------------------------------------

    def chunk(self, clients: Sequence[dict], ids: Ids) -> SaleRows:
        """Sales (and their lines) of `clients` (client rows as the demo generator makes them), as rows."""
        sales, lines = [], []
        batch = self.generate(clients)
        for block_sales, block_lines in self.rows(batch, ids, block=max(len(batch), 1)):
            sales += block_sales
            lines += block_lines
        return sales, lines

    def generate(self, clients: Sequence[dict]) -> SalesBatch:
        """The sales of `clients` (client rows as the demo generator makes them), compact, without ids."""
        if not clients or not len(self.baskets.product_ids):
            return SalesBatch.empty()
        buyers = self._buyers(clients)
        total = int(buyers.counts.sum())
        if not total:
            return SalesBatch.empty()
        owner_of, day = self._days(buyers, total)
        channel, single, line_count = self._kinds(buyers, owner_of, total)
        sale_of, product, quantity, unit = self.baskets.lines(len(buyers.ids), buyers.regular, buyers.basket,
                                                              buyers.company, owner_of, day, line_count)
        sale_total = np.bincount(sale_of, weights=quantity * unit, minlength=total).astype(np.int64)
        sale_total = np.where(single, self._single_amounts(buyers, owner_of, total), sale_total)
        seconds, recorder = self._recorded(buyers, owner_of, day, channel, total)
        return SalesBatch(client=buyers.ids[owner_of], day=day, seconds=seconds, channel=channel,
                          total=sale_total, single=single, recorder=recorder, line_sale=sale_of,
                          line_product=product, line_quantity=quantity, line_unit=unit)

    def rows(self, batch: SalesBatch, ids: Ids, *, block: int = 50_000) -> Iterator[SaleRows]:
        """The batch's sales in chronological order (ids drawn in that order) with their lines, as rows, `block`
        sales at a time."""
        return self.format.rows(batch, ids, block=block)

    # -- the steps of `generate`, in the order they draw from the stream ---------------------------------------------

    def _buyers(self, clients: Sequence[dict]) -> _Buyers:
        calendar = self.calendar
        created = np.array([max(calendar.day_of(c['created_at']), 0) for c in clients], dtype=np.int64)
        company = np.array([c['kind'] == 'company' for c in clients], dtype=bool)
        owner = np.array([c['owner_id'] if c['owner_id'] is not None else -1 for c in clients], dtype=np.int64)
        status = [c['status'] if c['status'] in vocabulary.LIFECYCLE_SHARES else 'active' for c in clients]
        life, start, end = self._lives(created, status)
        buyer = (life != NEVER) & (end > start)
        span = np.where(buyer, calendar.busy[end] - calendar.busy[start], 0.0)
        basket, regular, counts = self._purchases(company, life, buyer, span)
        return _Buyers(np.array([c['id'] for c in clients], dtype=np.int64), company, owner, life, start, end, span,
                       basket, regular, counts)

    def _lives(self, created: np.ndarray, status: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each client's life as a buyer, and the span of days it bought in."""
        rng, days, n = self.rng, self.calendar.days, len(created)
        life = np.empty(n, dtype=np.int64)
        draws = rng.random(n)
        for name, shares in vocabulary.LIFECYCLE_SHARES.items():
            cumulative = np.cumsum(shares) / sum(shares)
            mask = np.array([s == name for s in status])
            life[mask] = np.minimum(np.searchsorted(cumulative, draws[mask], side='right'), len(shares) - 1)
        imported = np.where(rng.random(n) < IMPORTED_SHARE, rng.integers(0, IMPORTED_DAYS, n), 0)
        start, end = np.maximum(created - imported, 0), np.full(n, days)
        lapse = rng.uniform(*vocabulary.LAPSED_MONTHS, n) * MONTH
        slip = rng.uniform(*vocabulary.SLIPPING_MONTHS, n) * MONTH
        recent = rng.integers(1, vocabulary.NEW_DAYS + 1, n)
        end = np.where(life == LAPSED, days - lapse.astype(np.int64), end)
        end = np.where(life == SLIPPING, days - slip.astype(np.int64), end)
        too_young = ((life == LAPSED) | (life == SLIPPING)) & (end - start < 30)
        end[too_young] = days  # created too recently to have lapsed: an active buyer
        life[too_young] = vocabulary.LIFECYCLES.index('active')
        start = np.where(life == NEW, np.maximum(start, days - recent), start)
        start = np.minimum(start, days - 1)
        return life, start, end

    def _purchases(self, company: np.ndarray, life: np.ndarray, buyer: np.ndarray,
                   span: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """How often (a long tail) and how much (correlated with how often; companies buy more): basket sizes,
        regular buyers and numbers of sales."""
        rng, n = self.rng, len(life)
        often = rng.standard_normal(n)
        basket_own = rng.standard_normal(n)
        rate = np.exp(FREQUENCY_SPREAD * often)
        basket = np.exp(BASKET_SPREAD[0] * often + BASKET_SPREAD[1] * basket_own + COMPANY_BASKET * company)
        weight = np.where(buyer, rate * span, 0.0)
        expected = weight * self._scale(weight, buyer.sum())
        regular = buyer & (expected >= 3) & (rng.random(n) < REGULAR_SHARE)
        counts = np.where(regular, np.maximum(1, np.rint(expected * np.exp(rng.normal(0, 0.1, n)))),
                          1 + rng.poisson(np.maximum(expected - 1, 0)))
        counts = np.where(life == NEW, np.minimum(counts, NEW_MAX_SALES), counts)
        counts = np.where(buyer, counts, 0).astype(np.int64)
        return basket, regular, counts

    def _days(self, buyers: _Buyers, total: int) -> tuple[np.ndarray, np.ndarray]:
        """Each sale's client (index in the chunk) and day: positions on the busy-time axis, mapped back to days."""
        rng, calendar, counts = self.rng, self.calendar, buyers.counts
        owner_of = np.repeat(np.arange(len(counts)), counts)
        rank = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        phase = rng.uniform(REGULAR_JITTER, 1 - REGULAR_JITTER, len(counts))  # with the jitter, within its interval
        spread = np.where(buyers.regular[owner_of],
                          (rank + phase[owner_of] + rng.uniform(-REGULAR_JITTER, REGULAR_JITTER, total))
                          / counts[owner_of],
                          rng.random(total))
        stopped = ((buyers.life == LAPSED) | (buyers.life == SLIPPING))[owner_of] & (rank == counts[owner_of] - 1)
        spread = np.where(stopped, 1.0, spread)  # their last purchase is the day they stopped
        spread = np.clip(spread, 0.0, 1.0 - 1e-9)
        moment = calendar.busy[buyers.start[owner_of]] + spread * buyers.span[owner_of]
        day = np.searchsorted(calendar.busy, moment, side='right') - 1
        return owner_of, np.clip(day, buyers.start[owner_of], buyers.end[owner_of] - 1)

    def _kinds(self, buyers: _Buyers, owner_of: np.ndarray,
               total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each sale's channel, and its number of lines (0: a single amount)."""
        rng, company, n = self.rng, buyers.company, len(buyers.ids)
        usual = self._channels(company, rng.random(n))
        channel = np.where(rng.random(total) < vocabulary.USUAL_CHANNEL, usual[owner_of],
                           self._channels(company[owner_of], rng.random(total)))
        single = rng.random(total) < vocabulary.SINGLE_AMOUNT_SHARE
        large = buyers.basket >= np.quantile(buyers.basket, 0.75) if n >= 4 else np.zeros(n, dtype=bool)
        lines_small = np.searchsorted(np.cumsum(vocabulary.LINES_SMALL) / sum(vocabulary.LINES_SMALL),
                                      rng.random(total), side='right') + 1
        lines_large = np.searchsorted(np.cumsum(vocabulary.LINES_LARGE) / sum(vocabulary.LINES_LARGE),
                                      rng.random(total), side='right') + 1
        line_count = np.where(single, 0, np.where(large[owner_of], lines_large, lines_small))
        return channel, single, np.minimum(line_count, 6)

    def _single_amounts(self, buyers: _Buyers, owner_of: np.ndarray, total: int) -> np.ndarray:
        """The amount of each sale, were it one amount without lines (cents)."""
        amount = np.rint(SINGLE_AMOUNT_DZD * buyers.basket[owner_of]
                         * np.exp(self.rng.normal(0, SINGLE_AMOUNT_SPREAD, total)) / 10) * 10
        amount_cents = np.array([price_cents(a, self.currency) for a in amount.tolist()], dtype=np.int64) \
            if self.currency != 'DZD' else amount.astype(np.int64) * 100
        return np.maximum(amount_cents, self.baskets.step)

    def _recorded(self, buyers: _Buyers, owner_of: np.ndarray, day: np.ndarray, channel: np.ndarray,
                  total: int) -> tuple[np.ndarray, np.ndarray]:
        """Who recorded each sale (-1: none, online), and when (UTC epoch seconds)."""
        rng, owner = self.rng, buyers.owner
        online = np.isin(channel, (vocabulary.CHANNELS.index('online'), vocabulary.CHANNELS.index('marketplace')))
        hours = np.where(online, rng.uniform(0, 24, total), rng.uniform(*STORE_HOURS, total))
        seconds = np.minimum(self.calendar.midnight[day] + np.floor(hours * 3600), np.floor(self.now)).astype(np.int64)
        pick = rng.integers(0, max(len(self.users), 1), total)
        by_owner = rng.random(total) < 0.7
        recorder = np.where(by_owner & (owner[owner_of] >= 0), owner[owner_of],
                            np.array(self.users, dtype=np.int64)[pick] if self.users else -1)
        return seconds, np.where(online, -1, recorder)

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
