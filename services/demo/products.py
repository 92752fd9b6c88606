"""The demo catalogue (`services.demo.catalogue`) as entries with their SKUs, priced in the tenant's currency and
inserted into the tenant."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from db.models import Product
from services.demo import catalogue as vocabulary
from services.products import folded


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
