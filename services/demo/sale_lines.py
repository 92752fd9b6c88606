"""What goes into a demo sale: the tenant's demo catalogue as arrays, and the lines of the sales — products by the
client's preferred families and usual products and by season, quantities by product and buyer size, unit prices
lower in older sales, wholesale and promotion discounts."""

import numpy as np

from services.demo import catalogue as vocabulary
from services.demo.products import CatalogueEntry
from services.demo.sales_calendar import Calendar

FAVOURITE_SHARE = (0.3, 0.6)  # lines taken from the usual products: irregular, regular buyers
PREFERENCE_CONCENTRATION = 2.5  # Dirichlet: low = a few preferred families
BIG_TICKET_DZD = 20_000  # appliances and the like: bought one at a time
WHOLESALE_QUANTITY, WHOLESALE_DISCOUNT = 12, 0.95
PROMOTION_SHARE, PROMOTION_DISCOUNT = 0.04, (0.80, 0.92)
DISCONTINUED_DAYS = (150, 540)  # inactive products were withdrawn 5 to 18 months ago

Lines = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # sale index, product index, quantity, unit price


class Baskets:
    """The demo catalogue as arrays (`found`: the tenant's products of it, SKU → (id, price in cents, active)),
    and the lines of sales drawn from the generator's numpy stream."""

    def __init__(self, entries: list[CatalogueEntry], found: dict[str, tuple[int, int, bool]], currency: str,
                 calendar: Calendar, rng: np.random.Generator) -> None:
        self.calendar, self.rng = calendar, rng
        count = len(entries)
        self.product_ids = np.array([found[e.sku][0] for e in entries], dtype=np.int64)
        self.product_family = np.array([e.family_index for e in entries], dtype=np.int64)
        self.price = np.array([found[e.sku][1] for e in entries], dtype=np.float64)
        self.step = 100 if currency == 'DZD' else 5
        dzd = np.array([e.price_dzd for e in entries], dtype=np.float64)
        self.big_ticket = dzd >= BIG_TICKET_DZD
        self.consumable = dzd < 5000
        self.typical = np.select([dzd < 150, dzd < 500, dzd < 2000, dzd < 8000], [4.0, 2.5, 1.6, 1.15], 1.0)
        active = np.array([found[e.sku][2] for e in entries], dtype=bool)
        low, high = DISCONTINUED_DAYS
        withdrawn = calendar.days - rng.integers(low, high, count)
        self.withdrawn = np.where(active, calendar.days + 1, withdrawn)  # day from which it is no longer sold
        self.base_popularity = 1 / (np.array([e.rank for e in entries]) + 1.5) ** 0.9
        self._families(entries, active)
        self.family_share = np.array([share for _, _, share in vocabulary.FAMILIES], dtype=np.float64)
        self.family_share /= self.family_share.sum()
        self.has_family = np.array([len(members) > 0 for members in self.family_products])

    def _families(self, entries: list[CatalogueEntry], active: np.ndarray) -> None:
        """Each family's products, their cumulative popularity in each season combination, and the product that
        replaces a discontinued one (its family's most popular active product)."""
        popularity, calendar = self.base_popularity, self.calendar
        seasons = [next((tag for tag in e.tags if tag in vocabulary.SEASON_TAGS), '') for e in entries]
        self.substitute = np.arange(len(entries))
        self.family_products: list[np.ndarray] = []
        self.family_cumulative: list[list[np.ndarray]] = []  # [family][combo] → cumulative weights
        for family in range(len(vocabulary.FAMILIES)):
            members = np.flatnonzero(self.product_family == family)
            self.family_products.append(members)
            live = [m for m in members if active[m]]
            for member in members:
                if not active[member] and live:
                    self.substitute[member] = live[0]
            self.family_cumulative.append([
                np.cumsum([popularity[m] * calendar.tag_weight(seasons[m], combo) for m in members])
                for combo in range(len(calendar.combos))])

    def lines(self, n: int, regular: np.ndarray, basket: np.ndarray, company: np.ndarray, owner_of: np.ndarray,
              day: np.ndarray, line_count: np.ndarray) -> Lines:
        """The lines of the sales (sale `i` of client `owner_of[i]` on `day[i]`, with `line_count[i]` lines at
        most: a product appears once in a sale) of `n` clients."""
        sale_of = np.repeat(np.arange(len(day)), line_count)
        client_of = owner_of[sale_of]
        line_day = day[sale_of]
        product = self._products(n, regular, client_of, line_day)
        # One line per product in a sale.
        _, first = np.unique(sale_of * len(self.product_ids) + product, return_index=True)
        keep = np.sort(first)
        sale_of, client_of, line_day, product = sale_of[keep], client_of[keep], line_day[keep], product[keep]
        quantity, unit = self._quantities_and_prices(basket, company, client_of, line_day, product)
        return sale_of, product, quantity, unit

    def _products(self, n: int, regular: np.ndarray, client_of: np.ndarray, line_day: np.ndarray) -> np.ndarray:
        """A product for each line: one of the client's usual products (more often for regular buyers), or one
        picked by its preferred families and the season; discontinued ones replaced after their withdrawal."""
        rng, calendar = self.rng, self.calendar
        families = len(vocabulary.FAMILIES)
        # Each client's preferred families and usual products.
        preference = rng.gamma(self.family_share * PREFERENCE_CONCENTRATION, 1.0, (n, families)) + 1e-6
        preference *= self.has_family
        preference /= preference.sum(axis=1, keepdims=True)
        favourites = self._pick_products(np.repeat(np.arange(n), vocabulary.FAVOURITES),
                                         np.full(n * vocabulary.FAVOURITES, -1), preference,
                                         np.ones(families)).reshape(n, vocabulary.FAVOURITES)
        count = len(client_of)
        usual = rng.random(count) < np.where(regular, FAVOURITE_SHARE[1], FAVOURITE_SHARE[0])[client_of]
        product = self._pick_products(client_of, line_day, preference, None)
        # Usual products too sell more in their family's season (the client's drinks in summer).
        seasonal = calendar.family_weights[self.product_family[favourites[client_of]], line_day[:, None]]
        cumulative = np.cumsum(seasonal, axis=1)
        slot = (cumulative < (rng.random(count) * cumulative[:, -1])[:, None]).sum(axis=1)
        slot = np.minimum(slot, vocabulary.FAVOURITES - 1)
        product = np.where(usual, favourites[client_of, slot], product)
        gone = line_day >= self.withdrawn[product]
        return np.where(gone, self.substitute[product], product)

    def _quantities_and_prices(self, basket: np.ndarray, company: np.ndarray, client_of: np.ndarray,
                               line_day: np.ndarray, product: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rng, calendar = self.rng, self.calendar
        count = len(product)
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
        return quantity, unit

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
