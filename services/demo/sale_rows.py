"""Demo sales as the generator keeps them (`SalesBatch`: compact numpy columns, without ids) and as they are written
(`SaleRowFormat`): tuples in the column order of `SALE_COLUMNS` and `LINE_COLUMNS`, dates and times as text in the
database's own format, ready for COPY (PostgreSQL) or executemany (SQLite). A line repeats its sale's client and
day. Sale ids come from the caller (`ids`), line ids from the database."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from db.models import Sale
from services.demo import catalogue as vocabulary

SALE_COLUMNS = ('id', 'tenant_id', 'client_id', 'sold_on', 'channel', 'currency', 'total_cents', 'reference', 'note',
                'created_by', 'created_at', 'updated_at')
LINE_COLUMNS = ('tenant_id', 'sale_id', 'product_id', 'client_id', 'sold_on', 'quantity', 'unit_price_cents',
                'total_cents')

SaleRows = tuple[list[tuple], list[tuple]]
Ids = Callable[[type, int], Sequence[int]]


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


@dataclass(frozen=True)
class SaleRowFormat:
    """How a tenant's batch becomes rows: `product_ids` maps the batch's product indexes to ids, `days` its day
    indexes to ISO dates."""

    tenant_id: int
    currency: str
    product_ids: np.ndarray
    days: list[str]
    postgres: bool

    def rows(self, batch: SalesBatch, ids: Ids, *, block: int = 50_000) -> Iterator[SaleRows]:
        """The batch's sales in chronological order (ids drawn in that order) with their lines, as rows, `block`
        sales at a time."""
        order = np.lexsort((batch.client, batch.seconds))
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        line_sale = position[batch.line_sale]
        line_order = np.argsort(line_sale, kind='stable')
        line_sale = line_sale[line_order]
        for first in range(0, len(order), block):
            chosen = order[first:first + block]
            sales = self._sales(batch, chosen, list(ids(Sale, len(chosen))))
            low, high = np.searchsorted(line_sale, (first, first + len(chosen)))
            yield sales, self._lines(batch, sales, line_order[low:high], (line_sale[low:high] - first).tolist())

    def _sales(self, batch: SalesBatch, chosen: np.ndarray, sale_ids: list[int]) -> list[tuple]:
        count = len(chosen)
        channels = [vocabulary.CHANNELS[c] for c in batch.channel[chosen].tolist()]
        references = [f'{prefix}-{sale_id:07d}' if (prefix := vocabulary.REFERENCE_PREFIXES.get(name)) else None
                      for name, sale_id in zip(channels, sale_ids, strict=True)]
        notes = [vocabulary.SINGLE_AMOUNT_NOTE if flag else None for flag in batch.single[chosen].tolist()]
        recorders = [None if r < 0 else r for r in batch.recorder[chosen].tolist()]
        stamps = self.stamps(batch.seconds[chosen])
        return list(zip(sale_ids, [self.tenant_id] * count, batch.client[chosen].tolist(),
                        [self.days[d] for d in batch.day[chosen].tolist()], channels, [self.currency] * count,
                        batch.total[chosen].tolist(), references, notes, recorders, stamps, stamps, strict=True))

    def _lines(self, batch: SalesBatch, sales: list[tuple], picked: np.ndarray, local: list[int]) -> list[tuple]:
        """The lines `picked` (indexes in the batch), of the sales at `local` positions among `sales`."""
        quantity, unit = batch.line_quantity[picked], batch.line_unit[picked]
        return list(zip([self.tenant_id] * len(local), [sales[i][0] for i in local],
                        self.product_ids[batch.line_product[picked]].tolist(), [sales[i][2] for i in local],
                        [sales[i][3] for i in local], quantity.tolist(), unit.tolist(), (quantity * unit).tolist(),
                        strict=True))

    def stamps(self, seconds: np.ndarray) -> list[str]:
        """UTC timestamps as the database stores them."""
        text = np.datetime_as_string(seconds.astype('datetime64[s]'), unit='s').tolist()
        if self.postgres:
            return [f'{stamp}+00' for stamp in text]
        return [f'{stamp[:10]} {stamp[11:]}.000000' for stamp in text]
