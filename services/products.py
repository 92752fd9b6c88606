"""The product catalogue: what a tenant sells, by SKU, name, family and price. Listing, editing, archiving.

A product that was sold is never deleted (its sale lines keep it): archiving takes it out of the pickers instead.
Searches match every word of the query in the SKU or the name, without case or accents, on both databases alike.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exists, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.models import AuditAction, Product, SaleLine
from services import audit, sale_days
from services.actor import Actor, require_write
from services.errors import Conflict, Invalid, NotFound
from services.paging import Page, PageRequest, fetch_page, sort_column
from services.text import fold, words
from services.validation import clean_text

CENT = Decimal('0.01')
MAX_PRICE = Decimal('999999999.99')
MAX_SKU, MAX_NAME, MAX_FAMILY, MAX_DESCRIPTION = 64, 200, 80, 1000
MAX_SEARCH_WORDS = 8
SORTABLE = {'name': Product.name, 'sku': Product.sku, 'family': Product.family, 'price': Product.price_cents,
            'updated_at': Product.updated_at}


class ProductInput(BaseModel):
    """What a user may set on a product (create and full update). `price` in currency units (e.g. 1250.50)."""

    sku: str = Field(default='', max_length=MAX_SKU)
    name: str = Field(default='', max_length=MAX_NAME)
    family: str = Field(default='', max_length=MAX_FAMILY)
    price: Decimal = Decimal(0)
    is_active: bool = True
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)


class ProductRead(ProductInput):
    model_config = ConfigDict(frozen=True)

    id: int
    sold: bool = False  # True: it appears on a sale, so it can be archived but not deleted
    created_at: datetime
    updated_at: datetime
    version: int


class ProductChoice(BaseModel):
    """A product offered by a picker: enough to fill a sale line."""

    model_config = ConfigDict(frozen=True)

    id: int
    sku: str
    name: str
    family: str
    price: Decimal

    @property
    def label(self) -> str:
        return f'{self.sku} · {self.name}'


@dataclass(frozen=True)
class ProductFilter:
    search: str = ''
    family: str | None = None
    active: bool | None = True  # None: active and archived alike
    sort: str = 'name'
    descending: bool = False


def money(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def to_cents(value: Decimal, *, field: str, maximum: Decimal = MAX_PRICE, positive: bool = False) -> int:
    """A non-negative amount (positive if asked) with at most two decimals, in cents."""
    if not value.is_finite() or value < 0 or value > maximum or (positive and value == 0):
        raise Invalid('error.amount_positive' if positive else 'error.amount_invalid', field=field)
    if value != value.quantize(CENT):
        raise Invalid('error.amount_decimals', field=field)
    return int(value * 100)


def _reads(session: Session, products: list[Product]) -> list[ProductRead]:
    ids = [product.id for product in products]
    sold = set(session.exec(select(Product.id).where(
        col(Product.id).in_(ids),
        exists().where(SaleLine.tenant_id == Product.tenant_id, SaleLine.product_id == Product.id))).all()) \
        if ids else set()
    return [ProductRead(id=p.id, sku=p.sku, name=p.name, family=p.family, price=money(p.price_cents),
                        is_active=p.is_active, description=p.description, sold=p.id in sold,
                        created_at=p.created_at, updated_at=p.updated_at, version=p.version) for p in products]


def folded(sku: str, name: str) -> str:
    """The text product search matches (kept in `product.folded`): «cafe» finds «Café» on every database."""
    return f'{fold(sku)} {fold(name)}'


def _matching(query, text: str):
    """`query` narrowed to the products whose SKU or name holds every word of `text`."""
    for token in words(text)[:MAX_SEARCH_WORDS]:
        query = query.where(col(Product.folded).contains(token, autoescape=True))
    return query


def _filtered(session: Session, actor: Actor, filters: ProductFilter):
    query = select(Product).where(Product.tenant_id == actor.tenant_id)
    if filters.active is not None:
        query = query.where(Product.is_active == filters.active)
    if filters.family:
        query = query.where(Product.family == filters.family)
    return _matching(query, filters.search)


def list_products(session: Session, actor: Actor, filters: ProductFilter, page: PageRequest) -> Page[ProductRead]:
    order = sort_column(col(SORTABLE.get(filters.sort, Product.name)), filters.descending)
    rows, total = fetch_page(session, _filtered(session, actor, filters), page, order, col(Product.id))
    return Page(items=_reads(session, rows), total=total, limit=page.limit, offset=page.offset)


def product_in_tenant(session: Session, actor: Actor, product_id: int) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.tenant_id != actor.tenant_id:
        raise NotFound('error.product_not_found')
    return product


def get_product(session: Session, actor: Actor, product_id: int) -> ProductRead:
    return _reads(session, [product_in_tenant(session, actor, product_id)])[0]


def product_families(session: Session, actor: Actor) -> list[str]:
    query = select(Product.family).where(Product.tenant_id == actor.tenant_id, Product.family != '').distinct()
    return sorted(session.exec(query).all(), key=fold)


def product_choices(session: Session, actor: Actor, query: str = '', limit: int = 20) -> list[ProductChoice]:
    """Active products for pickers: those matching `query`, or the first ones by name."""
    base = select(Product).where(Product.tenant_id == actor.tenant_id, Product.is_active == True)  # noqa: E712
    base = _matching(base, query)
    rows = session.exec(base.order_by(col(Product.name), col(Product.id)).limit(max(1, min(limit, 100)))).all()
    return [ProductChoice(id=p.id, sku=p.sku, name=p.name, family=p.family, price=money(p.price_cents))
            for p in rows]


def _same_family(session: Session, actor: Actor, family: str) -> str:
    """The family as typed, or as it is already spelled in the catalogue («epicerie» joins «Épicerie»)."""
    if not family:
        return family
    for known in product_families(session, actor):
        if fold(known) == fold(family):
            return known
    return family


def _sku_taken(session: Session, actor: Actor, sku: str, product_id: int | None) -> bool:
    """Another product of the tenant has this SKU, whatever the case («ab-1» is «AB-1»)."""
    others = select(Product.sku).where(Product.tenant_id == actor.tenant_id, Product.id != (product_id or 0))
    if session.exec(others.where(func.lower(Product.sku) == sku.lower()).limit(1)).first() is not None:
        return True
    if sku.isascii():
        return False
    # SQLite's lower() leaves non-ASCII letters alone («É»): compare those SKUs in Python.
    same_length = session.exec(others.where(func.length(Product.sku) == len(sku))).all()
    return any(other.casefold() == sku.casefold() for other in same_length)


def _validated(session: Session, actor: Actor, data: ProductInput, product_id: int | None) -> dict:
    sku = clean_text(data.sku, field='sku', max_length=MAX_SKU, required=True)
    if _sku_taken(session, actor, sku, product_id):
        raise Conflict('error.sku_taken', field='sku', sku=sku)
    family = ' '.join((data.family or '').split())
    if len(family) > MAX_FAMILY:
        raise Invalid('error.too_long', field='family', max=MAX_FAMILY)
    return {'sku': sku, 'name': clean_text(data.name, field='name', max_length=MAX_NAME, required=True),
            'family': _same_family(session, actor, family),
            'price_cents': to_cents(data.price, field='price'), 'is_active': data.is_active,
            'description': clean_text(data.description, field='description', max_length=MAX_DESCRIPTION) or None}


def _saved(session: Session, product: Product) -> None:
    """Flush, turning a concurrent duplicate SKU (the table's unique key) into the same 409 as the check."""
    product.folded = folded(product.sku, product.name)
    try:
        with session.begin_nested():
            session.add(product)
            session.flush()
    except IntegrityError as error:
        raise Conflict('error.sku_taken', field='sku', sku=product.sku) from error


def create_product(session: Session, actor: Actor, data: ProductInput) -> ProductRead:
    require_write(actor)
    values = _validated(session, actor, data, None)
    product = Product(tenant_id=actor.tenant_id, **values)
    _saved(session, product)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.CREATE, entity='product',
                 entity_id=product.id, changes=audit.diff({}, values))
    return get_product(session, actor, product.id)


def update_product(session: Session, actor: Actor, product_id: int, data: ProductInput,
                   expected_version: int | None = None) -> ProductRead:
    require_write(actor)
    product = product_in_tenant(session, actor, product_id)
    if expected_version is not None and expected_version != product.version:
        raise Conflict('error.stale_version')
    values = _validated(session, actor, data, product.id)
    changes = audit.diff(product.model_dump(include=set(values)), values)
    if not changes:
        return get_product(session, actor, product.id)
    if 'family' in changes:  # the daily totals file each line under its product's family
        sale_days.move_product(session, actor.tenant_id, product.id, product.family, values['family'])
    for field, value in values.items():
        setattr(product, field, value)
    product.version += 1
    _saved(session, product)
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='product',
                 entity_id=product.id, changes=changes)
    return get_product(session, actor, product.id)


def set_active(session: Session, actor: Actor, product_id: int, active: bool) -> ProductRead:
    """Archive (active=False) or restore a product: an archived product is kept on its sales but no longer
    offered for new ones."""
    require_write(actor)
    product = product_in_tenant(session, actor, product_id)
    if product.is_active != active:
        audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.UPDATE, entity='product',
                     entity_id=product.id, changes={'is_active': [product.is_active, active]})
        product.is_active, product.version = active, product.version + 1
        session.add(product)
        session.flush()
    return get_product(session, actor, product.id)


def delete_product(session: Session, actor: Actor, product_id: int) -> None:
    """Delete for good a product that was never sold (a sold one can only be archived)."""
    require_write(actor)
    product = product_in_tenant(session, actor, product_id)
    if session.exec(select(SaleLine.id).where(SaleLine.tenant_id == actor.tenant_id,
                                              SaleLine.product_id == product.id).limit(1)).first() is not None:
        raise Conflict('error.product_sold')
    audit.record(session, actor, tenant_id=actor.tenant_id, action=AuditAction.DELETE, entity='product',
                 entity_id=product.id, changes={'sku': product.sku, 'name': product.name})
    session.delete(product)
    session.flush()
